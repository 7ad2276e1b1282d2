/**
 * STTran's Action Genome detector: jwyang's faster-rcnn.pytorch as STTran (6b559e1) runs it in SGDET test mode,
 * loaded from its checkpoint ({@code faster_rcnn_ag.pth}: {@code {'model': state_dict, ...}}, zip or legacy torch
 * serialisation) through {@link org.m3sgg.nn.torch}.
 *
 * <ul>
 *   <li>{@link org.m3sgg.detector.FasterRcnn}: the image graph ({@code RCNN_base} = Caffe-style ResNet conv1..layer3
 *       with the RPN's 3x3 conv, class and delta convolutions; {@link org.m3sgg.nn.ResNetTrunk}), the proposal
 *       layer, the box head and {@code detector.forward}'s loop, in chunks of 10 frames. Depth (blocks per layer)
 *       and widths are read from the checkpoint; loading is strict.</li>
 *   <li>{@link org.m3sgg.detector.Anchors}, {@link org.m3sgg.detector.BoxTransform},
 *       {@link org.m3sgg.detector.ProposalLayer}, {@link org.m3sgg.detector.DetectionLoop}: the host-side steps.</li>
 *   <li>{@link org.m3sgg.detector.LayerFourHead}: RoIAlign + layer 4 + mean + class scores and deltas; a
 *       {@link org.m3sgg.sgdet.BoxHead}, so the SGDET pipeline can pool any box through the real head.</li>
 *   <li>{@link org.m3sgg.detector.DetectorSettings}: the test settings (not stored in checkpoints).</li>
 *   <li>{@link org.m3sgg.detector.FasterRcnnParity}: {@code bin/m3sgg parity --kind faster-rcnn}.</li>
 * </ul>
 *
 * <h2>The reference's quirks, all reproduced</h2>
 * <ul>
 *   <li>Caffe-style bottleneck: the stride is on the first 1x1 convolution; the stem's max pool is 3 / stride 2,
 *       padding 0, {@code ceil_mode=True} (written as a pool over an input padded by one more cell at the bottom
 *       and right, which gives PyTorch's windows; padded cells never win).</li>
 *   <li>Batch norms in evaluation with the stored statistics, eps 1e-5, folded into the convolution before them
 *       (scale and shift computed in double). {@code num_batches_tracked} is accepted when present, not
 *       required.</li>
 *   <li>RPN probabilities: a softmax between channel a (background) and A + a (foreground) at each cell.</li>
 *   <li>Legacy +1 pixel convention in the anchors ({@code np.round}, half to even, of the ratio sizes), in
 *       {@code bbox_transform_inv} (widths {@code x2 - x1 + 1}, centre {@code x1 + 0.5 w}, but
 *       {@code x2' = ctr + 0.5 w'} without -1: zero deltas give {@code x2 + 1}) and in the NMS IoU. RoIAlign does
 *       not add 1.</li>
 *   <li>Proposals are clipped to [0, W-1] x [0, H-1]; no minimum-size filter (commented out in the reference);
 *       top 6000, NMS 0.7, top 100 (STTran's {@code RPN_POST_NMS_TOP_N}, 300 in faster-rcnn.pytorch), zero rows as
 *       padding that keep the frame index. Padded rows are pooled and classified like real RoIs (a zero box is a
 *       1 x 1-cell RoI) and become detections when a class passes 0.1.</li>
 *   <li>RoIAlign {@code aligned=False}, 7 x 7, 1/16, adaptive sampling ({@link org.m3sgg.sgdet.RoiAlign}).</li>
 *   <li>{@code _head_to_tail}: layer 4 (stride 2: 7 x 7 -> 4 x 4), then the mean over W, then over H.</li>
 *   <li>Detections: deltas times [0.1, 0.1, 0.2, 0.2]; {@code clip_boxes(..., batch_size=1)} clips only the first
 *       frame of each 10-frame chunk (with the video's first {@code im_info}); the others keep boxes beyond the
 *       right and bottom edges; division by the chunk's first scale; per class {@code score > 0.1} (float32),
 *       sorted descending, legacy NMS at 0.4, the person (class 1) keeps only its first survivor; detections
 *       are emitted class by class; one RoI can give several detections sharing its feature; finally
 *       {@code clamp(0)} (from below only, so boxes beyond the right/bottom edge stay).</li>
 *   <li>SGDET test entry ({@link org.m3sgg.sgdet.DetectorTail}): labels stay the detector's, but the entry's
 *       {@code scores} are replaced by the maximum of {@code softmax(cls_score(feature)[1:])} (the fixture's
 *       {@code out_final_scores} is that entry field); {@link org.m3sgg.detector.FasterRcnn.Final#scores()} keeps
 *       the detector's class probability, which SGDET training uses.</li>
 *   <li>NMS: suppress at IoU above the threshold (the CUDA kernel STTran ran; the CPU kernel suppresses at equality
 *       too), kept indices in input order. The reference sorts scores with a non-stable sort; here sorts are
 *       stable, which is the same where no two scores tie (the fixture has no ties in the RPN's top 6000); with a
 *       tie the reference's order is undefined.</li>
 * </ul>
 *
 * <h2>Deviations</h2>
 * <ul>
 *   <li>Floating-point order: the convolutions are libnd4j's (im2col + BLAS), not oneDNN's, so values differ in the
 *       last float32 bits (fixture: layer-3 map 1.5e-5, deltas 1e-6). Boxes decoded from deltas carry that
 *       difference times the anchor or RoI size (up to ~700 px), a few 1e-4 pixels; the parity command compares
 *       box outputs in units of the frame's longer side (1e-6 on the fixture) and everything else absolutely.</li>
 *   <li>Only class-specific box regression (STTran's) and the ResNet detector. Checkpoints of another
 *       architecture are rejected before anything is built, with one line naming the file and the key: a
 *       class-agnostic regressor ({@code RCNN_bbox_pred} with 4 rows instead of 4 per class), faster-rcnn.pytorch's
 *       VGG16 detector ({@code RCNN_base.0} a 3x3 convolution, {@code RCNN_top.0} a Linear layer), a state dict
 *       without {@code RCNN_*} keys (STTran's or OED's relation models), a file that is no torch checkpoint.</li>
 *   <li>Frames and videos in, with STTran's preprocessing: {@link org.m3sgg.video}; inference on any video:
 *       {@link org.m3sgg.infer} ({@code bin/m3sgg infer}); feature extraction over Action Genome:
 *       {@link org.m3sgg.extract} ({@code bin/m3sgg features extract}).</li>
 * </ul>
 *
 * <h2>Published size and speed</h2>
 * The full ResNet-101 detector at 600 x 1067 is checked against {@code tools/torch-reference/detector_reference.py
 * --full} (seeded random weights; the slow {@code FullSizeDetectorParityTest} when
 * {@code M3SGG_DETECTOR_FULL_FIXTURE} names such a folder): every output within 1e-4 and every label equal, with
 * the default and the oneDNN native build. {@link org.m3sgg.detector.FasterRcnn#lastStages} gives the time per
 * stage of the last pass; {@code bin/m3sgg bench --kind detector} reports frames per second and memory
 * ({@code docs/PERFORMANCE.md}, "Detector").
 */
package org.m3sgg.detector;
