package org.m3sgg.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.data.Vocabulary;

/**
 * Scores of one constraint over all processed frames, as fractions in [0, 1]. Index {@code i} of every per-K array
 * belongs to {@code SceneGraphEvaluator.KS.get(i)} (10, 20, 50, 100); per-predicate arrays are indexed by global
 * predicate id 0..25.
 *
 * @param recall [4] R@K: mean over frames of each frame's recall
 * @param meanRecall [4] mR@K, pooled: per predicate, hits summed over frames / ground truth summed over frames,
 *     then averaged over all 26 predicates (TEMPURA, M3SGG)
 * @param meanRecallFrame [4] mR_frame@K: per predicate, mean over the frames where it occurs of that frame's
 *     hits / count, then averaged over all 26 predicates (DSG-DETR, OED)
 * @param perPredicateRecall [4, 26] the pooled per-predicate recalls behind mR@K (0 for a predicate never in the
 *     ground truth)
 * @param perPredicateFrameRecall [4, 26] the per-frame-averaged per-predicate recalls behind mR_frame@K
 * @param relationCounts [26] ground-truth triplets per predicate over all frames
 */
public record ConstraintResult(Constraint constraint, int frames, double[] recall, double[] meanRecall,
                               double[] meanRecallFrame, double[][] perPredicateRecall,
                               double[][] perPredicateFrameRecall, long[] relationCounts) {

    public ConstraintResult {
        recall = recall.clone();
        meanRecall = meanRecall.clone();
        meanRecallFrame = meanRecallFrame.clone();
        perPredicateRecall = deepClone(perPredicateRecall);
        perPredicateFrameRecall = deepClone(perPredicateFrameRecall);
        relationCounts = relationCounts.clone();
    }

    /** Metric names in output order: R@10..R@100, mR@10..mR@100, mR_frame@10..mR_frame@100. */
    public static List<String> metricNames() {
        String[] names = new String[3 * SceneGraphEvaluator.KS.size()];
        int i = 0;
        for (String prefix : new String[] {"R@", "mR@", "mR_frame@"}) {
            for (int k : SceneGraphEvaluator.KS) {
                names[i++] = prefix + k;
            }
        }
        return List.of(names);
    }

    public double recall(int k) {
        return recall[kIndex(k)];
    }

    public double meanRecall(int k) {
        return meanRecall[kIndex(k)];
    }

    public double meanRecallFrame(int k) {
        return meanRecallFrame[kIndex(k)];
    }

    /** [26] pooled recall of each predicate at K. */
    public double[] perPredicateRecall(int k) {
        return perPredicateRecall[kIndex(k)].clone();
    }

    /** [26] per-frame-averaged recall of each predicate at K. */
    public double[] perPredicateFrameRecall(int k) {
        return perPredicateFrameRecall[kIndex(k)].clone();
    }

    /** A metric by name: {@code R@20}, {@code mR@50}, {@code mR_frame@10}. */
    public double metric(String name) {
        int at = name.indexOf('@');
        if (at > 0) {
            String prefix = name.substring(0, at);
            int k;
            try {
                k = Integer.parseInt(name.substring(at + 1));
            } catch (NumberFormatException e) {
                k = -1;
            }
            if (SceneGraphEvaluator.KS.contains(k)) {
                switch (prefix) {
                    case "R":
                        return recall(k);
                    case "mR":
                        return meanRecall(k);
                    case "mR_frame":
                        return meanRecallFrame(k);
                    default:
                        break;
                }
            }
        }
        throw new IllegalArgumentException("unknown metric '" + name + "': expected R@K, mR@K or mR_frame@K with K in "
                + SceneGraphEvaluator.KS);
    }

    /** All twelve metrics, in {@link #metricNames()} order. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String name : metricNames()) {
            m.put(name, metric(name));
        }
        return m;
    }

    /** The predicate names, index = global predicate id (for labelling the per-predicate arrays). */
    public static List<String> predicateNames() {
        return Vocabulary.PREDICATES;
    }

    @Override
    public double[] recall() {
        return recall.clone();
    }

    @Override
    public double[] meanRecall() {
        return meanRecall.clone();
    }

    @Override
    public double[] meanRecallFrame() {
        return meanRecallFrame.clone();
    }

    @Override
    public double[][] perPredicateRecall() {
        return deepClone(perPredicateRecall);
    }

    @Override
    public double[][] perPredicateFrameRecall() {
        return deepClone(perPredicateFrameRecall);
    }

    @Override
    public long[] relationCounts() {
        return relationCounts.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConstraintResult r && r.constraint == constraint && r.frames == frames
                && Arrays.equals(r.recall, recall) && Arrays.equals(r.meanRecall, meanRecall)
                && Arrays.equals(r.meanRecallFrame, meanRecallFrame)
                && Arrays.deepEquals(r.perPredicateRecall, perPredicateRecall)
                && Arrays.deepEquals(r.perPredicateFrameRecall, perPredicateFrameRecall)
                && Arrays.equals(r.relationCounts, relationCounts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * constraint.hashCode() + frames) + Arrays.hashCode(recall);
    }

    @Override
    public String toString() {
        return "ConstraintResult[" + constraint.key() + ", " + frames + " frames, " + metrics() + "]";
    }

    private static int kIndex(int k) {
        int i = SceneGraphEvaluator.KS.indexOf(k);
        if (i < 0) {
            throw new IllegalArgumentException("K = " + k + " is not tracked: expected one of "
                    + SceneGraphEvaluator.KS);
        }
        return i;
    }

    private static double[][] deepClone(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
