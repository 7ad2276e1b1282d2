package org.m3sgg.models.stket;

import org.m3sgg.api.KitException;
import org.m3sgg.models.relation.RelationLoss;
import org.m3sgg.models.relation.RelationWidths;

/**
 * Every width and switch of STKET, validated on construction. The relation representation is STTran's (same
 * widths); the transformer part is a spatial encoder, a temporal decoder and an ensemble decoder, each with its own
 * heads.
 *
 * @param feature           object feature width F (2048)
 * @param unionIn           union feature channels (1024)
 * @param unionOut          channels after the union conv / mask stack (256)
 * @param pairFc            subject / object / union projection width (512)
 * @param embedding         class-embedding width (200)
 * @param dModel            transformer width, {@code 3 * pairFc + 2 * embedding} (1936)
 * @param heads             attention heads (8)
 * @param ffn               feed-forward width (2048)
 * @param encLayers         spatial encoder layers (reference scripts: 2), at least 1
 * @param decLayers         temporal decoder layers (reference scripts: 2), at least 1
 * @param ensembleLayers    ensemble decoder layers (2 in the reference, fixed there)
 * @param windowSize        frames the ensemble decoder looks at per pair, the current one included (4)
 * @param dropout           transformer dropout (0.1)
 * @param objectClasses     object classes with background (37)
 * @param classifierHidden  SGCLS classifier hidden width (1024)
 * @param posEmbed          SGCLS classifier box-position width (128)
 * @param attentionClasses  3
 * @param spatialClasses    6
 * @param contactingClasses 17 (index {@link #NOT_CONTACTING} is "not_contacting")
 * @param relationLoss      loss on the sigmoid heads (the reference scripts train with bce)
 * @param spatialPrior      inject the spatial prior P(predicates | object class) into the encoder's queries and keys
 * @param temporalPrior     inject the temporal transition prior into the temporal decoder's queries and keys
 * @param priorLoss         also train the heads on the prior embeddings alone (the reference's
 *                          {@code -spatial_prior_loss -temporal_prior_loss}); only for the priors switched on
 * @param contactThreshold  a contacting class whose spatial-head probability reaches this joins the pair's
 *                          contacting set, which selects the transition prior (0.8 in the reference scripts)
 * @param evalHead          the head whose outputs are the model's predictions (the reference evaluates all three;
 *                          the ensemble is STKET's final output)
 * @param posBnMomentum     momentum of the SGCLS classifier's box-position batch norm (0.001 in the reference, which
 *                          trains ~70k steps; the quick configs use 0.1 so that its running statistics settle in a
 *                          few hundred steps)
 */
public record StketConfig(int feature, int unionIn, int unionOut, int pairFc, int embedding, int dModel, int heads,
        int ffn, int encLayers, int decLayers, int ensembleLayers, int windowSize, double dropout, int objectClasses,
        int classifierHidden, int posEmbed, int attentionClasses, int spatialClasses, int contactingClasses,
        RelationLoss relationLoss, boolean spatialPrior, boolean temporalPrior, boolean priorLoss,
        double contactThreshold, Head evalHead, double posBnMomentum) {

    /** Local id of "not_contacting" among Action Genome's 17 contacting classes. */
    public static final int NOT_CONTACTING = 8;

    /** The three prediction heads. */
    public enum Head {
        SPATIAL, TEMPORAL, ENSEMBLE
    }

    public StketConfig {
        if (!(posBnMomentum > 0 && posBnMomentum <= 1)) {
            throw new KitException("stket config: pos_bn_momentum must be in (0, 1], got " + posBnMomentum);
        }
        if (encLayers < 1 || decLayers < 1 || ensembleLayers < 1) {
            throw new KitException("stket config: enc_layers, dec_layers and ensemble_layers must be >= 1 (the "
                    + "ensemble decoder reads both the encoder and the decoder), got " + encLayers + "/" + decLayers
                    + "/" + ensembleLayers);
        }
        if (windowSize < 1) {
            throw new KitException("stket config: window_size must be >= 1, got " + windowSize);
        }
        if (!(contactThreshold > 0 && contactThreshold < 1)) {
            throw new KitException("stket config: contact_threshold must be in (0, 1), got " + contactThreshold
                    + " (the reference's 1.0 reads ground-truth contacting labels, also at test time; not offered)");
        }
        if (contactingClasses <= NOT_CONTACTING) {
            throw new KitException("stket config: contacting_classes must include not_contacting (local id "
                    + NOT_CONTACTING + "), got " + contactingClasses);
        }
        if (evalHead == null) {
            throw new KitException("stket config: eval_head is required (spatial, temporal or ensemble)");
        }
        if (relationLoss == null) {
            throw new KitException("stket config: relation_loss is required (margin or bce)");
        }
        // the parameters, not widths(): the fields are not assigned yet in a compact constructor
        new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout, classifierHidden,
                posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses)).validate("stket");
    }

    /** The widths the shared relation blocks read. */
    public RelationWidths widths() {
        return new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout,
                classifierHidden, posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses));
    }

    /** Width of a prior vector: all predicates, attention then spatial then contacting (26). */
    public int predicates() {
        return attentionClasses + spatialClasses + contactingClasses;
    }

    /** Reference scripts' settings at given widths, Action Genome's classes, both priors and their losses. */
    public static StketConfig of(int feature, int unionIn, int unionOut, int pairFc, int embedding, int heads, int ffn,
            int encLayers, int decLayers, int windowSize, double dropout, int classifierHidden, int posEmbed) {
        RelationWidths.Classes k = RelationWidths.Classes.actionGenome();
        return new StketConfig(feature, unionIn, unionOut, pairFc, embedding, 3 * pairFc + 2 * embedding, heads, ffn,
                encLayers, decLayers, 2, windowSize, dropout, k.objects(), classifierHidden, posEmbed, k.attention(),
                k.spatial(), k.contacting(),
                RelationLoss.BCE, true, true, true, 0.8, Head.ENSEMBLE, 0.001);
    }

    /** Small widths for tests (d_model 64). */
    public static StketConfig quick() {
        return of(32, 16, 8, 16, 8, 4, 32, 1, 1, 4, 0.0, 16, 16);
    }

    public StketConfig withPriors(boolean spatial, boolean temporal) {
        return new StketConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers, decLayers,
                ensembleLayers, windowSize, dropout, objectClasses, classifierHidden, posEmbed, attentionClasses,
                spatialClasses, contactingClasses, relationLoss, spatial, temporal, priorLoss, contactThreshold,
                evalHead, posBnMomentum);
    }

    public StketConfig withEvalHead(Head head) {
        return new StketConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers, decLayers,
                ensembleLayers, windowSize, dropout, objectClasses, classifierHidden, posEmbed, attentionClasses,
                spatialClasses, contactingClasses, relationLoss, spatialPrior, temporalPrior, priorLoss,
                contactThreshold, head, posBnMomentum);
    }

    public StketConfig withRelationLoss(RelationLoss loss) {
        return new StketConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers, decLayers,
                ensembleLayers, windowSize, dropout, objectClasses, classifierHidden, posEmbed, attentionClasses,
                spatialClasses, contactingClasses, loss, spatialPrior, temporalPrior, priorLoss, contactThreshold,
                evalHead, posBnMomentum);
    }
}
