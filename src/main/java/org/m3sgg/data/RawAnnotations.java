package org.m3sgg.data;

import java.util.List;

/**
 * Action Genome annotations in the released files' own terms (before STTran's loader filters and converts
 * them): what {@link AnnotationWriter} writes. Used by the synthetic world generator and by tests that need
 * malformed or edge-case folders.
 */
public final class RawAnnotations {

    private RawAnnotations() {}

    /**
     * One annotated frame: a {@code person_bbox.pkl} record plus its {@code object_bbox_and_relationship.pkl} list.
     *
     * @param key {@code VID.mp4/NNNNNN.png}
     * @param personBox the detected person box (xyxy), or {@code null} when no person was detected (shape (0,4))
     * @param personScore detector score of the person box (ignored without a box)
     * @param width frame width in pixels ({@code bbox_size[0]})
     * @param height frame height in pixels ({@code bbox_size[1]})
     * @param objects one entry per annotated object class, in file order
     */
    public record Frame(String key, Box personBox, double personScore, int width, int height, List<ObjectEntry> objects) {
        public Frame {
            objects = List.copyOf(objects);
        }
    }

    /**
     * One object entry. Invisible objects have no box and (in the released file) no relations.
     *
     * @param className the slashed class name as the pickle spells it ({@code sofa/couch})
     * @param visible the {@code visible} flag
     * @param xywh box as (x, y, w, h), {@code null} for invisible objects
     * @param attention predicate names (underscored, as the pickle spells them), {@code null} when invisible
     * @param spatial spatial predicate names, or {@code null}
     * @param contacting contacting predicate names, or {@code null}
     * @param set {@code train} or {@code test} ({@code metadata.set})
     */
    public record ObjectEntry(String className, boolean visible, double[] xywh, List<String> attention,
            List<String> spatial, List<String> contacting, String set) {}
}
