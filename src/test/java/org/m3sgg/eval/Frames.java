package org.m3sgg.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;

/** Small builders for hand-made test frames. */
final class Frames {

    private Frames() {}

    static Box box(double x1, double y1, double x2, double y2) {
        return new Box(x1, y1, x2, y2);
    }

    static AgObject obj(int label, Box box, int attention, int[] spatial, int[] contacting) {
        return new AgObject(label, box, new int[] {attention}, spatial, contacting);
    }

    static int[] ids(int... ids) {
        return ids;
    }

    static GroundTruthFrame gt(Box person, AgObject... objects) {
        return new GroundTruthFrame("v.mp4", "000001.png", person, List.of(objects));
    }

    /** Attention distribution with {@code p} on {@code label} and the rest split evenly. */
    static double[] att(int label, double p) {
        return peaked(3, label, p);
    }

    static double[] spa(int label, double p, double rest) {
        return peaked(6, label, p, rest);
    }

    static double[] con(int label, double p, double rest) {
        return peaked(17, label, p, rest);
    }

    static double[] peaked(int n, int label, double p) {
        return peaked(n, label, p, (1 - p) / (n - 1));
    }

    static double[] peaked(int n, int label, double p, double rest) {
        double[] d = new double[n];
        Arrays.fill(d, rest);
        d[label] = p;
        return d;
    }

    /** A prediction under construction: boxes first, then pairs with their three distributions. */
    static final class Pred {
        private final List<double[]> boxes = new ArrayList<>();
        private final List<Integer> labels = new ArrayList<>();
        private final List<Double> scores = new ArrayList<>();
        private final List<int[]> pairs = new ArrayList<>();
        private final List<double[]> att = new ArrayList<>();
        private final List<double[]> spa = new ArrayList<>();
        private final List<double[]> con = new ArrayList<>();

        Pred box(Box b, int label, double score) {
            boxes.add(b.toArray());
            labels.add(label);
            scores.add(score);
            return this;
        }

        Pred pair(int subject, int object, double[] attention, double[] spatial, double[] contacting) {
            pairs.add(new int[] {subject, object});
            att.add(attention);
            spa.add(spatial);
            con.add(contacting);
            return this;
        }

        FramePrediction build() {
            return new FramePrediction(boxes.toArray(new double[0][]),
                    labels.stream().mapToInt(Integer::intValue).toArray(),
                    scores.stream().mapToDouble(Double::doubleValue).toArray(),
                    pairs.toArray(new int[0][]), att.toArray(new double[0][]), spa.toArray(new double[0][]),
                    con.toArray(new double[0][]));
        }
    }
}
