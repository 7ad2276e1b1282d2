package org.m3sgg.models.relation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * STTran's SGCLS test-time relabelling, on the host, from the classifier's logits:
 * <ol>
 *   <li>{@code dist = softmax(logits[:, 1:])} (36 columns, column k is class k + 1); every box takes the best
 *       non-person class ({@code argmax(dist[:, 1:]) + 2}) and its probability;</li>
 *   <li>per frame, the box with the highest person probability ({@code dist[:, 0]}) becomes the person (label 1,
 *       score = that probability);</li>
 *   <li>per frame, the most frequent label c (smallest on ties): all boxes labelled c except the one with the
 *       highest {@code dist[:, c-1]} get {@code dist[:, c-1] = 0} and are re-labelled by the argmax over all 36
 *       columns (which may make them a second "person", then they are not paired);</li>
 *   <li>pairs = the frame's person with every box of that frame whose label is not 1, in box order.</li>
 * </ol>
 * Ties in argmax take the first index, as PyTorch's CPU argmax does; the duplicate pass orders boxes with a stable
 * sort (PyTorch's argsort is not stable, so exact ties may be broken differently).
 */
public final class SgclsRelabeler {

    /**
     * @param labels       [N] predicted labels (1 = person)
     * @param scores       [N] their probabilities
     * @param distribution [N][36] the softmax after the duplicate pass zeroed entries
     * @param pairs        [P][2] (person, object) box indices
     * @param pairFrame    [P] frame of each pair
     */
    public record Result(int[] labels, double[] scores, double[][] distribution, int[][] pairs, int[] pairFrame) {}

    private SgclsRelabeler() {}

    /** {@code logits [N, C]} (C = object classes incl. background), {@code boxFrame [N]}. */
    public static Result relabel(INDArray logits, int[] boxFrame) {
        int n = (int) logits.size(0);
        int c = (int) logits.size(1);
        if (boxFrame.length != n) {
            throw new IllegalArgumentException(boxFrame.length + " frame ids for " + n + " boxes");
        }
        double[][] dist = new double[n][c - 1];
        int[] labels = new int[n];
        double[] scores = new double[n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 1; k < c; k++) {
                max = Math.max(max, logits.getDouble(i, k));
            }
            double sum = 0;
            for (int k = 1; k < c; k++) {
                dist[i][k - 1] = Math.exp(logits.getDouble(i, k) - max);
                sum += dist[i][k - 1];
            }
            for (int k = 0; k < c - 1; k++) {
                dist[i][k] /= sum;
            }
            int best = argmax(dist[i], 1);
            labels[i] = best + 1;
            scores[i] = dist[i][best];
        }
        int frames = 0;
        for (int f : boxFrame) {
            frames = Math.max(frames, f + 1);
        }
        int[] human = new int[frames];
        Arrays.fill(human, -1);
        for (int f = 0; f < frames; f++) {
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == f && (human[f] < 0 || dist[i][0] > dist[human[f]][0])) {
                    human[f] = i;
                }
            }
            if (human[f] >= 0) {
                labels[human[f]] = 1;
                scores[human[f]] = dist[human[f]][0];
            }
        }
        for (int f = 0; f < frames; f++) {
            List<Integer> boxes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == f) {
                    boxes.add(i);
                }
            }
            if (boxes.isEmpty()) {
                continue;
            }
            int dup = mode(boxes, labels);
            List<Integer> same = new ArrayList<>();
            for (int i : boxes) {
                if (labels[i] == dup) {
                    same.add(i);
                }
            }
            same.sort((a, b) -> Double.compare(dist[a][dup - 1], dist[b][dup - 1]));
            for (int j = 0; j < same.size() - 1; j++) {
                int i = same.get(j);
                dist[i][dup - 1] = 0;
                int best = argmax(dist[i], 0);
                labels[i] = best + 1;
                scores[i] = dist[i][best];
            }
        }
        List<int[]> pairs = new ArrayList<>();
        List<Integer> pairFrame = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            if (human[f] < 0) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == f && labels[i] != 1) {
                    pairs.add(new int[] {human[f], i});
                    pairFrame.add(f);
                }
            }
        }
        return new Result(labels, scores, dist, pairs.toArray(new int[0][]),
                pairFrame.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int argmax(double[] v, int from) {
        int best = from;
        for (int k = from + 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    /** The most frequent label among the boxes, the smallest label on ties. */
    private static int mode(List<Integer> boxes, int[] labels) {
        int best = -1;
        int bestCount = 0;
        for (int i : boxes) {
            int count = 0;
            for (int j : boxes) {
                if (labels[j] == labels[i]) {
                    count++;
                }
            }
            if (count > bestCount || (count == bestCount && labels[i] < best)) {
                best = labels[i];
                bestCount = count;
            }
        }
        return best;
    }
}
