package org.m3sgg.sgdet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * STTran's {@code assign_relations} for one frame (SGDET training): which detection stands for which ground-truth
 * box. IoU with the legacy +1 widths in float64 ({@code bbox_overlaps}).
 * <ol>
 * <li>Every detection whose largest IoU exceeds the threshold takes the label of its best ground truth (the first
 * on ties; person = 1).</li>
 * <li>Ground truth in order, person first: with some IoU above the threshold, the candidate is the detection of
 * largest IoU (first on ties). For an object whose candidate is already taken, the first detection in
 * {@code argsort(-IoU)} (ties by ascending index) not yet taken, even with IoU 0; if every detection is taken the
 * taken one stays. An object's candidate gets the object's class; the person's keeps its first-pass label.</li>
 * <li>Ground truth with no IoU above the threshold goes to {@code supply}.</li>
 * </ol>
 */
public final class RelationAssigner {

    private RelationAssigner() {}

    /**
     * One frame's assignment.
     *
     * @param labels the frame's detections' assigned labels (0 = unmatched), frame-local
     * @param found  frame-local detection index per matched ground truth ({@code DETECTOR_FOUND_IDX[frame]})
     * @param gt     the matched ground-truth indices in the same order (0 = person; {@code GT_RELATIONS})
     * @param supply ground-truth indices no detection matched ({@code SUPPLY_RELATIONS})
     */
    public record Assignment(int[] labels, int[] found, int[] gt, int[] supply) {}

    /**
     * @param boxes the frame's detections, [n][4] or [n][5] (frame, x1, y1, x2, y2): the last four values
     */
    public static Assignment assign(float[][] boxes, FrameTruth truth, double threshold) {
        int n = boxes.length;
        int g = truth.size();
        double[][] iou = new double[n][g];
        for (int k = 0; k < g; k++) {
            double[] q = truth.box(k);
            for (int i = 0; i < n; i++) {
                iou[i][k] = iou(boxes[i], q);
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < g; k++) {
                if (iou[i][k] > iou[i][best]) {
                    best = k;
                }
            }
            if (g > 0 && iou[i][best] > threshold) {
                labels[i] = truth.label(best);
            }
        }
        List<Integer> found = new ArrayList<>();
        List<Integer> gt = new ArrayList<>();
        List<Integer> supply = new ArrayList<>();
        for (int k = 0; k < g; k++) {
            int cand = -1;
            for (int i = 0; i < n; i++) {
                if (iou[i][k] > threshold && (cand < 0 || iou[i][k] > iou[cand][k])) {
                    cand = i;
                }
            }
            if (cand < 0) {
                supply.add(k);
                continue;
            }
            // the argmax over all detections (the first of the largest): the same as the best above threshold
            if (k > 0 && found.contains(cand)) {
                for (int c : descendingOrder(iou, k)) {
                    if (!found.contains(c)) {
                        cand = c;
                        break;
                    }
                }
            }
            found.add(cand);
            gt.add(k);
            if (k > 0) {
                labels[cand] = truth.label(k);
            }
        }
        return new Assignment(labels, toArray(found), toArray(gt), toArray(supply));
    }

    /** Detection indices by IoU with ground truth {@code k} descending, ties by ascending index. */
    private static Integer[] descendingOrder(double[][] iou, int k) {
        Integer[] idx = new Integer[iou.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(iou[b][k], iou[a][k]));
        return idx;
    }

    /** {@code bbox_overlaps} of one detection and one ground-truth box: +1 widths, float64. */
    static double iou(float[] box, double[] q) {
        int o = box.length - 4;
        double bx1 = box[o];
        double by1 = box[o + 1];
        double bx2 = box[o + 2];
        double by2 = box[o + 3];
        double qArea = (q[2] - q[0] + 1) * (q[3] - q[1] + 1);
        double iw = Math.min(bx2, q[2]) - Math.max(bx1, q[0]) + 1;
        if (iw <= 0) {
            return 0;
        }
        double ih = Math.min(by2, q[3]) - Math.max(by1, q[1]) + 1;
        if (ih <= 0) {
            return 0;
        }
        double ua = (bx2 - bx1 + 1) * (by2 - by1 + 1) + qArea - iw * ih;
        return iw * ih / ua;
    }

    private static int[] toArray(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }
}
