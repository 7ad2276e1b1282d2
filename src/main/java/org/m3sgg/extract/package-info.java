/**
 * {@code bin/m3sgg features extract}: STTran's feature step ({@code lib/object_detector.py}) in the kit, from
 * Action Genome's dumped frames to the kit's folders, with the published detector ({@link org.m3sgg.detector}).
 *
 * <ul>
 *   <li>{@link org.m3sgg.extract.ExtractPlan}: the frames and ground-truth boxes to visit (every frame the loader
 *       keeps, train and test, full and filtersmall object files).</li>
 *   <li>{@link org.m3sgg.extract.FeatureExtractor}: per video, chunks of 10 frames through the detector;
 *       {@code features/} (PredCLS/SGCLS: layer-4 features and {@code softmax(cls_score[1:])} of the ground-truth
 *       boxes, RoIAlign of the person-object union boxes on the layer-3 map) and {@code detections/} (SGDET: the
 *       detector's output, the layer-3 maps, the layer-4 head as {@code head.npz}); resumable, atomic.</li>
 *   <li>{@link org.m3sgg.extract.ExtractProgress}: the console progress.</li>
 * </ul>
 *
 * <p>Detection boxes are the reference's: only the first frame of each 10-frame chunk is clipped to the frame,
 * every box is clamped at 0 from below, so later frames may reach beyond the right/bottom edge (the folder's
 * {@code meta.json} says {@code "boxes": "reference"}); {@code --clip-boxes} clips every frame instead. Deviation
 * from the reference (documented in {@code docs/DATA.md}): a video's frames must share one size. One pass of
 * {@code RCNN_base} per chunk serves both outputs; its values are those of the reference's separate PredCLS/SGCLS
 * and SGDET runs.
 */
package org.m3sgg.extract;
