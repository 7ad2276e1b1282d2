package org.m3sgg.models.dsgdetr;

import org.m3sgg.api.KitException;
import org.m3sgg.models.relation.RelationLoss;
import org.m3sgg.models.relation.RelationWidths;

/**
 * Every width of DSG-DETR, validated on construction. The object-sequence encoder works on
 * {@code objectWidth() = feature + embedding + posEmbed} (2376 at paper widths); the relation transformer on
 * {@code dModel = 3 * pairFc + 2 * embedding} (1936).
 *
 * @param feature           object feature width F (2048)
 * @param unionIn           union feature channels (1024)
 * @param unionOut          channels after the union conv and the spatial-mask stack (256)
 * @param pairFc            subject / object / union projection width (512); subject and object projections read
 *                          the refined {@code objectWidth()} features
 * @param embedding         class-embedding width (200)
 * @param dModel            relation transformer width (1936)
 * @param heads             relation transformer heads (8)
 * @param ffn               relation transformer feed-forward width (2048)
 * @param localLayers       spatial (per-frame) encoder layers (1)
 * @param globalLayers      temporal (per pair sequence) encoder layers (3)
 * @param objectLayers      object-sequence encoder layers (3)
 * @param objectHeads       object-sequence encoder heads (8)
 * @param objectFfn         object-sequence encoder feed-forward width (1024)
 * @param dropout           dropout in the transformers, after the position encodings and in the box-position
 *                          embedding (0.1)
 * @param objectClasses     object classes including background (37)
 * @param classifierHidden  hidden width of the SGCLS classifier (1024)
 * @param posEmbed          width of the box-position embedding (128)
 * @param attentionClasses  3
 * @param spatialClasses    6
 * @param contactingClasses 17
 * @param relationLoss      loss on the spatial and contacting sigmoids (margin, as STTran)
 * @param pairSequences     how the temporal encoder groups pairs: by the object's class (the reference) or by
 *                          the object's track
 * @param trackMaxGap       SGCLS tracking: a track unmatched for this many key frames is dropped. The reference
 *                          drops after 50 video frame numbers; Action Genome key frames are about 37 frame numbers
 *                          apart (~24 annotated frames over ~30 s at 30 fps), so 50 units end a track at its second
 *                          missed key frame: 2
 * @param posBnMomentum     momentum of the SGCLS classifier's box-position batch norm (0.001 in the reference, which
 *                          trains ~70k steps; the quick configs use 0.1 so that its running statistics settle in a
 *                          few hundred steps)
 */
public record DsgDetrConfig(int feature, int unionIn, int unionOut, int pairFc, int embedding, int dModel, int heads,
        int ffn, int localLayers, int globalLayers, int objectLayers, int objectHeads, int objectFfn, double dropout,
        int objectClasses, int classifierHidden, int posEmbed, int attentionClasses, int spatialClasses,
        int contactingClasses, RelationLoss relationLoss, PairSequences pairSequences, int trackMaxGap, double posBnMomentum) {

    /** Grouping of the temporal encoder's pair sequences. */
    public enum PairSequences { CLASS, TRACK }

    public DsgDetrConfig {
        if (!(posBnMomentum > 0 && posBnMomentum <= 1)) {
            throw new KitException("dsg-detr config: pos_bn_momentum must be in (0, 1], got " + posBnMomentum);
        }
        // the parameters, not widths(): the fields are not assigned yet in a compact constructor
        new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout, classifierHidden,
                posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses)).validate("dsg-detr");
        positive("objectHeads", objectHeads);
        positive("objectFfn", objectFfn);
        positive("trackMaxGap", trackMaxGap);
        if (dModel % 2 != 0) {
            throw new KitException("dsg-detr config: dModel " + dModel + " must be even (sinusoidal positions)");
        }
        int ow = feature + embedding + posEmbed;
        if (ow % objectHeads != 0 || ow % 2 != 0) {
            throw new KitException("dsg-detr config: the object width feature + embedding + pos_embed = " + ow
                    + " must be even and divisible by object_heads " + objectHeads);
        }
        if (localLayers < 0 || globalLayers < 0 || objectLayers < 0) {
            throw new KitException("dsg-detr config: layer counts must be >= 0, got local " + localLayers
                    + " global " + globalLayers + " object " + objectLayers);
        }
        if (relationLoss == null || pairSequences == null) {
            throw new KitException("dsg-detr config: relation_loss (margin | bce) and pair_sequences (class | track)"
                    + " are required");
        }
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new KitException("dsg-detr config: " + name + " must be positive, got " + v);
        }
    }

    /** The widths the shared relation blocks read. */
    public RelationWidths widths() {
        return new RelationWidths(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, dropout,
                classifierHidden, posEmbed, new RelationWidths.Classes(objectClasses, attentionClasses, spatialClasses,
                        contactingClasses));
    }

    /** Width of the refined object features: {@code feature + embedding + posEmbed}. */
    public int objectWidth() {
        return feature + embedding + posEmbed;
    }

    /** Action Genome's class counts, dModel derived, class-grouped pair sequences. */
    public static DsgDetrConfig of(int feature, int unionIn, int unionOut, int pairFc, int embedding, int heads, int ffn,
            int localLayers, int globalLayers, int objectLayers, int objectHeads, int objectFfn, double dropout,
            int classifierHidden, int posEmbed) {
        return new DsgDetrConfig(feature, unionIn, unionOut, pairFc, embedding, 3 * pairFc + 2 * embedding, heads, ffn,
                localLayers, globalLayers, objectLayers, objectHeads, objectFfn, dropout,
                RelationWidths.Classes.actionGenome().objects(), classifierHidden, posEmbed,
                RelationWidths.Classes.actionGenome().attention(), RelationWidths.Classes.actionGenome().spatial(),
                RelationWidths.Classes.actionGenome().contacting(), RelationLoss.MARGIN, PairSequences.CLASS, 2, 0.001);
    }

    /** The published widths. */
    public static DsgDetrConfig paper() {
        return of(2048, 1024, 256, 512, 200, 8, 2048, 1, 3, 3, 8, 1024, 0.1, 1024, 128);
    }

    /** Tiny widths for tests. */
    public static DsgDetrConfig tiny() {
        return of(16, 4, 4, 8, 4, 2, 16, 1, 1, 1, 2, 16, 0.0, 8, 4);
    }

    public DsgDetrConfig withPairSequences(PairSequences p) {
        return new DsgDetrConfig(feature, unionIn, unionOut, pairFc, embedding, dModel, heads, ffn, localLayers,
                globalLayers, objectLayers, objectHeads, objectFfn, dropout, objectClasses, classifierHidden, posEmbed,
                attentionClasses, spatialClasses, contactingClasses, relationLoss, p, trackMaxGap, posBnMomentum);
    }
}
