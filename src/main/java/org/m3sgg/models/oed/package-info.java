/**
 * OED: G. Wang, Z. Li, Q. Chen, Y. Liu, "OED: Towards One-stage End-to-End Dynamic Scene Graph Generation", CVPR
 * 2024 (reference code: guanw-pku/OED {@code 4880df7}, {@code models/dsgg_single_sgdet.py},
 * {@code models/cdn_single_sgdet.py}, {@code models/dsgg_multi_sgdet.py}, {@code models/cdn_multi_sgdet.py},
 * {@code models/position_encoding.py}, {@code models/evaluate_recall.py}).
 *
 * <h2>What is here: inference from raw frames</h2>
 * <ol>
 *   <li>{@link org.m3sgg.models.oed.OedImages}: OED's evaluation preprocessing. The size rule of
 *       {@code RandomResize([600], max_size=1000)} (short side 600 unless the long side would pass 1000, then
 *       {@code round(1000 · short / long)} with Python's half-to-even round; the other side truncated), PIL's
 *       bilinear {@code Image.resize} re-implemented (8-bit two-pass resampling, horizontal first, support widened by
 *       the scale when shrinking, 22-bit fixed-point weights, clipped rounding), {@code ToTensor} + {@code Normalize}
 *       in float32 ({@code (v / 255 - mean) / std}), and zero padding to the batch's largest H, W with the mask.</li>
 *   <li>{@link org.m3sgg.models.oed.OedBackbone}: torchvision's ResNet (v1.5: stride on the 3x3 convolution; stem
 *       max pool 3 / 2, padding 1) through the shared {@link org.m3sgg.nn.ResNetTrunk}, frozen batch norms (eps
 *       1e-5) folded into the convolutions, up to {@code layer4}; weights {@code backbone.0.body.*} loaded strictly,
 *       blocks and widths read from them (ResNet-50 for the published checkpoints).</li>
 *   <li>{@link org.m3sgg.models.oed.OedPredictor}: frames of one video resized, through the backbone and the
 *       spatial model one at a time; for a temporal checkpoint each frame is a key frame with the reference frames
 *       OED's evaluation picks (within {@code interval2} = 4, key removed, every {@code (n - 1) // (refs - 1)}-th:
 *       key - 4 and key + 4 inside a video, clipped at its ends). {@code bin/m3sgg oed-predict} runs it on a
 *       folder.</li>
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
 * OED's evaluator is {@link org.m3sgg.eval.OedEvaluator}, offered on the kit's predictions as
 * {@code --protocol oed} / {@code oed-nms} ({@link org.m3sgg.eval.OedProtocol}; models compute no metrics).
 *
 * <h2>Checkpoints and widths</h2>
 * {@link org.m3sgg.models.oed.OedCheckpoint} reads OED's {@code {'model', 'epoch', 'args'}} layout in both torch
 * serialisations (the pickled {@code argparse.Namespace} becomes a map of its attributes).
 * {@link org.m3sgg.models.oed.OedConfig#from} takes layer counts, width, heads, FFN and queries from {@code args},
 * class counts and the C5 width from the state dict, and temporal-ness from the PRM keys, so the same code loads
 * the published checkpoints; the PRM top-k per reference frame (80 / 50 / 30) is a literal in OED's code and a
 * parameter here ({@link org.m3sgg.models.oed.OedConfig#PUBLISHED_TOPK}). Loading is strict: the transformer's
 * keys must match the graph's shapes, the backbone's {@code backbone.0.body.*} keys the ResNet's (no other
 * {@code backbone.*} key is accepted). A temporal checkpoint also gives the spatial model (its
 * non-temporal tensors are the spatial ones after OED's frozen second stage).
 *
 * <h2>Verified</h2>
 * {@link org.m3sgg.models.oed.OedParity} ({@code bin/m3sgg parity --kind oed}) on
 * {@code src/test/resources/reference/oed-reference} from both serialisations, from the raw frames: the
 * normalised images equal bit for bit, the masks, C5 masks and PRM top-k indices equal, the C5 maps within 2.6e-5
 * (values up to 19), and every later output, each stage fed the Java side's own previous stage, within 1e-4
 * (largest: 6.5e-5, the spatial object logits; from the fixture's own C5 maps it was 9.9e-6), and OED's evaluator
 * (fed the fixture's post-processing arrays) equal in every list, with and without the NMS filter, both
 * constraints. The resize: {@code OedImagesTest} against PIL 9.4 ({@code oed-resize} fixture, 8 shrinking,
 * enlarging and mixed cases equal byte for byte; the size rule on 15 frame sizes). The published widths: a random
 * checkpoint built in Java loads and runs from pixels ({@code OedPublishedWidthTest}, tagged slow).
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
 *       backbone learning rate; with {@code map_coords} (the quick config) two channels of cell coordinates are
 *       appended, because a CNN's C5 tells where a cell is and the painted maps do not (DETR's box heads read the
 *       decoder's content, whose values carry no position encoding); double precision; no dropout and no
 *       augmentation; a video's frames run through the graph together (PredCLS queries padded and masked), a
 *       step's loss the mean over its frames of each frame's loss as OED normalises one frame (OED normalises over
 *       a batch of frames); constant learning rate (no StepLR);
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
 *       {@code use_matched_query}, {@code masks}, {@code use_roi}, {@code semantic_head}, {@code one_dec} and the
 *       other temporal variants ({@code temporal_feature_encoder}, {@code instance_/relation_temporal_interaction},
 *       {@code temporal_embed_head}, {@code temporal_decoder_init}) must be off, {@code dsgg_task} must be
 *       {@code sgdet} (a checkpoint otherwise is refused with one line naming the argument). Temporal clips of one
 *       video without padding (OED evaluates with batch 1).</li>
 *   <li>The backbone runs in float32 in {@link org.m3sgg.models.oed.OedPredictor} (double in the parity check).
 *       JPEG frames are decoded by Java's ImageIO, which can differ from PIL's libjpeg by a grey level; PNG frames
 *       are exact.</li>
 *   <li>Not here: the SGCLS variant, OED's optional {@code use_matching} and re-weighting losses. Checkpoints are
 *       imported for SGDET only ({@code dsgg_task} sgdet); PredCLS is trained in the kit.</li>
 * </ul>
 */
package org.m3sgg.models.oed;
