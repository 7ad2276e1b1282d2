package org.m3sgg.models.sttran;

import java.util.Locale;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.Losses;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

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

    /** Multi-label margin (the paper's default) or binary cross-entropy ({@code -bce_loss}). */
    public enum RelationLoss {
        MARGIN, BCE;

        /**
         * The loss of one multi-label group (spatial or contacting): multi-label margin on the probabilities
         * {@code prob} [P, K], or binary cross-entropy against the multi-hot {@code target} [P, K] clipped to 1.
         */
        public SDVariable apply(SameDiff sd, SDVariable prob, SDVariable target, int classes) {
            return this == MARGIN ? Losses.multiLabelMargin(sd, prob, target, classes)
                    : Losses.binaryCrossEntropy(sd, prob, sd.math.min(target, sd.onesLike(target)));
        }

        public static RelationLoss parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "margin" -> MARGIN;
                case "bce" -> BCE;
                default -> throw new KitException("relation loss '" + s + "': expected margin or bce");
            };
        }
    }

    public SttranConfig {
        if (!(posBnMomentum > 0 && posBnMomentum <= 1)) {
            throw new KitException("sttran config: pos_bn_momentum must be in (0, 1], got " + posBnMomentum);
        }
        positive("feature", feature);
        positive("unionIn", unionIn);
        positive("unionOut", unionOut);
        if (unionOut % 2 != 0) {
            throw new KitException("sttran config: unionOut must be even (the mask stack starts at unionOut / 2), got "
                    + unionOut);
        }
        positive("pairFc", pairFc);
        positive("embedding", embedding);
        positive("heads", heads);
        positive("ffn", ffn);
        positive("objectClasses", objectClasses);
        positive("classifierHidden", classifierHidden);
        positive("posEmbed", posEmbed);
        positive("attentionClasses", attentionClasses);
        positive("spatialClasses", spatialClasses);
        positive("contactingClasses", contactingClasses);
        if (dModel != 3 * pairFc + 2 * embedding) {
            throw new KitException("sttran config: dModel " + dModel + " must equal 3 * pairFc + 2 * embedding = "
                    + (3 * pairFc + 2 * embedding));
        }
        if (dModel % heads != 0) {
            throw new KitException("sttran config: dModel " + dModel + " is not divisible by heads " + heads);
        }
        if (encLayers < 0 || decLayers < 0) {
            throw new KitException("sttran config: layer counts must be >= 0, got enc " + encLayers + " dec " + decLayers);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new KitException("sttran config: dropout must be in [0, 1), got " + dropout);
        }
        if (objectClasses < 2) {
            throw new KitException("sttran config: objectClasses must include background and person, got "
                    + objectClasses);
        }
        if (relationLoss == null) {
            throw new KitException("sttran config: relationLoss is required (margin or bce)");
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new KitException("sttran config: " + name + " must be positive, got " + v);
        }
    }

    /**
     * A config with {@code dModel} derived and Action Genome's 37 / 3 / 6 / 17 classes. The zero-sum key-mask quirk
     * is off so that training is repeatable for a seed; parity with published checkpoints turns it on.
     */
    public static SttranConfig of(int feature, int unionIn, int unionOut, int pairFc, int embedding, int heads, int ffn,
            int encLayers, int decLayers, double dropout, int classifierHidden, int posEmbed) {
        return new SttranConfig(feature, unionIn, unionOut, pairFc, embedding, 3 * pairFc + 2 * embedding, heads, ffn,
                encLayers, decLayers, dropout, 37, classifierHidden, posEmbed, 3, 6, 17, RelationLoss.MARGIN, true, false, 0.001);
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
