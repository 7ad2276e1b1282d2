/**
 * Deployment of the kit's relation models (docs/DEPLOY.md).
 *
 * <ul>
 *   <li>{@link org.m3sgg.deploy.OnnxExport}: a model's evaluation passes, traced on a few videos, as ONNX files
 *       (opset 17); {@link org.m3sgg.deploy.GraphSlice} cuts the SameDiff graph down to one pass (constants folded,
 *       the train-flag switches resolved), {@link org.m3sgg.deploy.OnnxWriter} maps its ops to ONNX nodes
 *       (decomposing rsqrt, diag and im2col, refusing with one line what it does not know).</li>
 *   <li>{@link org.m3sgg.deploy.OrtEngine} runs those files on ONNX Runtime for Java in place of SameDiff
 *       ({@link org.m3sgg.models.GraphModel#setEngine}); {@link org.m3sgg.deploy.OnnxVerify} scores a split both ways
 *       and compares outputs (1e-4) and metrics (1e-6).</li>
 *   <li>{@link org.m3sgg.deploy.Int8Weights}: weight-only int8 quantization of the linear layers, per output channel;
 *       exported as QDQ.</li>
 *   <li>{@link org.m3sgg.deploy.Pruning}: global L1 unstructured pruning with masks kept beside the parameters.</li>
 *   <li>{@link org.m3sgg.deploy.FineTune}: the {@code finetune:} config section behind {@code train --init-from}
 *       and {@code --freeze}, used by the trainer.</li>
 * </ul>
 */
package org.m3sgg.deploy;
