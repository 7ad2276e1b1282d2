/**
 * OED: G. Wang, Z. Li, Q. Chen, Y. Liu, "OED: Towards One-stage End-to-End Dynamic Scene Graph Generation", CVPR
 * 2024 (reference code: guanw-pku/OED {@code 4880df7}, {@code models/dsgg_single_sgdet.py},
 * {@code models/cdn_single_sgdet.py}, {@code models/dsgg_multi_sgdet.py}, {@code models/cdn_multi_sgdet.py},
 * {@code models/position_encoding.py}, {@code models/evaluate_recall.py}).
 *
 * <h2>What is here: inference from the backbone's C5 map on</h2>
 * <ol>
 *   <li>{@link org.m3sgg.models.oed.OedPositions}: the padding mask resized to the C5 map (nearest neighbour: cell
 *       (y, x) copies pixel (floor(y·H/h), floor(x·W/w)), float32 scale, so a cell mostly over padding is valid when
 *       its sampled pixel is) and DETR's sine position encoding (running counts of valid cells divided by the count
 *       in the last row / column plus 1e-6, times 2π; padded cells carry the last count on, a padded column gets 0;
 *       sin on even, cos on odd channels; the y half first).</li>
 *   <li>{@link org.m3sgg.models.oed.OedModel}: input projection (the 1x1 convolution as a Linear over channels),
 *       post-norm DETR encoder (position added to queries and keys, padded cells masked as keys but computed as
 *       queries), the pair-wise instance (HOPD) decoder from zero targets with {@code query_embed} as query
 *       position, then the interaction decoder from zero targets with the last HOPD output as query position; each
 *       decoder layer's output through the decoder's shared norm (the last layer once); heads: object, attention,
 *       spatial and contacting Linears, subject and object box MLPs (3 layers, ReLU, sigmoid); auxiliary outputs
 *       pair the layers counted from the end ({@code m = min(L_hopd, L_inter)}, entries {@code i < m - 1}); the
 *       last layers' cross-attention maps averaged over heads. Temporal models: the Progressively Refined Module
 *       ({@link org.m3sgg.models.oed.PrmLayer}, three steps at width 2d, self-attention then cross-attention to
 *       the selected reference queries then FFN, each post-norm, no positions) and the temporal heads on the
 *       split [pair ‖ relation] output.</li>
 *   <li>{@link org.m3sgg.models.oed.Prm}: reference queries scored with the <em>spatial</em> heads as the product of
 *       max softmax object probability over classes 0..C-2 (no-object dropped after the softmax, class 0
 *       included), max softmax attention probability over the first A-1 (background dropped after the softmax),
 *       max sigmoid spatial and max sigmoid contacting; each step keeps the top {@code k · refFrames} of the
 *       full reference set, largest first.</li>
 *   <li>{@link org.m3sgg.models.oed.OedPostProcess}: {@code PostProcessDSGG}: subject scores and labels 1, object
 *       score/label = max/argmax over classes 0..C-2 of the softmax over every logit (label 0 possible),
 *       attention = softmax over the first A-1 logits (the background logit dropped <em>before</em> the softmax,
 *       unlike the PRM), sigmoid spatial and contacting, boxes left normalised cxcywh of the padded input.</li>
 * </ol>
 * OED's evaluator is {@link org.m3sgg.eval.OedEvaluator} (models compute no metrics).
 *
 * <h2>Checkpoints and widths</h2>
 * {@link org.m3sgg.models.oed.OedCheckpoint} reads OED's {@code {'model', 'epoch', 'args'}} layout in both torch
 * serialisations (the pickled {@code argparse.Namespace} becomes a map of its attributes).
 * {@link org.m3sgg.models.oed.OedConfig#from} takes layer counts, width, heads, FFN and queries from {@code args},
 * class counts and the C5 width from the state dict, and temporal-ness from the PRM keys, so the same code loads
 * the published checkpoints; the PRM top-k per reference frame (80 / 50 / 30) is a literal in OED's code and a
 * parameter here ({@link org.m3sgg.models.oed.OedConfig#PUBLISHED_TOPK}). Loading is strict: every key except
 * {@code backbone.*} must match the graph's shapes. A temporal checkpoint also gives the spatial model (its
 * non-temporal tensors are the spatial ones after OED's frozen second stage).
 *
 * <h2>Verified</h2>
 * {@link org.m3sgg.models.oed.OedParity} ({@code bin/m3sgg parity --kind oed}) on
 * {@code src/test/resources/reference/oed-reference} from both serialisations: from the fixture's C5 maps, the C5
 * masks and PRM top-k indices are equal, every float output within 1e-5 (largest: 9.9e-6, the contacting logits),
 * and OED's evaluator (fed the fixture's post-processing arrays) equal in every list, with and without the NMS
 * filter, both constraints.
 *
 * <h2>Training ({@code --model oed}, {@link org.m3sgg.models.oed.OedKitModel})</h2>
 * {@link org.m3sgg.models.oed.OedMatcher} is {@code HungarianMatcherDSGG} ({@code models/matcher.py}) and
 * {@link org.m3sgg.models.oed.OedCriterion} is {@code SetCriterionDSGG} of {@code dsgg_single_sgdet.py} (SGDET)
 * and {@code dsgg_single_xcls.py} (PredCLS), verified on {@code src/test/resources/reference/oed-criterion}
 * (indices equal, every loss term within 1e-6). {@link org.m3sgg.models.oed.OedKitModel} is the registry's
 * {@code oed} ({@link org.m3sgg.models.FrameModel}): PredCLS queries from ground-truth pairs (class vector and 12
 * box features through two MLPs, query i is pair i), SGDET learned queries with matching on every layer; a
 * temporal config trains the PRM and temporal heads on a frozen spatial model ({@code --freeze_mode 1}), its
 * temporal heads starting from the spatial heads ({@link org.m3sgg.models.SggModel#initAlias}).
 *
 * <h2>Deviations and what is not here</h2>
 * <ul>
 *   <li>Training: the input is a frame map (the world's painted maps pooled to stride 32 stand in for C5), so no
 *       backbone learning rate; double precision; no dropout and no augmentation; one frame per pass and a step's
 *       loss the mean over its frames (OED normalises over a batch of frames); constant learning rate (no StepLR);
 *       PredCLS class vectors are a fixed seeded Gaussian table instead of GloVe; the PRM keeps
 *       {@code min(k · refs, available)} reference queries and takes the preceding annotated frames as references;
 *       the kit's predictions label objects with the argmax over classes 1..C-2 (OED's may be class 0).</li>
 *   <li>The PRM's [pair ‖ relation] split is a product with [I; 0] / [0; I] (exact) because ND4J's strided-slice
 *       gradient fails for a single query.</li>
 *   <li>Computed in double precision (the reference in float32); the mask resize and position encoding in float32
 *       as the reference.</li>
 *   <li>Top-k ties keep the lower index first ({@code torch.topk} leaves them unspecified); none occur on the
 *       fixture (smallest relative margin 2.6e-3).</li>
 *   <li>Only OED's published temporal SGDET setting: {@code dec_layers_temporal} 1 without {@code --one_temp} /
 *       {@code --seq_sort}; {@code pre_norm}, {@code dilation}, {@code fuse_semantic_pos} and
 *       {@code use_matched_query} must be off (a checkpoint with them is refused with one line). Temporal clips of
 *       one video without padding (OED evaluates with batch 1).</li>
 *   <li>Not here yet: the ResNet-50 backbone (a shared trunk in {@code org.m3sgg.nn} is being built separately;
 *       the C5 comparison is listed as not compared by the parity command), the frame resize to 600 / 1000, the
 *       SGCLS variant, OED's optional {@code use_matching} and re-weighting losses.</li>
 * </ul>
 */
package org.m3sgg.models.oed;
