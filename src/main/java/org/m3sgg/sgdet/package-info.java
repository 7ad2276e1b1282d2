/**
 * SGDET: scene graphs from detections. Frame-level feature maps ({@link org.m3sgg.sgdet.FrameMaps}), RoIAlign
 * ({@link org.m3sgg.sgdet.RoiAlign}) and the detector's box head ({@link org.m3sgg.sgdet.BoxHead}), shared by
 * every model's SGDET path, the synthetic world's detector and (later) the kit's own Faster R-CNN.
 */
package org.m3sgg.sgdet;
