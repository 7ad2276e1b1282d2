package org.m3sgg.data;

import java.util.Arrays;

/**
 * One visible annotated object of a frame.
 *
 * @param label object class id 1..36 (see {@link Vocabulary#OBJECT_CLASSES}; 1 is person, never used for objects)
 * @param box corner-form box in original pixels
 * @param attention local attention predicate ids 0..2 (exactly one in Action Genome)
 * @param spatial local spatial predicate ids 0..5
 * @param contacting local contacting predicate ids 0..16
 */
public record AgObject(int label, Box box, int[] attention, int[] spatial, int[] contacting) {

    public AgObject {
        attention = attention.clone();
        spatial = spatial.clone();
        contacting = contacting.clone();
    }

    @Override
    public int[] attention() {
        return attention.clone();
    }

    @Override
    public int[] spatial() {
        return spatial.clone();
    }

    @Override
    public int[] contacting() {
        return contacting.clone();
    }

    /** Relation triplets this object contributes: 1 attention + its spatial + its contacting labels. */
    public int relationCount() {
        return attention.length + spatial.length + contacting.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgObject a && a.label == label && a.box.equals(box)
                && Arrays.equals(a.attention, attention) && Arrays.equals(a.spatial, spatial)
                && Arrays.equals(a.contacting, contacting);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * label + box.hashCode()) + Arrays.hashCode(attention))
                + Arrays.hashCode(spatial)) + Arrays.hashCode(contacting);
    }

    @Override
    public String toString() {
        return "AgObject[" + Vocabulary.OBJECT_CLASSES.get(label) + " " + box + " att=" + Arrays.toString(attention)
                + " spa=" + Arrays.toString(spatial) + " con=" + Arrays.toString(contacting) + "]";
    }
}
