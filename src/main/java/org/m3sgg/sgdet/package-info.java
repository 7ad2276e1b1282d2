/**
 * SGDET: scene graphs from detections. Frame-level feature maps ({@link org.m3sgg.sgdet.FrameMaps}), RoIAlign
 * ({@link org.m3sgg.sgdet.RoiAlign}) and the detector's box head ({@link org.m3sgg.sgdet.BoxHead},
 * {@link org.m3sgg.sgdet.PooledHead}), shared by every model's SGDET path, the synthetic world's detector and
 * (later) the kit's own Faster R-CNN; and STTran's object pipeline between the detector and the relation model,
 * {@link org.m3sgg.sgdet.SgdetPipeline}.
 *
 * <h2>The pipeline</h2>
 * Input: one video's {@link org.m3sgg.sgdet.Detections} (boxes in frame pixels grouped by frame, features, the
 * detector distribution or none, scores), its {@link org.m3sgg.sgdet.FrameMaps} and, for training, one
 * {@link org.m3sgg.sgdet.FrameTruth} per frame. Output: a {@link org.m3sgg.sgdet.TestEntry} or
 * {@link org.m3sgg.sgdet.TrainEntry}, arrays as STTran's {@code entry} holds them, with {@code frameStart} saying
 * where each frame's boxes begin. One class per step: {@link org.m3sgg.sgdet.DetectorTail},
 * {@link org.m3sgg.sgdet.CleanClass}, {@link org.m3sgg.sgdet.ClassNms}, {@link org.m3sgg.sgdet.RelationAssigner},
 * {@link org.m3sgg.sgdet.PairGeometry}. Verified against yrcong/STTran 6b559e1 on the {@code sgdet-reference}
 * fixture ({@link org.m3sgg.sgdet.SgdetParity}, {@code bin/m3sgg parity --kind sgdet}): integer outputs and
 * assignment lists equal; boxes, union boxes, union features, RoIAlign edge cases and masks bit for bit; features
 * of supplied boxes within 6e-8 and distributions within 3.6e-7 (float32 sums in another order than PyTorch's
 * vectorised kernels).
 *
 * <h2>Reproduced quirks of the reference</h2>
 * <ul>
 *   <li>Detector tail: boxes clamped at 0 from below only, frame column included, no upper clamp; the
 *       distribution is {@code softmax(cls_score(features)[:, 1:])}: the background logit is dropped before the
 *       36-way softmax; scores, labels = max, argmax + 1.</li>
 *   <li>{@code clean_class} 5, 8, 17 in that order duplicates rows (a copy with column c - 1 zeroed and relabelled)
 *       instead of relabelling; copies chain (5 -> 8 -> ...); frames stay contiguous; scores are not carried.</li>
 *   <li>NMS per frame and per class of the recomputed argmax (not the labels), sorted by that class's probability
 *       (stable sort; the reference's is not, it only matters on exact ties), legacy IoU with +1 widths in float32,
 *       suppression when IoU &gt; 0.6 (the CUDA kernel STTran ran; the CPU kernel uses &gt;=, they differ only at
 *       exact equality). Output order: frame, class, probability descending.</li>
 *   <li>Every box first gets its best non-person class and score; then one human per frame, the argmax of the
 *       person column (first on ties), gets label 1 and its person probability, even when it is tiny. Other
 *       person-argmax boxes stay objects.</li>
 *   <li>Pairs (human, every other box of the frame) in box order.</li>
 *   <li>Float32 {@code box * scale / scale} round trip of the test boxes and of supplied boxes; the round-tripped
 *       values are kept (they feed the masks). Union boxes = the pair's min/max corners times the scale.</li>
 *   <li>Union features: RoIAlign {@code aligned=False} ({@link org.m3sgg.sgdet.RoiAlign}, bit for bit with
 *       torchvision's CPU kernel). Masks: {@code draw_union_boxes(.., 27) - 0.5} in float32, which is what
 *       {@link org.m3sgg.features.SpatialMasks} already computes bit for bit; the pipeline, the feature
 *       extraction and DSG-DETR's parity all use that one class (a zero-width union is an error here; the
 *       reference divides by zero).</li>
 *   <li>{@code assign_relations}: IoU with +1 widths in float64; first pass: each detection with IoU &gt; 0.5
 *       takes its best ground truth's label; then ground truth in order (person first) takes its argmax
 *       detection; an object whose candidate is taken falls back to the first untaken detection in
 *       {@code argsort(-IoU)}, even with IoU 0 (ties by ascending index, numpy's order for up to 16 detections;
 *       if all are taken the taken one stays); an object's candidate gets the object's class, the person's
 *       keeps its first-pass label; unmatched ground truth is supplied.</li>
 *   <li>SUPPLY: per frame its detections (assigned labels, detector scores), then its supplied boxes in
 *       ground-truth order (score 1, label = class, features = head(RoIAlign(map, box * scale)));
 *       the distribution of every row is recomputed from the features.</li>
 *   <li>Training pair subject: the frame's k-th box, k = the person's position among the frame's matched then
 *       supplied ground truth. That is the frame's first box when the person was matched, an arbitrary one when
 *       it was supplied, and can be the pair's object (the fixture's self-pair [22, 22]). One pair per matched or
 *       supplied object.</li>
 * </ul>
 *
 * <h2>Switches ({@link org.m3sgg.sgdet.SgdetOptions}; {@code reference()} is STTran)</h2>
 * <ul>
 *   <li>{@code nmsThreshold} (0.6), {@code cleanClasses} ({5, 8, 17}), {@code assignIou} (0.5; also used for the
 *       first labelling pass, which the reference hard-codes at 0.5).</li>
 *   <li>{@code supply} (on). Off: only detections; a frame whose person matched nothing has no pairs (the
 *       reference would reuse the previous frame's person position or fail).</li>
 *   <li>{@code subject}: {@code REFERENCE} (the quirk above, default) or {@code MATCHED_PERSON} (the detection
 *       matched to the person, or the supplied person box: no self-pairs).</li>
 * </ul>
 *
 * <h2>Departures that only matter outside the reference's conditions</h2>
 * <ul>
 *   <li>A frame without detections has no human ({@code humanIdx} -1) and no test pairs; in training all its
 *       ground truth is supplied. The reference fails on such a frame (argmax of an empty tensor).</li>
 *   <li>Each frame's own scale is used for its boxes; the reference uses frame 0's for the whole video (all frames
 *       of an Action Genome video share one size, so the values are the same).</li>
 *   <li>The test path's distribution is taken from the detections when they carry one; otherwise, as the
 *       reference, from the head's class logits.</li>
 * </ul>
 */
package org.m3sgg.sgdet;
