/**
 * STTran: Spatial-Temporal Transformer for dynamic scene graph generation.
 *
 * <p>Yuren Cong, Wentong Liao, Hanno Ackermann, Bodo Rosenhahn, Michael Ying Yang. "Spatial-Temporal Transformer
 * for Dynamic Scene Graph Generation." ICCV 2021, pp. 16372-16382. Reference code: github.com/yrcong/STTran
 * ({@code lib/sttran.py}, {@code lib/transformer.py}).
 *
 * <h2>What is here</h2>
 * <ul>
 *   <li>{@link org.m3sgg.models.sttran.SttranConfig}: every width (paper: 2048 / 1024 -> 256 / 512 / 200 /
 *       d_model 1936 / 8 heads / FFN 2048 / 1 + 3 layers; {@code quick()} for tests).</li>
 *   <li>{@link org.m3sgg.models.sttran.SttranModel}: the SameDiff graph (pair features, spatial encoder,
 *       temporal decoder over 2-frame windows, the three heads, the SGCLS object classifier, the losses) and a
 *       training step (AdamW with clipping 5, batch-norm running statistics from the same forward).</li>
 *   <li>The blocks it is built from are shared with the other relation models and live in
 *       {@link org.m3sgg.models.relation}: {@code RelationBatch} (the host-side one-hot selections and masks built
 *       from {@link org.m3sgg.models.RelationInputs} / {@link org.m3sgg.models.RelationTargets}),
 *       {@code RelationFeatures}, {@code GlocalTransformer}, {@code RelationHeads}, {@code ObjectClassifier} and
 *       {@code SgclsRelabeler} (SGCLS test-time relabelling and pair rebuilding).</li>
 *   <li>{@link org.m3sgg.models.sttran.SttranParity}: the reference comparison behind {@code m3sgg parity}.</li>
 * </ul>
 *
 * <h2>Bringing published STTran weights into the kit</h2>
 * <ol>
 *   <li>Take the released checkpoint as it is ({@code sttran_predcls.tar}, {@code sttran_sgcls.tar},
 *       {@code sttran_sgdet.tar}: {@code torch.save({'state_dict': model.state_dict()}, path)}). Both PyTorch
 *       serialisations are read without Python: the zip format of PyTorch >= 1.6 and the legacy stream format
 *       ({@link org.m3sgg.nn.torch.TorchCheckpoint}). float32/float64/int64 storages and strided views are
 *       supported; anything else is an error naming the file and storage.</li>
 *   <li>Build the model with the checkpoint's widths ({@code SttranConfig.paper()} for the released files) and
 *       call {@code model.loadStateDict(TorchCheckpoint.loadStateDict(path), path.toString())}. Graph variables are
 *       named after the state_dict keys and keep PyTorch's layouts (Linear {@code [out, in]}, Conv
 *       {@code [out, in, kH, kW]}), so the mapping is one-to-one except {@code in_proj_weight/in_proj_bias} of each
 *       attention, which are split into q/k/v parts. The load is strict: an unknown key, a missing key or a wrong
 *       shape stops with a message naming the key and both shapes. {@code num_batches_tracked} is checked and
 *       ignored.</li>
 *   <li>Check the port on your machine with {@code bin/m3sgg parity --fixture <folder>} on a folder laid out like
 *       {@code src/test/resources/reference/sttran-reference} (dims.json, checkpoint, in_*.npy, out_*.npy); the bundled fixture
 *       agrees to about 4e-7 for both checkpoint formats.</li>
 *   <li>The checkpoint needs the same inputs the authors used: 2048-d RoI features and 1024x7x7 union RoIAlign
 *       features from their AG-trained Faster R-CNN, and the soft (fractional-coverage) spatial masks minus 0.5.
 *       Features from another detector make the weights meaningless even though they load.</li>
 * </ol>
 *
 * <h2>Deliberate deviations from the reference implementation</h2>
 * <ul>
 *   <li>Layout, not semantics: the reference pads each frame to the longest frame ({@code [l, T, D]}) and each
 *       window to {@code 2l}; here all pairs form one sequence with block-diagonal additive masks (-1e9 instead of
 *       -inf) and the windows are stacked rows selected by one-hot matrices. Outputs agree to float rounding; rows
 *       that are pure padding in the reference simply do not exist here.</li>
 *   <li>Degenerate attention: where the reference would give NaN (a window in which every key is masked, which
 *       only the zero-sum quirk below can cause for real pairs) this port attends uniformly instead.</li>
 *   <li>The zero-sum key-mask quirk (a key whose encoder output sums to exactly 0 is treated as padding) is off
 *       in the kit's configs and in {@code parity}; {@code zero_sum_key_mask: true} ({@code SttranConfig.zeroSumKeyMask})
 *       turns it on. It only fires for real pairs when a row sums to exactly 0, which happens right after
 *       initialisation (layer norms at weight 1, bias 0) and then depends on summation order, in PyTorch as here:
 *       with it on, the reference fixture is missed by 0.2-0.36 both by PyTorch 2.13 and by this port, and met to
 *       5e-7 by both with it off.</li>
 *   <li>Frames with no pair at all are allowed anywhere (the reference indexes by {@code im_idx[-1] + 1} and
 *       assumes sorted pairs); pairs need not be sorted by frame.</li>
 *   <li>Gathers are products with host-built one-hot matrices, embeddings are one-hot products, dropout is a
 *       multiplied mask, log-softmax and layer/batch norm are written out (SameDiff backprop workarounds);
 *       mathematically identical. The dropout mask's uniform values are a hash of a per-step seed, the dropout
 *       site and the element's position (not PyTorch's generator), so runs repeat for a seed.</li>
 *   <li>Convolutions are matrix products of im2col patches (or pixels, for the 1x1 union convolution) with the
 *       weight, and the mask stack runs channel-major with the batch-norm scale as a diagonal product (speed; the
 *       same sums in another order, see {@code docs/PERFORMANCE.md}).</li>
 *   <li>The classifier's box-position batch-norm momentum is a config value ({@code pos_bn_momentum}, 0.001 as
 *       the reference in {@code configs/models/sttran.yaml}); the quick config uses 0.1 so that its running
 *       statistics settle within a short run.</li>
 *   <li>Batch norm: one graph serves training and evaluation through a scalar train flag; running statistics are
 *       updated after the optimiser step from the batch statistics of the same forward pass (PyTorch updates them
 *       during the forward). Batch size 1 in training does not raise an error as PyTorch's BatchNorm1d would.</li>
 *   <li>The SGCLS relabelling's tie-breaking: {@code torch.mode} ties take the smallest label, the duplicate pass
 *       uses a stable sort; PyTorch's argsort is unstable, so exact ties can differ.</li>
 *   <li>SGCLS union features and masks for the rebuilt pairs are not computed inside the model (the reference
 *       runs RoIAlign on stored feature maps); the caller supplies them for the pairs the relabeller returns.</li>
 *   <li>The spatial-only ablation ({@code temporalDecoder = false}) feeds the encoder output to the heads
 *       directly; the reference with zero decoder layers would still zero single-frame videos.</li>
 *   <li>SGDET: the model's graph is the SGCLS one (the object classifier learns the labels {@code
 *       assign_relations} gives the detections, 0 = background), as in the reference; the detector tail, class
 *       cleaning, NMS, human choice, pairs and union features live in {@link org.m3sgg.sgdet} (shared by every
 *       model, checked against STTran by {@code bin/m3sgg parity --kind sgdet}). At SGDET test time the classifier's
 *       weights are unused, as in the reference.</li>
 *   <li>Optimiser: decoupled AdamW as in {@code torch.optim.AdamW} (the reference ships its own AdamW file with
 *       the same betas, eps and decay).</li>
 * </ul>
 */
package org.m3sgg.models.sttran;
