package org.m3sgg.eval;

import java.util.Arrays;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;

/**
 * A model's output for one frame, in the form the evaluator scores. Indices in {@code pairs} refer to this frame's
 * {@code boxes}; the first index of a pair is the subject (the person), the second the object.
 *
 * <p>The arrays are taken over as they are, not copied, because model code fills one of these per frame on the
 * hot path: treat them as read-only once the record exists.
 *
 * @param boxes [N, 4] corner-form boxes (x1, y1, x2, y2) in original image pixels
 * @param labels [N] object class ids 1..36 (1 = person)
 * @param scores [N] object scores in [0, 1] (1 for every box in PredCLS)
 * @param pairs [P, 2] (subject box, object box) indices into {@code boxes}
 * @param attention [P, 3] attention probabilities (already normalised: the evaluator applies no softmax)
 * @param spatial [P, 6] spatial probabilities (independent sigmoids)
 * @param contacting [P, 17] contacting probabilities (independent sigmoids)
 */
public record FramePrediction(double[][] boxes, int[] labels, double[] scores, int[][] pairs,
                              double[][] attention, double[][] spatial, double[][] contacting) {

    /** Validates shapes, ranges and finiteness; messages name the offending field ({@code pred.pairs[3][1]}). */
    public FramePrediction {
        require(boxes, "pred.boxes");
        require(labels, "pred.labels");
        require(scores, "pred.scores");
        require(pairs, "pred.pairs");
        require(attention, "pred.attention");
        require(spatial, "pred.spatial");
        require(contacting, "pred.contacting");
        int n = boxes.length;
        for (int i = 0; i < n; i++) {
            double[] b = boxes[i];
            width(b, 4, "pred.boxes[" + i + "]");
            for (int j = 0; j < 4; j++) {
                if (!Double.isFinite(b[j])) {
                    throw new KitException("pred.boxes[" + i + "][" + j + "] = " + b[j] + " is not finite");
                }
            }
        }
        if (labels.length != n) {
            throw new KitException("pred.labels has " + labels.length + " entries, expected one per box (" + n + ")");
        }
        if (scores.length != n) {
            throw new KitException("pred.scores has " + scores.length + " entries, expected one per box (" + n + ")");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 1 || labels[i] >= Vocabulary.NUM_OBJECT_CLASSES) {
                throw new KitException("pred.labels[" + i + "] = " + labels[i] + " is outside 1.."
                        + (Vocabulary.NUM_OBJECT_CLASSES - 1));
            }
            probability(scores[i], "pred.scores[" + i + "]");
        }
        int p = pairs.length;
        for (int i = 0; i < p; i++) {
            width(pairs[i], "pred.pairs[" + i + "]");
            for (int j = 0; j < 2; j++) {
                if (pairs[i][j] < 0 || pairs[i][j] >= n) {
                    throw new KitException("pred.pairs[" + i + "][" + j + "] = " + pairs[i][j]
                            + " is out of range: the frame has " + n + " boxes");
                }
            }
        }
        distributions(attention, p, Vocabulary.NUM_ATTENTION, "pred.attention");
        distributions(spatial, p, Vocabulary.NUM_SPATIAL, "pred.spatial");
        distributions(contacting, p, Vocabulary.NUM_CONTACTING, "pred.contacting");
    }

    /** A frame with no boxes and no pairs (it scores recall 0). */
    public static FramePrediction empty() {
        return new FramePrediction(new double[0][], new int[0], new double[0], new int[0][],
                new double[0][], new double[0][], new double[0][]);
    }

    public int boxCount() {
        return boxes.length;
    }

    public int pairCount() {
        return pairs.length;
    }

    /** Deep equality: same shapes and values (records compare arrays by identity otherwise). */
    @Override
    public boolean equals(Object o) {
        return o instanceof FramePrediction f && Arrays.deepEquals(f.boxes, boxes) && Arrays.equals(f.labels, labels)
                && Arrays.equals(f.scores, scores) && Arrays.deepEquals(f.pairs, pairs)
                && Arrays.deepEquals(f.attention, attention) && Arrays.deepEquals(f.spatial, spatial)
                && Arrays.deepEquals(f.contacting, contacting);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.deepHashCode(boxes) + Arrays.hashCode(labels)) + Arrays.deepHashCode(pairs);
    }

    @Override
    public String toString() {
        return "FramePrediction[" + boxes.length + " boxes, labels " + Arrays.toString(labels) + ", pairs "
                + Arrays.deepToString(pairs) + "]";
    }

    private static void require(Object array, String field) {
        if (array == null) {
            throw new KitException("missing field " + field);
        }
    }

    private static void width(double[] row, int expected, String field) {
        if (row == null) {
            throw new KitException(field + " is missing");
        }
        if (row.length != expected) {
            throw new KitException(field + " has " + row.length + " values, expected " + expected);
        }
    }

    private static void width(int[] row, String field) {
        if (row == null) {
            throw new KitException(field + " is missing");
        }
        if (row.length != 2) {
            throw new KitException(field + " has " + row.length + " values, expected 2 (subject, object)");
        }
    }

    private static void distributions(double[][] rows, int pairs, int size, String field) {
        if (rows.length != pairs) {
            throw new KitException(field + " has " + rows.length + " rows, expected one per pair (" + pairs + ")");
        }
        for (int i = 0; i < rows.length; i++) {
            width(rows[i], size, field + "[" + i + "]");
            for (int j = 0; j < size; j++) {
                probability(rows[i][j], field + "[" + i + "][" + j + "]");
            }
        }
    }

    private static void probability(double v, String field) {
        if (!(v >= 0 && v <= 1)) {
            throw new KitException(field + " = " + v + " is not a probability in [0, 1]");
        }
    }
}
