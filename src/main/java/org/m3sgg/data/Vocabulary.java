package org.m3sgg.data;

import java.util.List;

/**
 * Action Genome's label spaces as STTran's loader builds them: 37 object classes with background at 0 and
 * 26 predicates split into attention (global 0-2), spatial (3-8) and contacting (9-25).
 */
public final class Vocabulary {

    private Vocabulary() {}

    /** Index = object label id. 0 is background, 1 person. */
    public static final List<String> OBJECT_CLASSES = List.of(
            "__background__", "person", "bag", "bed", "blanket", "book", "box", "broom", "chair", "closet/cabinet",
            "clothes", "cup/glass/bottle", "dish", "door", "doorknob", "doorway", "floor", "food", "groceries",
            "laptop", "light", "medicine", "mirror", "paper/notebook", "phone/camera", "picture", "pillow",
            "refrigerator", "sandwich", "shelf", "shoe", "sofa/couch", "table", "television", "towel", "vacuum",
            "window");

    public static final List<String> ATTENTION = List.of("looking_at", "not_looking_at", "unsure");

    public static final List<String> SPATIAL = List.of(
            "above", "beneath", "in_front_of", "behind", "on_the_side_of", "in");

    public static final List<String> CONTACTING = List.of(
            "carrying", "covered_by", "drinking_from", "eating", "have_it_on_the_back", "holding", "leaning_on",
            "lying_on", "not_contacting", "other_relationship", "sitting_on", "standing_on", "touching", "twisting",
            "wearing", "wiping", "writing_on");

    /** Index = global predicate id. */
    public static final List<String> PREDICATES = concat(ATTENTION, SPATIAL, CONTACTING);

    public static final int NUM_OBJECT_CLASSES = 37;
    public static final int NUM_ATTENTION = 3;
    public static final int NUM_SPATIAL = 6;
    public static final int NUM_CONTACTING = 17;
    public static final int NUM_PREDICATES = 26;
    public static final int SPATIAL_OFFSET = 3;
    public static final int CONTACTING_OFFSET = 9;
    public static final int PERSON = 1;

    /** The predicate groups, in global-id order. */
    public enum Group {
        ATTENTION(0, 3), SPATIAL(3, 6), CONTACTING(9, 17);

        public final int offset;
        public final int size;

        Group(int offset, int size) {
            this.offset = offset;
            this.size = size;
        }

        public List<String> names() {
            return switch (this) {
                case ATTENTION -> Vocabulary.ATTENTION;
                case SPATIAL -> Vocabulary.SPATIAL;
                case CONTACTING -> Vocabulary.CONTACTING;
            };
        }
    }

    private static List<String> concat(List<String> a, List<String> b, List<String> c) {
        var all = new java.util.ArrayList<String>(a);
        all.addAll(b);
        all.addAll(c);
        return List.copyOf(all);
    }
}
