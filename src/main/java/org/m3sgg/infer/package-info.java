/**
 * Inference on any video (docs/INFER.md): frames from {@link org.m3sgg.video} through STTran's preprocessing, the
 * Faster R-CNN of {@link org.m3sgg.detector}, STTran's SGDET object pipeline ({@link org.m3sgg.sgdet.SgdetPipeline},
 * the detector's layer-4 head as its box head) and the relation model of an SGDET run, to one
 * {@link org.m3sgg.infer.SceneGraph} per sampled frame.
 *
 * <ul>
 *   <li>{@link org.m3sgg.infer.VideoInference}: the loop over windows of frames ({@code run}), the same on
 *       preprocessed arrays ({@code graphs}).</li>
 *   <li>{@link org.m3sgg.infer.SgdetRun}: the run's model, refused unless trained in SGDET, and its input widths,
 *       checked against the detector's.</li>
 *   <li>{@link org.m3sgg.infer.GraphBuilder}: test entry + relation outputs to graphs (top-K triplets ranked as
 *       the evaluator ranks them with the constraint).</li>
 *   <li>{@link org.m3sgg.infer.GraphsFile}: {@code graphs.json}, format {@code m3sgg-graphs/1}.</li>
 *   <li>{@link org.m3sgg.infer.InferOutputs}: overlays, timeline, GIF/MP4 preview, and a notebook figure.</li>
 * </ul>
 *
 * <p>Deviation from the reference: the relation model sees windows of sampled frames (default 30) instead of a
 * whole video at once, so that memory stays bounded on long videos; for a video of at most one window the two
 * are the same.
 */
package org.m3sgg.infer;
