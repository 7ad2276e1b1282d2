package org.m3sgg.eval;

import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;

/**
 * The ground truth of one frame as the evaluator sees it: the person box (box index 0, class person) and the
 * visible objects (box indices 1..n) with their relation labels as local ids of each predicate group.
 *
 * <p>The evaluator turns each object into ground-truth triplets exactly as STTran does: one
 * {@code <person, attention, object>}, one {@code <object, spatial, person>} per spatial label (note the reversed
 * direction) and one {@code <person, contacting, object>} per contacting label; global predicate id = local id +
 * 0 / 3 / 9.
 *
 * @param video video id with its extension ({@code 001YG.mp4})
 * @param frame frame file name ({@code 000089.png})
 */
public record GroundTruthFrame(String video, String frame, Box personBox, List<AgObject> objects) {

    /**
     * Checks what the reference would crash or divide by zero on: every object needs exactly one attention label
     * (the reference indexes a list with it), and the frame needs at least one object (a frame without ground-truth
     * relations has no recall).
     */
    public GroundTruthFrame {
        if (video == null || frame == null) {
            throw new KitException("ground truth frame needs a video and a frame name");
        }
        String where = video + "/" + frame + ": ";
        if (personBox == null) {
            throw new KitException(where + "gt.person_box is missing");
        }
        checkBox(personBox, where + "gt.person_box");
        if (objects == null || objects.isEmpty()) {
            throw new KitException(where + "gt.objects is empty: a frame needs at least one object with relations");
        }
        objects = List.copyOf(objects);
        for (int i = 0; i < objects.size(); i++) {
            AgObject o = objects.get(i);
            String field = where + "gt.objects[" + i + "]";
            if (o.label() < 1 || o.label() >= Vocabulary.NUM_OBJECT_CLASSES) {
                throw new KitException(field + ".label = " + o.label() + " is outside 1.."
                        + (Vocabulary.NUM_OBJECT_CLASSES - 1));
            }
            checkBox(o.box(), field + ".box");
            int[] att = o.attention();
            if (att.length != 1) {
                throw new KitException(field + ".attention has " + att.length
                        + " labels, expected exactly 1 (as every Action Genome object has)");
            }
            checkIds(att, Vocabulary.NUM_ATTENTION, field + ".attention");
            checkIds(o.spatial(), Vocabulary.NUM_SPATIAL, field + ".spatial");
            checkIds(o.contacting(), Vocabulary.NUM_CONTACTING, field + ".contacting");
        }
    }

    /** The ground truth of a loaded Action Genome frame. */
    public static GroundTruthFrame of(AgFrame f) {
        return new GroundTruthFrame(f.videoId(), f.frameName(), f.personBox(), f.objects());
    }

    /** {@code video/frame}, the Action Genome frame key. */
    public String key() {
        return video + "/" + frame;
    }

    /** Number of ground-truth relation triplets (the denominator of this frame's recall). */
    public int relationCount() {
        int n = 0;
        for (AgObject o : objects) {
            n += o.relationCount();
        }
        return n;
    }

    private static void checkBox(Box b, String field) {
        if (b == null) {
            throw new KitException(field + " is missing");
        }
        // Inverted boxes are allowed (jittered detections can produce them and the reference scores them as they
        // are); non-finite coordinates are not.
        if (!(Double.isFinite(b.x1()) && Double.isFinite(b.y1()) && Double.isFinite(b.x2())
                && Double.isFinite(b.y2()))) {
            throw new KitException(field + " = " + b + " has a non-finite coordinate");
        }
    }

    private static void checkIds(int[] ids, int size, String field) {
        for (int j = 0; j < ids.length; j++) {
            if (ids[j] < 0 || ids[j] >= size) {
                throw new KitException(field + "[" + j + "] = " + ids[j] + " is outside 0.." + (size - 1));
            }
        }
    }
}
