package org.m3sgg.models.tempura;

import org.m3sgg.api.KitException;
import org.m3sgg.models.relation.RelationWidths;

/**
 * Every width and switch of TEMPURA, validated on construction. The relation widths are STTran's (the model is
 * built on STTran's pair features and windowed spatial-temporal transformer); the rest are the reference's flags.
 *
 * @param feature            object feature width F (2048)
 * @param unionIn            union feature channels (1024)
 * @param unionOut           channels after the union conv and the mask stack (256)
 * @param pairFc             subject / object / union projection width (512)
 * @param embedding          class-embedding width (200)
 * @param dModel             relation transformer width, {@code 3 * pairFc + 2 * embedding} (1936)
 * @param heads              relation transformer heads (8)
 * @param ffn                relation transformer feed-forward width (2048)
 * @param encLayers          spatial encoder layers (1)
 * @param decLayers          temporal decoder layers (3)
 * @param dropout            dropout of the transformers, the OSPU and the classifier's position embedding (0.1)
 * @param objectClasses      object classes including background (37)
 * @param classifierHidden   width of the classifier's {@code intermediate} layer (1024)
 * @param posEmbed           box-position embedding width of the classifier (128)
 * @param attentionClasses   3
 * @param spatialClasses     6
 * @param contactingClasses  17
 * @param k                  mixture components of every relation GMM head ({@code -K}: 6 PredCLS, 4 SGCLS)
 * @param relMemCompute      predicate memory: none, joint (one attention over all 26 prototypes) or separate (one per
 *                           predicate type, averaged)
 * @param memFusion          early: the memory is read after the spatial encoder; late: after the temporal decoder
 * @param memFeatSelection   manual: fixed {@code memFeatLambda}; automated: lambda = sigmoid(Linear(feature))
 * @param memFeatLambda      the fixed fusion weight of the feature ({@code out = l * feat + (1 - l) * memory})
 * @param tracking           SGCLS: the object sequence processing unit (OSPU) before the classifier
 * @param objLayers          OSPU encoder layers (3)
 * @param objHeads           OSPU heads (8)
 * @param objFfn             OSPU feed-forward width (1024)
 * @param relLossWeighting   uncertainty weighting of the relation losses: none, al (aleatoric) or ep (epistemic)
 * @param objConLoss         SGCLS object contrastive loss on the OSPU features: none or euc_con
 * @param lambdaCon          weight of the contrastive loss (1)
 * @param eosCoef            weight of the background class in the object loss (1)
 * @param posBnMomentum     momentum of the SGCLS classifier's box-position batch norm (0.001 in the reference, which
 *                          trains ~70k steps; the quick configs use 0.1 so that its running statistics settle in a
 *                          few hundred steps)
 */
public record TempuraConfig(int feature, int unionIn, int unionOut, int pairFc, int embedding, int dModel, int heads,
        int ffn, int encLayers, int decLayers, double dropout, int objectClasses, int classifierHidden, int posEmbed,
        int attentionClasses, int spatialClasses, int contactingClasses, int k, MemCompute relMemCompute,
        MemFusion memFusion, Selection memFeatSelection, double memFeatLambda, boolean tracking, int objLayers,
        int objHeads, int objFfn, LossWeighting relLossWeighting, ContrastiveLoss objConLoss, double lambdaCon,
        double eosCoef, double posBnMomentum) {

    /** {@code -rel_mem_compute}. */
    public enum MemCompute { NONE, JOINT, SEPARATE }

    /** {@code -mem_fusion}. */
    public enum MemFusion { EARLY, LATE }

    /** {@code -mem_feat_selection}. */
    public enum Selection { MANUAL, AUTOMATED }

    /** {@code -rel_loss_weighting}. */
    public enum LossWeighting { NONE, AL, EP }

    /** {@code -obj_con_loss} (info_nce is not implemented). */
    public enum ContrastiveLoss { NONE, EUC_CON }

    public TempuraConfig {
        if (!(posBnMomentum > 0 && posBnMomentum <= 1)) {
            throw new KitException("tempura config: pos_bn_momentum must be in (0, 1], got " + posBnMomentum);
        }
        // the parameters, not widths(): the fields are not assigned yet in a compact constructor
        new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout, classifierHidden,
                posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses)).validate("tempura");
        if (encLayers < 0) {
            throw new KitException("tempura config: enc_layers must be >= 0, got " + encLayers);
        }
        if (decLayers < 1) {
            throw new KitException("tempura config: dec_layers must be >= 1 (the model is built on STTran's temporal "
                    + "decoder), got " + decLayers);
        }
        if (k < 1) {
            throw new KitException("tempura config: k (GMM components) must be >= 1, got " + k);
        }
        if (relMemCompute == null || memFusion == null || memFeatSelection == null || relLossWeighting == null
                || objConLoss == null) {
            throw new KitException("tempura config: rel_mem_compute, mem_fusion, mem_feat_selection, "
                    + "rel_loss_weighting and obj_con_loss are required");
        }
        if (!(memFeatLambda >= 0 && memFeatLambda <= 1)) {
            throw new KitException("tempura config: mem_feat_lambda must be in [0, 1], got " + memFeatLambda);
        }
        if (objLayers < 1 || objHeads < 1 || objFfn < 1) {
            throw new KitException("tempura config: obj_layers, obj_heads and obj_ffn must be positive");
        }
        int objDim = feature + embedding + posEmbed;
        if (tracking && objDim % objHeads != 0) {
            throw new KitException("tempura config: the OSPU width feature + embedding + pos_embed = " + objDim
                    + " is not divisible by obj_heads " + objHeads);
        }
        if (!(lambdaCon >= 0) || !(eosCoef > 0)) {
            throw new KitException("tempura config: lambda_con must be >= 0 and eos_coef > 0, got " + lambdaCon
                    + " and " + eosCoef);
        }
    }

    /** The widths the shared relation blocks read. */
    public RelationWidths widths() {
        return new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout,
                classifierHidden, posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses));
    }

    /** Width of the classifier's object feature [box feature, class embedding, position embedding]. */
    public int objectDim() {
        return feature + embedding + posEmbed;
    }

    /** Number of predicate prototypes in the memory (26 on Action Genome). */
    public int predicates() {
        return attentionClasses + spatialClasses + contactingClasses;
    }

    /** The README's PredCLS command at the published widths (K 6, late fusion, lambda 0.5, joint memory). */
    public static TempuraConfig paperPredcls() {
        RelationWidths.Classes k = RelationWidths.Classes.actionGenome();
        return new TempuraConfig(2048, 1024, 256, 512, 200, 1936, 8, 2048, 1, 3, 0.1, k.objects(), 1024, 128,
                k.attention(), k.spatial(), k.contacting(), 6,
                MemCompute.JOINT, MemFusion.LATE, Selection.MANUAL, 0.5, false, 3, 8, 1024, LossWeighting.NONE,
                ContrastiveLoss.NONE, 1.0, 1.0, 0.001);
    }

    /** Small widths for tests: d_model 32, K 3, the OSPU on. */
    public static TempuraConfig tiny() {
        RelationWidths.Classes k = RelationWidths.Classes.actionGenome();
        return new TempuraConfig(16, 4, 4, 8, 4, 32, 2, 16, 1, 1, 0.0, k.objects(), 8, 4, k.attention(), k.spatial(),
                k.contacting(), 3, MemCompute.JOINT,
                MemFusion.LATE, Selection.MANUAL, 0.5, true, 1, 2, 16, LossWeighting.NONE, ContrastiveLoss.EUC_CON, 1.0,
                1.0, 0.001);
    }

    public TempuraConfig with(MemCompute mem, MemFusion fusion, Selection selection) {
        return new TempuraConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers,
                decLayers, dropout, objectClasses, classifierHidden, posEmbed, attentionClasses, spatialClasses,
                contactingClasses, k, mem, fusion, selection, memFeatLambda, tracking, objLayers, objHeads, objFfn,
                relLossWeighting, objConLoss, lambdaCon, eosCoef, posBnMomentum);
    }

    public TempuraConfig withLossWeighting(LossWeighting w) {
        return new TempuraConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers,
                decLayers, dropout, objectClasses, classifierHidden, posEmbed, attentionClasses, spatialClasses,
                contactingClasses, k, relMemCompute, memFusion, memFeatSelection, memFeatLambda, tracking, objLayers,
                objHeads, objFfn, w, objConLoss, lambdaCon, eosCoef, posBnMomentum);
    }
}
