package org.m3sgg.models.oed;

import java.util.List;
import org.m3sgg.api.KitException;

/**
 * OED as the kit trains it (the YAML {@code model:} section of {@code configs/models/oed.yaml}): widths and depths
 * of {@link OedConfig}, the temporal stage, the PredCLS query inputs and OED's matching-cost and loss weights
 * ({@link OedLossWeights}). The optimiser's learning rate, weight decay and gradient clipping are the run's
 * {@code train:} section ({@code lr}, {@code weight_decay}, {@code clip_norm}); OED's {@code lr_backbone} has no
 * counterpart because no backbone is trained here (the frame map is the input).
 *
 * @param c5Channels        channels of the frame map that stands in for C5 (8 for the bundled world's painted maps,
 *                          2048 for ResNet-50's C5)
 * @param mapPool           average-pool the frame map by this factor first (2: the world's stride-16 maps to C5's
 *                          stride 32; 1: as given)
 * @param mapCoords         append two channels holding each cell's normalised centre (x, y in 0..1) to the frame map:
 *                          a CNN's C5 carries where a cell is (ResNet features encode absolute position, learnt from
 *                          zero padding), which DETR's box heads need because the decoder's values are the map's
 *                          content alone; the bundled world's painted maps are the same inside a box wherever it is,
 *                          so without these channels a box can only be guessed from what is painted, not from
 *                          where. c5_channels counts them.
 * @param dModel            transformer width ({@code hidden_dim}, 256)
 * @param heads             attention heads (8)
 * @param ffn               feed-forward width (2048)
 * @param encLayers         encoder layers (6)
 * @param hopdLayers        pair (instance) decoder layers (SGDET 6, PredCLS 3)
 * @param interLayers       interaction decoder layers (SGDET 6, PredCLS 3)
 * @param queries           SGDET queries per frame (100); PredCLS has one query per ground-truth pair
 * @param objectClasses     object classes including background (37); the object head has one more logit
 * @param attentionClasses  3 (the attention head has one more, background, logit)
 * @param spatialClasses    6
 * @param contactingClasses 17
 * @param temporal          the second stage: the Progressively Refined Module on a frozen spatial model
 * @param refFrames         reference frames per key frame ({@code num_ref_frames}, 2)
 * @param prmTopk           reference queries kept per reference frame by each PRM layer (80, 50, 30)
 * @param classVectorDim    PredCLS: width of the fixed class vectors the query content is built from (200)
 * @param costObjClass      {@code set_cost_obj_class} (1)
 * @param costRelClass      {@code set_cost_rel_class} (1)
 * @param costBbox          {@code set_cost_bbox} (2.5)
 * @param costGiou          {@code set_cost_giou} (1)
 * @param objLossCoef       {@code obj_loss_coef} (1)
 * @param relLossCoef       {@code rel_loss_coef} (2)
 * @param bboxLossCoef      {@code bbox_loss_coef} (2.5)
 * @param giouLossCoef      {@code giou_loss_coef} (1)
 * @param eosCoef           {@code eos_coef} (0.1)
 * @param alpha             focal-style loss {@code alpha} (0.5)
 */
public record OedRunConfig(int c5Channels, int mapPool, boolean mapCoords, int dModel, int heads, int ffn, int encLayers, int hopdLayers,
        int interLayers, int queries, int objectClasses, int attentionClasses, int spatialClasses,
        int contactingClasses, boolean temporal, int refFrames, List<Integer> prmTopk, int classVectorDim,
        double costObjClass, double costRelClass, double costBbox, double costGiou, double objLossCoef,
        double relLossCoef, double bboxLossCoef, double giouLossCoef, double eosCoef, double alpha) {

    public OedRunConfig {
        if (mapPool < 1) {
            throw new KitException("oed config: map_pool must be >= 1, got " + mapPool);
        }
        if (classVectorDim < 1) {
            throw new KitException("oed config: class_vector_dim must be >= 1, got " + classVectorDim);
        }
        if (prmTopk == null || prmTopk.isEmpty()) {
            throw new KitException("oed config: prm_topk needs at least one value (OED: [80, 50, 30])");
        }
        prmTopk = List.copyOf(prmTopk);
        architecture(c5Channels, dModel, heads, ffn, encLayers, hopdLayers, interLayers, queries, objectClasses,
                attentionClasses, spatialClasses, contactingClasses, temporal, refFrames, prmTopk);
        new OedLossWeights(costObjClass, costRelClass, costBbox, costGiou, objLossCoef, relLossCoef, bboxLossCoef,
                giouLossCoef, eosCoef, alpha);
    }

    private static OedConfig architecture(int c5, int d, int heads, int ffn, int enc, int hopd, int inter, int q,
            int objects, int attention, int spatial, int contacting, boolean temporal, int refs, List<Integer> topk) {
        return new OedConfig(c5, d, heads, ffn, enc, hopd, inter, q, objects + 1, attention + 1, spatial, contacting,
                temporal, temporal ? refs : 0, topk.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The architecture ({@link OedConfig}). */
    public OedConfig architecture() {
        return architecture(c5Channels, dModel, heads, ffn, encLayers, hopdLayers, interLayers, queries,
                objectClasses, attentionClasses, spatialClasses, contactingClasses, temporal, refFrames, prmTopk);
    }

    /** The matching-cost and loss weights. */
    public OedLossWeights lossWeights() {
        return new OedLossWeights(costObjClass, costRelClass, costBbox, costGiou, objLossCoef, relLossCoef,
                bboxLossCoef, giouLossCoef, eosCoef, alpha);
    }
}
