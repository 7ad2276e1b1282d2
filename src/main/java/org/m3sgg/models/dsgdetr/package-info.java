/**
 * DSG-DETR: S. Feng, H. Mostafa, M. Nassar, S. Majumdar, S. Tripathi, "Exploiting Long-Term Dependencies for
 * Generating Dynamic Scene Graphs", WACV 2023 (reference code: Shengyu-Feng/DSG-DETR, {@code lib/sttran.py},
 * {@code lib/track.py}, {@code lib/matcher.py}). Registry name {@code dsg-detr}; configs
 * {@code configs/models/dsg-detr.yaml} (paper widths) and {@code configs/quick/dsg-detr.yaml}.
 *
 * <h2>What it does</h2>
 * <ol>
 *   <li>Object tracks ({@link org.m3sgg.models.dsgdetr.ObjectTracker}): PredCLS groups boxes by ground-truth
 *       label; SGCLS tracks frame by frame with Hungarian matching ({@link org.m3sgg.models.dsgdetr.Hungarian}) on
 *       class, feature, box-L1 and GIoU costs with the reference weights (0.5, 1, 1, 0.5) and acceptance rule
 *       (class or feature cost below 0.5).</li>
 *   <li>Object-sequence encoder: each box's {@code [feature, class distribution x embedding, box position]}
 *       ({@code objectWidth}, 2376 at paper widths) plus a sinusoidal encoding of its position in its track goes
 *       through a transformer encoder (3 layers, 8 heads, ffn 1024) whose attention stays inside the track; the
 *       refined features feed the SGCLS classifier and the subject/object projections.</li>
 *   <li>Relation model: STTran's pair representation, a local encoder over the pairs of each frame, then a global
 *       encoder over each pair sequence of the whole video (pairs grouped by their object's class, with a
 *       sinusoidal encoding of the position in the sequence), STTran's heads and losses (+ object cross-entropy
 *       in SGCLS).</li>
 * </ol>
 * Padding of the reference's batched sequences becomes additive block masks over one sequence per video (same
 * attention, no padding rows).
 *
 * <h2>Deliberate deviations from the reference implementation</h2>
 * <ul>
 *   <li>Image size for box normalisation in the tracker: the inputs carry no image size, so the extent of the
 *       video's boxes (largest x2, y2) stands in; the out-of-image rule then reduces to negative coordinates, and
 *       the reference's swapped width/height in that rule is not reproduced.</li>
 *   <li>Track ageing is counted in key-frame indices ({@code track_max_gap}, 2) instead of 50 video frame numbers
 *       (about 1.35 Action Genome key-frame steps), since the inputs carry frame indices only.</li>
 *   <li>SGCLS training takes the relation branch's labels from an evaluation-mode pass of the object branch (the
 *       reference takes the argmax from the same training-mode pass; with dropout 0 they differ only by batch-norm
 *       statistics).</li>
 *   <li>The sinusoidal encodings are computed for any position (the reference's tables stop at 400, 600 in
 *       SGDET) and are not state: reference checkpoints' {@code positional_encoder.pe} buffers have no
 *       counterpart (no importer for DSG-DETR checkpoints is provided).</li>
 *   <li>The box-position embedding's dropout follows {@code dropout} (the reference fixes it at 0.1), so the
 *       quick config is deterministic.</li>
 *   <li>{@code pair_sequences: track} is an option beyond the paper (pairs grouped by their object's track).</li>
 *   <li>SGDET is not supported (its tracks are class-grouped detections after NMS; no detector in this kit's
 *       SGDET path yet). SGCLS test-time relabelling is STTran's, as in the reference.</li>
 * </ul>
 */
package org.m3sgg.models.dsgdetr;
