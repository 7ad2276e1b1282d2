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
 * <h2>Reference checkpoints and parity</h2>
 * {@link org.m3sgg.models.dsgdetr.DsgDetrModel#loadStateDict} loads a reference state dict strictly (a missing,
 * unknown or wrongly shaped key is a {@code KitException} naming it); the two {@code positional_encoder.pe} buffers
 * ([1, 400, width]) are checked against the computed sinusoidal encodings and carry no state.
 * {@link org.m3sgg.models.dsgdetr.DsgDetrParity} (and {@code bin/m3sgg parity --kind dsg-detr}) runs PredCLS and
 * SGCLS on {@code src/test/resources/reference/dsgdetr-reference} (Shengyu-Feng/DSG-DETR {@code 1d28dda}, PyTorch
 * 1.13): every output, tracks to the SGCLS relation heads, matches (largest difference 4.5e-6, RoIAlign).
 *
 * <h2>Reference quirks reproduced</h2>
 * <ul>
 *   <li>The tracker normalises boxes with width and height swapped: (x, w) by the image height, (y, h) by the
 *       width ({@code w, h = shape} with {@code shape = im_info[:2] / scale} = (H, W)); the out-of-image rule uses
 *       the right sides. On in {@link org.m3sgg.models.dsgdetr.ObjectTracker#track(double[][], double[][],
 *       double[][], int[], int[], double, double, boolean, ObjectTracker.Params)} whenever the image size is known
 *       (the parity run); the kit's training inputs carry no image size (see the deviations).</li>
 *   <li>SGCLS duplicate clean-up ({@link org.m3sgg.models.relation.SgclsRelabeler}, STTran's rules, which DSG-DETR repeats): per frame the most frequent label
 *       ({@code torch.mode}, smallest of tied labels on CPU) keeps only its best box; the others get that column
 *       zeroed and take the argmax over all 36 columns + 1, which can relabel a box as the person (label 1, then
 *       left out of the pairs) or give a label already present (not re-checked). The human itself is the box with
 *       the largest person probability of the frame and takes part in the mode.</li>
 *   <li>The SGCLS distribution is the softmax of logits[:, 1:] (background dropped before the softmax);
 *       {@code pred_labels} come from columns 1.. (+2), so the person can only come from the human rule.</li>
 *   <li>A box outside the image still joins a matched sequence (or starts one) but neither updates nor creates a
 *       live track; tracks retire after 50 video frame numbers without an update.</li>
 *   <li>Union features: RoIAlign with {@code aligned=False}, adaptive sampling ({@link
 *       org.m3sgg.sgdet.RoiAlign}); union boxes in the resized image (boxes times the scale).</li>
 * </ul>
 *
 * <h2>Deliberate deviations from the reference implementation</h2>
 * <ul>
 *   <li>Image size for box normalisation in the tracker (training and evaluation on the kit's data): the inputs
 *       carry no image size, so the extent of the video's boxes (largest x2, y2) stands in, without the swap; the
 *       out-of-image rule then reduces to negative coordinates. The parity run passes the image size and the
 *       swap.</li>
 *   <li>Track ageing (kit data) is counted in key-frame indices ({@code track_max_gap}, 2) instead of 50 video frame numbers
 *       (about 1.35 Action Genome key-frame steps), since the inputs carry frame indices only.</li>
 *   <li>SGCLS training takes the relation branch's labels from an evaluation-mode pass of the object branch (the
 *       reference takes the argmax from the same training-mode pass; with dropout 0 they differ only by batch-norm
 *       statistics).</li>
 *   <li>The sinusoidal encodings are computed for any position (the reference's tables stop at 400, 600 in
 *       SGDET) and are not state: reference checkpoints' {@code positional_encoder.pe} buffers are checked
 *       against them on load (to 1e-4, the reference's float32 table) and dropped.</li>
 *   <li>The box-position embedding's dropout follows {@code dropout} (the reference fixes it at 0.1), so the
 *       quick config is deterministic.</li>
 *   <li>{@code pair_sequences: track} is an option beyond the paper (pairs grouped by their object's track).</li>
 *   <li>SGCLS test-time relabelling is STTran's ({@code SgclsRelabeler}), as in the reference.</li>
 *   <li>SGDET: tracks group the boxes by the argmax of the detector distribution (the reference's
 *       {@code get_sequence} for SGDET; a singleton is a track of its own, as the reference's {@code indices[0]}),
 *       and positions in the object encoder and in the pair sequences are the rank of the box's (pair's) frame among
 *       its sequence's frames (the reference's {@code pos_index}; PredCLS and SGCLS count elements). Training labels
 *       the relation branch with the assigned labels, as the reference ({@code pred_labels = labels}).
 *       <b>Deviation at test time:</b> the reference refines the raw detections and re-classifies them with its
 *       own classifier ({@code softmax(logits)[:, 1:]}, background included in the softmax) before STTran's
 *       {@code clean_class}/NMS/human steps; here every model shares the kit's SGDET object pipeline
 *       ({@link org.m3sgg.sgdet.SgdetPipeline}), which runs those steps on the detector's distribution, and the
 *       tracks are built on the boxes it keeps. The relation branch is the reference's.</li>
 * </ul>
 */
package org.m3sgg.models.dsgdetr;
