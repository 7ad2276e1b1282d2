package org.m3sgg.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.m3sgg.api.KitException;

/**
 * OED's own SGDET recall ({@code models/evaluate_recall.py}, {@code BasicSceneGraphEvaluator}), which differs from
 * STTran's protocol that {@link SceneGraphEvaluator} follows:
 * <ul>
 *   <li>boxes stay normalised (cxcywh in, xyxy for matching) and the IoU is continuous (no +1), IoU >= 0.5;</li>
 *   <li>{@code no} constraint keeps the top 100 (subject score x object score x predicate) entries, or the top 500
 *       with the NMS filter; R@K is reported at 10, 20, 50 and 100;</li>
 *   <li>the optional NMS filter ({@code triplet_nms_filter}) suppresses, within each identical (class, predicate,
 *       class) triplet, predictions whose subject-IoU x object-IoU exceeds 0.9, with the +1 pixel widths applied
 *       to normalised coordinates (so almost any two boxes overlap strongly); alpha = beta = 1 and the threshold are
 *       literals of the reference, its command-line arguments are ignored;</li>
 *   <li>mean recall is the per-frame variant (per predicate, the mean over frames that have it of hit / count).</li>
 * </ul>
 * Scores follow the reference's float32 / float64 mix: object scores and their products in float32, relation
 * scores and everything after in double. Ranking: candidates sorted by score, descending; equal scores are ordered
 * by descending index (numpy's ascending argsort reversed, stable for the sizes where numpy's sort is), for the
 * {@code no} selection by ascending flat index (numpy sorts the negated scores).
 */
public final class OedEvaluator {

    /** The K values OED reports. */
    public static final int[] KS = {10, 20, 50, 100};
    private static final int NUM_REL = 26;
    private static final int NUM_ATTN = 3;
    private static final int NUM_SPATIAL = 6;

    /**
     * One frame's ground truth as OED's targets hold it: box 0 is the person.
     *
     * @param boxes      [n][4] normalised cxcywh (float32 values)
     * @param labels     [n]
     * @param attention  [n-1][3] one-hot
     * @param spatial    [n-1][6] multi-hot
     * @param contacting [n-1][17] multi-hot
     */
    public record GroundTruth(float[][] boxes, int[] labels, boolean[][] attention, boolean[][] spatial,
            boolean[][] contacting) {}

    /**
     * One frame's prediction in {@code PostProcessDSGG}'s form (float32 values).
     *
     * @param scores [2Q]; labels [2Q]; boxes [2Q][4] normalised cxcywh; pairs [Q][2];
     *               attention [Q][3]; spatial [Q][6]; contacting [Q][17]
     */
    public record Prediction(float[] scores, int[] labels, float[][] boxes, int[][] pairs, float[][] attention,
            float[][] spatial, float[][] contacting) {}

    /** What one frame gave: the ranked candidates and, per sorted (NMS-filtered) candidate, the matched truths. */
    public record FrameResult(int[][] predRels, double[] predicateScores, double[][] sortedTripletScores,
            List<List<Integer>> predToGt, double[] recall) {}

    /** Summary over frames. */
    public record Summary(Map<Integer, double[]> recallPerFrame, Map<Integer, Double> recall,
            Map<Integer, List<List<Double>>> perPredicateFrameRecalls, Map<Integer, int[]> recallHit,
            Map<Integer, int[]> recallCount) {}

    private final boolean withConstraint;
    private final boolean nmsFilter;
    private final List<FrameResult> frames = new ArrayList<>();
    private final Map<Integer, List<List<Double>>> perPredicate = new LinkedHashMap<>();
    private final Map<Integer, int[]> hit = new LinkedHashMap<>();
    private final Map<Integer, int[]> count = new LinkedHashMap<>();

    /**
     * @param withConstraint true: one predicate per row (arg-max); false: OED's {@code no} constraint
     * @param nmsFilter      OED's {@code --use_nms_filter}
     */
    public OedEvaluator(boolean withConstraint, boolean nmsFilter) {
        this.withConstraint = withConstraint;
        this.nmsFilter = nmsFilter;
        for (int k : KS) {
            List<List<Double>> l = new ArrayList<>();
            for (int n = 0; n < NUM_REL; n++) {
                l.add(new ArrayList<>());
            }
            perPredicate.put(k, l);
            hit.put(k, new int[NUM_REL]);
            count.put(k, new int[NUM_REL]);
        }
    }

    /** Scores one frame and accumulates it. */
    public FrameResult process(GroundTruth gt, Prediction p) {
        // ground-truth relations: attention (person, object), spatial (object, person), contacting (person, object)
        List<int[]> gtRels = new ArrayList<>();
        for (int o = 0; o < gt.attention().length; o++) {
            int a = -1;
            for (int c = 0; c < gt.attention()[o].length; c++) {
                if (gt.attention()[o][c]) {
                    if (a >= 0) {
                        throw new KitException("OED ground truth: object " + (o + 1) + " has more than one attention label");
                    }
                    a = c;
                }
            }
            if (a < 0) {
                throw new KitException("OED ground truth: object " + (o + 1) + " has no attention label");
            }
            gtRels.add(new int[] {0, o + 1, a});
            for (int c = 0; c < gt.spatial()[o].length; c++) {
                if (gt.spatial()[o][c]) {
                    gtRels.add(new int[] {o + 1, 0, NUM_ATTN + c});
                }
            }
            for (int c = 0; c < gt.contacting()[o].length; c++) {
                if (gt.contacting()[o][c]) {
                    gtRels.add(new int[] {0, o + 1, NUM_ATTN + NUM_SPATIAL + c});
                }
            }
        }
        if (gtRels.isEmpty()) {
            throw new KitException("OED ground truth: a frame without relations (the reference asserts at least one)");
        }
        double[][] gtBoxes = xyxy(gt.boxes());
        double[][] predBoxes = xyxy(p.boxes());

        int q = p.pairs().length;
        int rows = 3 * q;
        int[][] relInds = new int[rows][];
        double[][] relScores = new double[rows][NUM_REL];
        for (int i = 0; i < q; i++) {
            int s = p.pairs()[i][0];
            int o = p.pairs()[i][1];
            relInds[i] = new int[] {s, o};
            relInds[q + i] = new int[] {o, s};
            relInds[2 * q + i] = new int[] {s, o};
            for (int c = 0; c < p.attention()[i].length; c++) {
                relScores[i][c] = p.attention()[i][c];
            }
            for (int c = 0; c < p.spatial()[i].length; c++) {
                relScores[q + i][NUM_ATTN + c] = p.spatial()[i][c];
            }
            for (int c = 0; c < p.contacting()[i].length; c++) {
                relScores[2 * q + i][NUM_ATTN + NUM_SPATIAL + c] = p.contacting()[i][c];
            }
        }

        int[][] predRels;
        double[] predicateScores;
        if (withConstraint) {
            predRels = new int[rows][];
            predicateScores = new double[rows];
            for (int r = 0; r < rows; r++) {
                int best = 0;
                for (int c = 1; c < NUM_REL; c++) {
                    if (relScores[r][c] > relScores[r][best]) {
                        best = c;
                    }
                }
                predRels[r] = new int[] {relInds[r][0], relInds[r][1], best};
                predicateScores[r] = relScores[r][best];
            }
        } else {
            double[] overall = new double[rows * NUM_REL];
            for (int r = 0; r < rows; r++) {
                float objPair = p.scores()[relInds[r][0]] * p.scores()[relInds[r][1]];
                for (int c = 0; c < NUM_REL; c++) {
                    overall[r * NUM_REL + c] = objPair * relScores[r][c];
                }
            }
            Integer[] order = new Integer[overall.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(overall[b], overall[a]));
            int keep = Math.min(nmsFilter ? 500 : 100, order.length);
            predRels = new int[keep][];
            predicateScores = new double[keep];
            for (int i = 0; i < keep; i++) {
                int r = order[i] / NUM_REL;
                int c = order[i] % NUM_REL;
                predRels[i] = new int[] {relInds[r][0], relInds[r][1], c};
                predicateScores[i] = relScores[r][c];
            }
        }

        // triplets sorted by subject score x object score x predicate score
        int n = predRels.length;
        double[][] tripletScores = new double[n][];
        double[] product = new double[n];
        for (int i = 0; i < n; i++) {
            tripletScores[i] = new double[] {p.scores()[predRels[i][0]], p.scores()[predRels[i][1]], predicateScores[i]};
            product[i] = tripletScores[i][0] * tripletScores[i][1] * tripletScores[i][2];
        }
        Integer[] sorted = new Integer[n];
        for (int i = 0; i < n; i++) {
            sorted[i] = i;
        }
        Arrays.sort(sorted, (a, b) -> product[a] != product[b] ? Double.compare(product[b], product[a])
                : Integer.compare(b, a));
        double[][] sortedScores = new double[n][];
        int[][] triplets = new int[n][];
        double[][] tripletBoxes = new double[n][];
        for (int i = 0; i < n; i++) {
            int j = sorted[i];
            sortedScores[i] = tripletScores[j];
            int[] r = predRels[j];
            triplets[i] = new int[] {p.labels()[r[0]], r[2], p.labels()[r[1]]};
            tripletBoxes[i] = concat(predBoxes[r[0]], predBoxes[r[1]]);
        }
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kept.add(i);
        }
        if (nmsFilter) {
            double[] overall = new double[n];
            for (int i = 0; i < n; i++) {
                overall[i] = sortedScores[i][0] * sortedScores[i][1] * sortedScores[i][2];
            }
            kept = tripletNms(triplets, tripletBoxes, overall);
        }

        // matching: same (class, predicate, class), both boxes IoU >= 0.5
        List<List<Integer>> predToGt = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            predToGt.add(new ArrayList<>());
        }
        for (int g = 0; g < gtRels.size(); g++) {
            int[] r = gtRels.get(g);
            int[] t = {gt.labels()[r[0]], r[2], gt.labels()[r[1]]};
            for (int i = 0; i < kept.size(); i++) {
                int j = kept.get(i);
                if (Arrays.equals(t, triplets[j])
                        && iou(gtBoxes[r[0]], Arrays.copyOfRange(tripletBoxes[j], 0, 4)) >= 0.5
                        && iou(gtBoxes[r[1]], Arrays.copyOfRange(tripletBoxes[j], 4, 8)) >= 0.5) {
                    predToGt.get(i).add(g);
                }
            }
        }

        double[] recall = new double[KS.length];
        for (int ki = 0; ki < KS.length; ki++) {
            int k = KS[ki];
            TreeSet<Integer> match = new TreeSet<>();
            for (int i = 0; i < Math.min(k, predToGt.size()); i++) {
                match.addAll(predToGt.get(i));
            }
            int[] h = new int[NUM_REL];
            int[] c = new int[NUM_REL];
            for (int g : match) {
                h[gtRels.get(g)[2]]++;
            }
            for (int[] r : gtRels) {
                c[r[2]]++;
            }
            for (int pr = 0; pr < NUM_REL; pr++) {
                hit.get(k)[pr] += h[pr];
                count.get(k)[pr] += c[pr];
                if (c[pr] > 0) {
                    perPredicate.get(k).get(pr).add((double) h[pr] / c[pr]);
                }
            }
            recall[ki] = (double) match.size() / gtRels.size();
        }
        FrameResult fr = new FrameResult(predRels, predicateScores, sortedScores, predToGt, recall);
        frames.add(fr);
        return fr;
    }

    public Summary summary() {
        Map<Integer, double[]> perFrame = new LinkedHashMap<>();
        Map<Integer, Double> mean = new LinkedHashMap<>();
        for (int ki = 0; ki < KS.length; ki++) {
            double[] r = new double[frames.size()];
            double sum = 0;
            for (int f = 0; f < r.length; f++) {
                r[f] = frames.get(f).recall()[ki];
                sum += r[f];
            }
            perFrame.put(KS[ki], r);
            mean.put(KS[ki], r.length == 0 ? Double.NaN : sum / r.length);
        }
        return new Summary(perFrame, mean, perPredicate, hit, count);
    }

    /** OED's {@code triplet_nms_filter}: kept indices, ascending. */
    static List<Integer> tripletNms(int[][] triplets, double[][] boxes, double[] scores) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < triplets.length; i++) {
            groups.computeIfAbsent(Arrays.toString(triplets[i]), x -> new ArrayList<>()).add(i);
        }
        TreeSet<Integer> keep = new TreeSet<>();
        for (List<Integer> g : groups.values()) {
            // pairwise_nms: members by score, descending (ties: later member first)
            List<Integer> order = new ArrayList<>(g);
            order.sort((a, b) -> scores[a] != scores[b] ? Double.compare(scores[b], scores[a]) : Integer.compare(b, a));
            while (!order.isEmpty()) {
                int i = order.get(0);
                keep.add(i);
                List<Integer> rest = new ArrayList<>();
                for (int t = 1; t < order.size(); t++) {
                    int j = order.get(t);
                    double ovr = legacyIou(boxes[i], boxes[j], 0) * legacyIou(boxes[i], boxes[j], 4);
                    if (ovr <= 0.9) {
                        rest.add(j);
                    }
                }
                order = rest;
            }
        }
        return new ArrayList<>(keep);
    }

    /** IoU with the +1 widths of {@code pairwise_nms}, on the box at {@code off} of two 8-wide triplet boxes. */
    private static double legacyIou(double[] a, double[] b, int off) {
        double areaA = (a[off + 2] - a[off] + 1) * (a[off + 3] - a[off + 1] + 1);
        double areaB = (b[off + 2] - b[off] + 1) * (b[off + 3] - b[off + 1] + 1);
        double w = Math.max(0.0, Math.min(a[off + 2], b[off + 2]) - Math.max(a[off], b[off]) + 1);
        double h = Math.max(0.0, Math.min(a[off + 3], b[off + 3]) - Math.max(a[off + 1], b[off + 1]) + 1);
        double inter = w * h;
        return inter / (areaA + areaB - inter);
    }

    /** torchvision-style continuous IoU of two xyxy boxes. */
    static double iou(double[] a, double[] b) {
        double areaA = (a[2] - a[0]) * (a[3] - a[1]);
        double areaB = (b[2] - b[0]) * (b[3] - b[1]);
        double w = Math.max(0.0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double h = Math.max(0.0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = w * h;
        return inter / (areaA + areaB - inter);
    }

    /** cxcywh -> xyxy in float32, as {@code box_cxcywh_to_xyxy} on float32 tensors. */
    static double[][] xyxy(float[][] cxcywh) {
        double[][] out = new double[cxcywh.length][];
        for (int i = 0; i < cxcywh.length; i++) {
            float[] b = cxcywh[i];
            out[i] = new double[] {b[0] - 0.5f * b[2], b[1] - 0.5f * b[3], b[0] + 0.5f * b[2], b[1] + 0.5f * b[3]};
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
