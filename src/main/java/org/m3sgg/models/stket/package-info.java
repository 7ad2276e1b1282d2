/**
 * STKET: T. Pu, T. Chen, H. Wu, Y. Lu, L. Lin, "Spatial-Temporal Knowledge-Embedded Transformer for Video Scene
 * Graph Generation", IEEE Transactions on Image Processing 33 (2024) 556-568 (arXiv 2309.13237); reference code
 * HCPLab-SYSU/STKET ({@code lib/stket.py}, {@code lib/transformer.py}, {@code countPrior.py}).
 *
 * <p>Pieces: {@link org.m3sgg.models.stket.StketPriors} counts the spatial prior P(predicates | object class) and
 * the transition prior P(predicates at t+1 | contacting k at t, class) from the training videos the Trainer hands
 * to {@link org.m3sgg.models.stket.StketModel#beforeTraining}; the model copies them into its prior parameters
 * (once: a resumed run keeps its trained values) and keeps the counts in {@code state()}.
 * {@link org.m3sgg.models.stket.PriorEncoderLayer} / {@link org.m3sgg.models.stket.PriorDecoderLayer} add the
 * reference's {@code W_q(x + prior)}, {@code W_k(x + prior)}, {@code W_v(x)} projections; prior vectors are
 * embedded by the reference's {@code state_fc} (26 -> 128 -> 256 -> 512 -> d, no activations).
 * {@link org.m3sgg.models.stket.StketBatch} builds the temporal-prior weights and the ensemble windows on the host.
 * Heads: spatial, temporal, ensemble; {@code eval_head} picks the predictions; all three are named outputs.
 * Losses: for each head CE (attention) + BCE or multi-label margin (spatial, contacting); with
 * {@code prior_loss}, the same terms on the spatial / temporal heads applied to the prior embeddings alone; SGCLS
 * adds the object CE. Switch {@code spatial_prior} / {@code temporal_prior} off for the no-knowledge ablation.
 *
 * <p>Deliberate deviations from the reference implementation:
 * <ul>
 * <li>No base heads on the raw relation features ({@code a/s/c_rel_compress}): the reference computes them but no
 * loss trains them (M3SGG evaluates exactly these untrained heads); the evaluated heads here are the trained ones.
 * </li>
 * <li>Priors are counted by the kit from the training split (no JSON file); in every mode they come from the
 * annotated objects of each frame, as {@code countPrior.py}'s ground-truth annotations. SGDET uses STTran's object
 * pipeline ({@link org.m3sgg.sgdet.SgdetPipeline}), as the reference does.</li>
 * <li>{@code contact_threshold} must be below 1: the reference's 1.0 uses ground-truth contacting labels to pick
 * priors, also at test time.</li>
 * <li>The contacting sets come from a first graph pass (the spatial head); the reference detaches the same
 * probabilities inside one pass. With dropout the two passes draw different masks (quick configs use 0).</li>
 * <li>A class seen several times in one frame is represented by its last pair (the reference does the same in
 * training/PredCLS; in SGCLS evaluation it keeps the highest-scoring detection, which the relation inputs do not
 * carry).</li>
 * <li>Temporal-decoder keys are masked by window membership, not by the reference's "row sums to 0" test
 * (see STTran's {@code zero_sum_key_mask}).</li>
 * <li>At least one encoder and one decoder layer are required (the ensemble reads both); the reference allows 0
 * for ablations and then skips the ensemble.</li>
 * <li>Ensemble decoder layer count is configurable ({@code ensemble_layers}, 2 as in the reference).</li>
 * </ul>
 */
package org.m3sgg.models.stket;
