/**
 * TEMPURA: Nag, Min, Tripathi, Roy-Chowdhury, "Unbiased Scene Graph Generation in Videos", CVPR 2023
 * (reference code: sayaknag/unbiasedSGG, commit 34c2841; notes §3.3).
 *
 * <p>Paper to code: STTran's pair features and windowed spatial-temporal transformer ({@link
 * org.m3sgg.models.tempura.TempuraModel}, placeholders laid out by {@link org.m3sgg.models.relation.RelationBatch});
 * mixture-density heads with aleatoric and epistemic uncertainty ({@link org.m3sgg.models.tempura.GmmHead});
 * the memory-diffusion unit: predicate prototypes rebuilt from the training split after every epoch ({@link
 * org.m3sgg.models.tempura.PredicateMemory}, {@code TrainingAware.afterEpoch}, stored in {@code state()}) and read
 * by the memory hallucinator ({@link org.m3sgg.models.tempura.MemoryAttention}), early or late fusion, fixed or
 * learned lambda; the OSPU object-sequence encoder in SGCLS ({@link org.m3sgg.models.tempura.ObjectSequences});
 * attention NLL, BCE, optional uncertainty-weighted relation losses, eos-weighted object CE, euc_con contrastive
 * loss. Model selection on mR@20 ({@code configs/models/tempura.yaml}).
 *
 * <p>Reference checkpoints: {@link org.m3sgg.models.tempura.TempuraCheckpoint#load} imports {@code train.py}'s
 * {@code {'state_dict', 'object_memory', 'rel_memory'}} (both torch serialisations) strictly: an unknown, missing
 * or wrongly shaped key is an error naming it; {@code rel_memory} becomes the predicate memory (rows attention,
 * spatial, contacting); {@code object_memory} must be zero (no object memory here); in PredCLS the
 * {@code object_classifier.*} keys are shape-checked and unused, as in the reference. {@link
 * org.m3sgg.models.tempura.TempuraParity} compares the PredCLS forward pass with the reference fixture
 * {@code tempura-reference} (mixtures with and without memory, decoder and memory-fused features, aleatoric and
 * epistemic uncertainties): all within 1.5e-6. Parity needed no change of the model's computation (so training is
 * unchanged); only state-dict bindings and the {@link org.m3sgg.models.tempura.TempuraModel#MEMORY_FUSED} output
 * name were added.
 *
 * <p>Deliberate deviations from the reference implementation:
 * <ul>
 *   <li>The memory is built after each epoch from an evaluation-mode pass over the training videos with the
 *       epoch's final weights; the reference saves features batch by batch during the epoch (train-mode
 *       features of changing weights). Only the 'simple' (mean) prototype weighting is implemented, not
 *       'al'/'ep'/'both'. The object memory ({@code -obj_mem_compute}) is not implemented (the README commands
 *       do not use it).</li>
 *   <li>Uncertainty loss weighting ({@code rel_loss_weighting al|ep}) uses the heads' uncertainties of the same
 *       forward pass (outside the gradient) instead of the reference's separately normalised batch
 *       uncertainties.</li>
 *   <li>The object head is the README's linear one ({@code -obj_head linear}); no GMM object head. The attention
 *       output holds log-probabilities so that the engine's softmax returns the GMM probabilities unchanged
 *       (the M3SGG port normalises twice).</li>
 *   <li>GMM noise is drawn on the host from ND4J's seeded generator and fed as placeholders (repeatable and
 *       resumable). Evaluation never samples (the M3SGG port samples at test time and leaks ground-truth labels
 *       into SGCLS evaluation; here SGCLS test labels are the classifier's, relabelled by the engine).</li>
 *   <li>The classifier's position-embedding dropout and the OSPU's positional-encoding dropout use the config's
 *       {@code dropout} (the reference fixes 0.1); the quick config sets 0.</li>
 *   <li>OSPU sequences come from the detector distribution's argmax over all boxes, as one block-masked sequence
 *       (equivalent attention to the reference's padded batch), in SGCLS and SGDET as the reference's
 *       {@code -tracking}; {@code take_obj_mem_feat} and info_nce are not implemented.</li>
 *   <li>SGDET uses STTran's object pipeline ({@link org.m3sgg.sgdet.SgdetPipeline}), as the reference does;
 *       training labels come from {@code assign_relations} (0 = background, weighted by {@code eos_coef}).</li>
 *   <li>The temporal decoder's zero-sum key-mask quirk (a key whose encoder output sums to exactly 0 is masked) is
 *       not reproduced; padding is masked by the frame layout. On the reference fixture the quirk masks exactly
 *       the padding, so the parity check cannot distinguish the two.</li>
 * </ul>
 */
package org.m3sgg.models.tempura;
