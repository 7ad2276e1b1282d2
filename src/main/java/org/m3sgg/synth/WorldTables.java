package org.m3sgg.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.m3sgg.data.Vocabulary;

/**
 * The fixed "physics" of the synthetic world: interaction modes (what a person does with an object), where an
 * object sits relative to the person in each mode, which modes each object class allows and how often, and
 * which modes tend to follow which. Hand-written so that the world reads like Action Genome: a long tail of
 * predicates, furniture that is sat on, cups that are drunk from, doorknobs that are twisted.
 */
public final class WorldTables {

    private WorldTables() {}

    /** Where an object is placed relative to the person while a mode lasts. */
    public enum Anchor {
        /** well to the side, any height: not interacting */
        AWAY,
        /** at the person's hand, beside the torso */
        HAND,
        /** at the face */
        FACE,
        /** on the torso (worn, covering) */
        BODY,
        /** under the person (sat, lain or stood on) */
        BELOW,
        /** just beside the person (touched, leaned on) */
        SIDE,
        /** on the back */
        BACK
    }

    /** The depth a mode prefers: decides {@code in_front_of} / {@code behind}, which a 2-D box cannot show. */
    public enum Depth {
        NONE, FRONT, BEHIND, RANDOM
    }

    /**
     * One interaction mode: the contacting labels it annotates, how likely the person looks at the object
     * during it, where the object is and at what depth.
     */
    public record Mode(String name, List<String> contacting, double pLook, Anchor anchor, Depth depth) {}

    /** The modes; index = mode id. */
    public static final List<Mode> MODES = List.of(
            new Mode("NC", List.of("not_contacting"), 0.30, Anchor.AWAY, Depth.RANDOM),
            new Mode("HOLD", List.of("holding"), 0.60, Anchor.HAND, Depth.FRONT),
            new Mode("TOUCH", List.of("touching"), 0.45, Anchor.SIDE, Depth.RANDOM),
            new Mode("HOLD_TOUCH", List.of("holding", "touching"), 0.60, Anchor.HAND, Depth.FRONT),
            new Mode("CARRY", List.of("carrying", "holding"), 0.25, Anchor.HAND, Depth.FRONT),
            new Mode("SIT", List.of("sitting_on"), 0.05, Anchor.BELOW, Depth.NONE),
            new Mode("SIT_LEAN", List.of("sitting_on", "leaning_on"), 0.05, Anchor.BELOW, Depth.BEHIND),
            new Mode("LIE", List.of("lying_on"), 0.05, Anchor.BELOW, Depth.NONE),
            new Mode("STAND", List.of("standing_on"), 0.02, Anchor.BELOW, Depth.NONE),
            new Mode("LEAN", List.of("leaning_on"), 0.10, Anchor.SIDE, Depth.BEHIND),
            new Mode("WEAR", List.of("wearing"), 0.10, Anchor.BODY, Depth.NONE),
            new Mode("EAT", List.of("eating", "holding"), 0.80, Anchor.FACE, Depth.FRONT),
            new Mode("DRINK", List.of("drinking_from", "holding"), 0.70, Anchor.FACE, Depth.FRONT),
            new Mode("COVER", List.of("covered_by"), 0.10, Anchor.BODY, Depth.FRONT),
            new Mode("WRITE", List.of("writing_on", "touching"), 0.90, Anchor.HAND, Depth.FRONT),
            new Mode("WIPE", List.of("wiping", "touching"), 0.75, Anchor.SIDE, Depth.FRONT),
            new Mode("TWIST", List.of("twisting", "holding"), 0.70, Anchor.HAND, Depth.FRONT),
            new Mode("BACK", List.of("have_it_on_the_back"), 0.05, Anchor.BACK, Depth.BEHIND),
            new Mode("OTHER", List.of("other_relationship"), 0.40, Anchor.SIDE, Depth.RANDOM));

    /**
     * Likely next modes when a mode ends (each listed successor's weight is multiplied by
     * {@link #SUCCESSOR_BOOST}), so sequences such as not_contacting -> touching -> holding -> drinking_from
     * are typical.
     */
    static final String[][] SUCCESSORS = {
        {"NC", "TOUCH", "HOLD", "SIT", "STAND", "LEAN"},
        {"TOUCH", "HOLD", "HOLD_TOUCH", "NC", "WIPE", "TWIST"},
        {"HOLD", "EAT", "DRINK", "WRITE", "CARRY", "HOLD_TOUCH", "NC", "TWIST"},
        {"HOLD_TOUCH", "HOLD", "TOUCH"},
        {"CARRY", "HOLD", "NC", "BACK"},
        {"SIT", "SIT_LEAN", "LIE", "STAND", "NC"},
        {"SIT_LEAN", "SIT"},
        {"LIE", "SIT", "COVER"},
        {"STAND", "SIT", "NC"},
        {"LEAN", "TOUCH", "NC", "SIT"},
        {"WEAR", "HOLD", "NC"},
        {"EAT", "HOLD"},
        {"DRINK", "HOLD"},
        {"COVER", "LIE", "HOLD"},
        {"WRITE", "HOLD", "TOUCH"},
        {"WIPE", "TOUCH", "HOLD"},
        {"TWIST", "HOLD", "TOUCH"},
        {"BACK", "CARRY", "HOLD"},
        {"OTHER", "NC"},
    };

    public static final double SUCCESSOR_BOOST = 3.0;

    /**
     * One object class of the world.
     *
     * @param label Action Genome label id (2..36)
     * @param frequency relative frequency of the class among a video's objects
     * @param stay probability that the interaction mode persists from one annotated frame to the next
     * @param width typical box width as a fraction of the frame width
     * @param height typical box height as a fraction of the frame height
     * @param modeWeights weight of every mode (0 = never) when a mode is drawn for this class
     */
    public record ObjectClass(int label, double frequency, double stay, double width, double height,
            double[] modeWeights) {
        public String name() {
            return Vocabulary.OBJECT_CLASSES.get(label);
        }
    }

    /** Object classes, index = label - 2 (labels 2..36). */
    public static final List<ObjectClass> CLASSES = List.of(
            cls("bag", 3.0, 0.88, 0.12, 0.18, "NC:4 HOLD:2 CARRY:1.2 TOUCH:1 BACK:0.4 WEAR:0.3"),
            cls("bed", 5.0, 0.93, 0.55, 0.40, "NC:3 SIT:2 LIE:2 TOUCH:0.5"),
            cls("blanket", 4.0, 0.90, 0.35, 0.35, "NC:3 COVER:2 HOLD:1.5 TOUCH:1"),
            cls("book", 4.0, 0.86, 0.08, 0.12, "NC:3 HOLD:3 HOLD_TOUCH:1 WRITE:0.3 TOUCH:1"),
            cls("box", 3.5, 0.87, 0.14, 0.16, "NC:3 HOLD:2 CARRY:1 TOUCH:1.5"),
            cls("broom", 0.8, 0.88, 0.05, 0.45, "NC:2 HOLD:3 HOLD_TOUCH:1 WIPE:0.5"),
            cls("chair", 7.0, 0.93, 0.22, 0.35, "NC:4 SIT:3 SIT_LEAN:1 TOUCH:0.7 LEAN:0.3"),
            cls("closet/cabinet", 2.5, 0.90, 0.30, 0.55, "NC:4 TOUCH:2 LEAN:0.5 HOLD:0.2"),
            cls("clothes", 5.0, 0.88, 0.18, 0.22, "NC:3 HOLD:2 WEAR:2 TOUCH:1 CARRY:0.5 WIPE:0.2"),
            cls("cup/glass/bottle", 7.5, 0.85, 0.055, 0.11, "NC:3 HOLD:3 DRINK:1.5 TOUCH:0.8 TWIST:0.2"),
            cls("dish", 6.0, 0.86, 0.10, 0.08, "NC:4 HOLD:2 WIPE:0.6 TOUCH:1 EAT:0.2"),
            cls("door", 6.0, 0.90, 0.20, 0.70, "NC:5 TOUCH:1.5 LEAN:0.5 HOLD:0.3"),
            cls("doorknob", 1.0, 0.85, 0.025, 0.045, "TOUCH:2 HOLD:1 TWIST:1.5 NC:1"),
            cls("doorway", 3.0, 0.92, 0.25, 0.75, "NC:6 OTHER:0.5 LEAN:0.3"),
            cls("floor", 4.0, 0.95, 0.95, 0.30, "STAND:4 SIT:2 LIE:0.8 NC:1"),
            cls("food", 6.0, 0.84, 0.08, 0.07, "NC:2 HOLD:2 EAT:2 TOUCH:0.8"),
            cls("groceries", 1.5, 0.86, 0.14, 0.16, "NC:2 HOLD:2 CARRY:1.5 TOUCH:1"),
            cls("laptop", 4.5, 0.90, 0.14, 0.14, "NC:2 TOUCH:2 HOLD:1.2 WRITE:0.2 CARRY:0.3"),
            cls("light", 2.0, 0.92, 0.08, 0.10, "NC:6 TOUCH:0.8 TWIST:0.2"),
            cls("medicine", 1.0, 0.84, 0.035, 0.08, "HOLD:2 NC:1.5 EAT:1 TWIST:0.5 TOUCH:0.5"),
            cls("mirror", 2.0, 0.90, 0.16, 0.28, "NC:5 TOUCH:0.6 WIPE:0.4"),
            cls("paper/notebook", 3.5, 0.87, 0.09, 0.08, "NC:2 HOLD:2 WRITE:1.2 TOUCH:1"),
            cls("phone/camera", 7.0, 0.85, 0.04, 0.08, "NC:2 HOLD:4 TOUCH:1 HOLD_TOUCH:0.8"),
            cls("picture", 2.0, 0.92, 0.12, 0.14, "NC:5 HOLD:0.7 TOUCH:0.5"),
            cls("pillow", 3.0, 0.88, 0.12, 0.10, "NC:3 HOLD:1.5 LEAN:1 LIE:0.6 TOUCH:0.8 CARRY:0.3"),
            cls("refrigerator", 2.5, 0.90, 0.25, 0.60, "NC:3 TOUCH:2 HOLD:0.4 LEAN:0.3"),
            cls("sandwich", 2.0, 0.84, 0.06, 0.07, "HOLD:2 EAT:2.5 NC:1 TOUCH:0.5"),
            cls("shelf", 3.0, 0.92, 0.30, 0.40, "NC:5 TOUCH:1.5 LEAN:0.3"),
            cls("shoe", 2.5, 0.88, 0.06, 0.075, "NC:2 WEAR:2 HOLD:1 TOUCH:1"),
            cls("sofa/couch", 6.5, 0.94, 0.50, 0.35, "SIT:4 NC:2 LIE:1 SIT_LEAN:1.5 TOUCH:0.3"),
            cls("table", 9.0, 0.92, 0.40, 0.25, "NC:4 TOUCH:2 LEAN:0.8 WIPE:0.4 WRITE:0.3 OTHER:0.2"),
            cls("television", 3.5, 0.94, 0.20, 0.18, "NC:8 TOUCH:0.3"),
            cls("towel", 2.5, 0.87, 0.10, 0.12, "NC:2 HOLD:2 WIPE:1.2 TOUCH:0.8 WEAR:0.3"),
            cls("vacuum", 1.2, 0.88, 0.10, 0.30, "HOLD:2.5 NC:1.5 HOLD_TOUCH:1 TOUCH:0.5 OTHER:0.3"),
            cls("window", 3.0, 0.93, 0.25, 0.35, "NC:6 TOUCH:0.8 WIPE:0.3 LEAN:0.2"));

    /** The class with a given label (2..36). */
    public static ObjectClass objectClass(int label) {
        return CLASSES.get(label - 2);
    }

    public static int modeId(String name) {
        for (int i = 0; i < MODES.size(); i++) {
            if (MODES.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown mode " + name);
    }

    /** Weights of the next mode when {@code current} ends, for a class (current itself excluded). */
    static double[] transitionWeights(ObjectClass c, int current) {
        double[] w = c.modeWeights().clone();
        w[current] = 0;
        for (String[] row : SUCCESSORS) {
            if (modeId(row[0]) == current) {
                for (int i = 1; i < row.length; i++) {
                    w[modeId(row[i])] *= SUCCESSOR_BOOST;
                }
            }
        }
        return w;
    }

    private static ObjectClass cls(String name, double freq, double stay, double w, double h, String modes) {
        int label = Vocabulary.OBJECT_CLASSES.indexOf(name);
        if (label < 2) {
            throw new IllegalStateException("not an object class: " + name);
        }
        double[] weights = new double[MODES.size()];
        for (String part : modes.split(" ")) {
            String[] kv = part.split(":");
            weights[modeId(kv[0])] = Double.parseDouble(kv[1]);
        }
        return new ObjectClass(label, freq, stay, w, h, weights);
    }

    /** Labels 2..36 in table order (checks the table covers each class once). */
    static List<Integer> labels() {
        List<Integer> out = new ArrayList<>();
        for (ObjectClass c : CLASSES) {
            out.add(c.label());
        }
        int[] sorted = out.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] expected = java.util.stream.IntStream.rangeClosed(2, 36).toArray();
        if (!Arrays.equals(sorted, expected)) {
            throw new IllegalStateException("class table must cover labels 2..36 once");
        }
        return out;
    }
}
