package org.m3sgg.models.sttran;

import org.m3sgg.api.KitException;
import org.m3sgg.models.relation.RelationLoss;
import org.m3sgg.models.relation.RelationWidths;

/**
 * Every width of STTran, validated on construction. {@code dModel} must equal
 * {@code 3 * pairFc + 2 * embedding} (subject, object and union projections plus two class embeddings);
 * {@link #of} derives it.
 *
 * @param feature            object feature width F (2048: ResNet-101 layer4 pooled)
 * @param unionIn            union feature channels (1024: RoIAlign on the detector's stride-16 map)
 * @param unionOut           channels after the 1x1 union conv and the spatial-mask stack (256; the stack's first
 *                           conv has unionOut / 2)
 * @param pairFc             width of the subject / object / union projections (512)
 * @param embedding          class-embedding width (200, GloVe), also the classifier's embedding width
 * @param dModel             transformer width (1936)
 * @param heads              attention heads (8)
 * @param ffn                feed-forward width (2048)
 * @param encLayers          spatial encoder layers (1)
 * @param decLayers          temporal decoder layers (3)
 * @param dropout            dropout everywhere in the transformer (0.1)
 * @param objectClasses      object classes including background (37)
 * @param classifierHidden   hidden width of the SGCLS classifier's decoder_lin (1024)
 * @param posEmbed           width of the SGCLS classifier's box-position embedding (128)
 * @param attentionClasses   3
 * @param spatialClasses     6
 * @param contactingClasses  17
 * @param relationLoss       loss on the spatial and contacting sigmoids
 * @param temporalDecoder    false for the spatial-only ablation: heads read the encoder output directly
 * @param zeroSumKeyMask     the reference's padding-mask quirk: in the temporal decoder, a key whose encoder output
 *                           sums to exactly 0 is masked. True reproduces the reference; note that right after
 *                           initialisation (LayerNorm gain 1, bias 0) encoder rows sum to 0 up to rounding, so whether
 *                           a key is masked then depends on summation order (in PyTorch as here). False drops it.
 * @param posBnMomentum     momentum of the SGCLS classifier's box-position batch norm (0.001 in the reference, which
 *                          trains ~70k steps; the quick configs use 0.1 so that its running statistics settle in a
 *                          few hundred steps)
 */
public record SttranConfig(int feature, int unionIn, int unionOut, int pairFc, int embedding, int dModel, int heads,
        int ffn, int encLayers, int decLayers, double dropout, int objectClasses, int classifierHidden, int posEmbed,
        int attentionClasses, int spatialClasses, int contactingClasses, RelationLoss relationLoss,
        boolean temporalDecoder, boolean zeroSumKeyMask, double posBnMomentum) {

    public SttranConfig {
        if (!(posBnMomentum > 0 && posBnMomentum <= 1)) {
            throw new KitException("sttran config: pos_bn_momentum must be in (0, 1], got " + posBnMomentum);
        }
        // the parameters, not widths(): the fields are not assigned yet in a compact constructor
        new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout, classifierHidden,
                posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses)).validate("sttran");
        if (encLayers < 0 || decLayers < 0) {
            throw new KitException("sttran config: layer counts must be >= 0, got enc " + encLayers + " dec " + decLayers);
        }
        if (relationLoss == null) {
            throw new KitException("sttran config: relationLoss is required (margin or bce)");
        }
    }

    /** The widths the shared relation blocks read. */
    public RelationWidths widths() {
        return new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout,
                classifierHidden, posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses));
    }

    /**
     * A config with {@code dModel} derived and Action Genome's 37 / 3 / 6 / 17 classes. The zero-sum key-mask quirk
     * is off so that training is repeatable for a seed; parity with published checkpoints turns it on.
     */
    public static SttranConfig of(int feature, int unionIn, int unionOut, int pairFc, int embedding, int heads, int ffn,
            int encLayers, int decLayers, double dropout, int classifierHidden, int posEmbed) {
        RelationWidths.Classes k = RelationWidths.Classes.actionGenome();
        return new SttranConfig(feature, unionIn, unionOut, pairFc, embedding, 3 * pairFc + 2 * embedding, heads, ffn,
                encLayers, decLayers, dropout, k.objects(), classifierHidden, posEmbed, k.attention(), k.spatial(),
                k.contacting(), RelationLoss.MARGIN, true, false, 0.001);
    }

    /** The published widths: 103.4M parameters with the SGCLS classifier. */
    public static SttranConfig paper() {
        return of(2048, 1024, 256, 512, 200, 8, 2048, 1, 3, 0.1, 1024, 128);
    }

    /** Small widths for tests, notebooks and CI: same structure, d_model 64. */
    public static SttranConfig quick() {
        return of(32, 16, 8, 16, 8, 4, 32, 1, 2, 0.1, 16, 16);
    }

    public SttranConfig withRelationLoss(RelationLoss loss) {
        return new SttranConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers, decLayers,
                dropout, objectClasses, classifierHidden, posEmbed, attentionClasses, spatialClasses,
                contactingClasses, loss, temporalDecoder, zeroSumKeyMask, posBnMomentum);
    }

    public SttranConfig withTemporalDecoder(boolean on) {
        return new SttranConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers, decLayers,
                dropout, objectClasses, classifierHidden, posEmbed, attentionClasses, spatialClasses,
                contactingClasses, relationLoss, on, zeroSumKeyMask, posBnMomentum);
    }

    public SttranConfig withDropout(double p) {
        return new SttranConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers, decLayers,
                p, objectClasses, classifierHidden, posEmbed, attentionClasses, spatialClasses, contactingClasses,
                relationLoss, temporalDecoder, zeroSumKeyMask, posBnMomentum);
    }

    public SttranConfig withZeroSumKeyMask(boolean on) {
        return new SttranConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, encLayers, decLayers,
                dropout, objectClasses, classifierHidden, posEmbed, attentionClasses, spatialClasses,
                contactingClasses, relationLoss, temporalDecoder, on, posBnMomentum);
    }
}
