/**
 * The feature source, kept apart from the annotations: per-video {@code .npz} files of box features, detector
 * class probabilities and union-box features indexed by (frame number, label) ({@link
 * org.m3sgg.features.FeatureSource}, {@link org.m3sgg.features.VideoFeatures}), a numpy reader/writer ({@link
 * org.m3sgg.features.Npy}, {@link org.m3sgg.features.Npz}), STTran's spatial masks ({@link
 * org.m3sgg.features.SpatialMasks}) and class word embeddings ({@link org.m3sgg.features.ClassEmbeddings}).
 * The format is documented in {@code datasets/README.md}; any detector can produce it. For SGDET, the detections
 * format: per-video boxes, distributions, RoI features and stride-16 frame maps ({@link
 * org.m3sgg.features.VideoDetections}, {@link org.m3sgg.features.DetectionsMeta}) behind a {@link
 * org.m3sgg.features.DetectionSource} (a folder: {@link org.m3sgg.features.DetectionFolder}, with an optional box
 * head), and float16 arrays ({@link org.m3sgg.features.Half}).
 */
package org.m3sgg.features;
