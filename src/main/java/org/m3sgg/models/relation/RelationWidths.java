package org.m3sgg.models.relation;

import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;

/**
 * The widths every relation model shares (STTran's relation representation, its transformer widths, the SGCLS
 * classifier and the class counts), as one record that the blocks of this package read. A model's config record
 * keeps these keys flat (the YAML {@code model:} section is unchanged and strictly bound) and hands this view out
 * through {@code widths()}; {@link #validate} is the one place their constraints are checked.
 *
 * @param feature          box feature width F (2048)
 * @param unionIn          union feature channels (1024)
 * @param unionOut         channels after the union conv and mask stack (256, even)
 * @param pairFc           width of the subject / object / union projections (512)
 * @param embedding        class-embedding width (200)
 * @param dModel           transformer width, {@code 3 pairFc + 2 embedding} (1936)
 * @param heads            attention heads (8)
 * @param ffn              feed-forward width (2048)
 * @param dropout          transformer dropout (0.1)
 * @param classifierHidden hidden width of the SGCLS classifier (1024)
 * @param posEmbed         width of the classifier's box-position embedding (128)
 * @param classes          object and predicate class counts
 */
public record RelationWidths(int feature, int unionIn, int unionOut, int pairFc, int embedding, int dModel, int heads,
        int ffn, double dropout, int classifierHidden, int posEmbed, Classes classes) {

    /**
     * Class counts: objects with background (37 in Action Genome), attention (3), spatial (6), contacting (17).
     * {@link #actionGenome()} takes them from {@link org.m3sgg.data.Vocabulary}.
     */
    public record Classes(int objects, int attention, int spatial, int contacting) {

        public static Classes actionGenome() {
            return new Classes(Vocabulary.NUM_OBJECT_CLASSES, Vocabulary.NUM_ATTENTION, Vocabulary.NUM_SPATIAL,
                    Vocabulary.NUM_CONTACTING);
        }

        /** All predicates: attention, spatial, contacting (26). */
        public int predicates() {
            return attention + spatial + contacting;
        }
    }

    /**
     * Checks the shared constraints; messages start with {@code "<model> config: "}.
     *
     * @return this
     */
    public RelationWidths validate(String model) {
        positive(model, "feature", feature);
        positive(model, "unionIn", unionIn);
        positive(model, "unionOut", unionOut);
        if (unionOut % 2 != 0) {
            throw new KitException(model + " config: unionOut must be even (the mask stack starts at unionOut / 2), "
                    + "got " + unionOut);
        }
        positive(model, "pairFc", pairFc);
        positive(model, "embedding", embedding);
        positive(model, "heads", heads);
        positive(model, "ffn", ffn);
        positive(model, "objectClasses", classes.objects());
        positive(model, "classifierHidden", classifierHidden);
        positive(model, "posEmbed", posEmbed);
        positive(model, "attentionClasses", classes.attention());
        positive(model, "spatialClasses", classes.spatial());
        positive(model, "contactingClasses", classes.contacting());
        if (dModel != 3 * pairFc + 2 * embedding) {
            throw new KitException(model + " config: dModel " + dModel + " must equal 3 * pairFc + 2 * embedding = "
                    + (3 * pairFc + 2 * embedding));
        }
        if (dModel % heads != 0) {
            throw new KitException(model + " config: dModel " + dModel + " is not divisible by heads " + heads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new KitException(model + " config: dropout must be in [0, 1), got " + dropout);
        }
        if (classes.objects() < 2) {
            throw new KitException(model + " config: objectClasses must include background and person, got "
                    + classes.objects());
        }
        return this;
    }

    private static void positive(String model, String name, int v) {
        if (v <= 0) {
            throw new KitException(model + " config: " + name + " must be positive, got " + v);
        }
    }
}
