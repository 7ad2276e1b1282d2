package org.m3sgg.models.stket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.nn.Selection;
import org.m3sgg.models.relation.RelationBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Host-side layouts STKET adds to STTran's ({@link RelationBatch}): the prior look-ups of the temporal decoder and
 * the ensemble decoder's per-pair histories, all as selection / weight matrices so the graph stays gathers-free.
 *
 * <h2>Object tracks</h2>
 * Like the reference, STKET follows an object through time by its class: the pair of object class c in frame g
 * is "the same object" as the pair of class c in frame f. When a frame has several pairs of one class, the last
 * one (in pair order) stands for the class in that frame.
 *
 * <h2>Temporal prior</h2>
 * Window j of the temporal decoder holds frame j (code 0) then frame j + 1 (code 1). Rows of frame j + 1, and the
 * rows of frame 0 in window 0, get the spatial prior of their class, {@code initialPrior[c]}; rows of frame j >= 1
 * get the transition prior given their contacting set S (from the spatial head):
 * {@code mean_{k in S} specificPrior[c][k]}, or {@code initialPrior[c]} when S is empty. As weight matrices:
 * {@code [R, C * K]} over the flattened specific table and {@code [R, C]} over the initial table.
 *
 * <h2>Ensemble decoder</h2>
 * For a pair in frame f, its window is f and the earlier frames of its class, walking back while each step is at
 * most 2 frames, up to {@code windowSize} frames, oldest first; slot s gets position code s, and the output is read
 * at the last slot (frame f). Rows of all windows are stacked ({@code [E, P]} selection of the averaged
 * spatial/temporal features, {@code [E, W]} slot codes, {@code [E, E]} block mask, {@code [P, E]} read-out).
 */
final class StketBatch {

    static final String WIN_PRIOR_SPECIFIC = "window_prior_specific";
    static final String WIN_PRIOR_INITIAL = "window_prior_initial";
    static final String PAIR_PRIOR_SPECIFIC = "pair_temporal_prior_specific";
    static final String PAIR_PRIOR_INITIAL = "pair_temporal_prior_initial";
    static final String ENS_SELECT = "ensemble_select";
    static final String ENS_SLOT = "ensemble_slot";
    static final String ENS_MASK = "ensemble_mask";
    static final String ENS_OUTPUT = "ensemble_output";

    /** The stacked ensemble windows: per row the pair whose features it holds, its slot and its window's pair. */
    record Ensemble(int[] rowPair, int[] rowSlot, int[] rowOwner, int[] outputRow) {}

    private StketBatch() {}

    /** Object class of each pair's object box. */
    static int[] pairClass(RelationInputs in) {
        int[] c = new int[in.numPairs()];
        for (int i = 0; i < c.length; i++) {
            c[i] = in.labels()[in.pairs()[i][1]];
        }
        return c;
    }

    /** Pair indices sorted by frame, ties in pair order (the reference's processing order). */
    static int[] timeOrder(RelationInputs in) {
        Integer[] idx = new Integer[in.numPairs()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Integer.compare(in.pairFrame()[x], in.pairFrame()[y]));
        return Arrays.stream(idx).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Contacting set of each pair from the spatial head's [P, K] probabilities: {not_contacting} when it is the
     * argmax, else the classes at or above {@code threshold} without not_contacting (possibly empty).
     */
    static List<TreeSet<Integer>> contactSets(double[][] probs, double threshold) {
        List<TreeSet<Integer>> out = new ArrayList<>();
        for (double[] p : probs) {
            int arg = 0;
            for (int k = 1; k < p.length; k++) {
                if (p[k] > p[arg]) {
                    arg = k;
                }
            }
            TreeSet<Integer> s = new TreeSet<>();
            if (arg == StketConfig.NOT_CONTACTING) {
                s.add(StketConfig.NOT_CONTACTING);
            } else {
                for (int k = 0; k < p.length; k++) {
                    if (k != StketConfig.NOT_CONTACTING && p[k] >= threshold) {
                        s.add(k);
                    }
                }
            }
            out.add(s);
        }
        return out;
    }

    /**
     * For each pair, the pair standing for its class in each earlier frame: {@code history.get(i)} maps frame to
     * pair index, frames before pair i's own.
     */
    private static List<TreeMap<Integer, Integer>> histories(RelationInputs in) {
        int[] cls = pairClass(in);
        int[] frame = in.pairFrame();
        Map<Integer, TreeMap<Integer, Integer>> seen = new HashMap<>();
        List<TreeMap<Integer, Integer>> out = new ArrayList<>();
        for (int i = 0; i < cls.length; i++) {
            out.add(null);
        }
        for (int i : timeOrder(in)) {
            TreeMap<Integer, Integer> h = seen.computeIfAbsent(cls[i], x -> new TreeMap<>());
            out.set(i, new TreeMap<>(h.headMap(frame[i], false)));
            h.put(frame[i], i);
        }
        return out;
    }

    /** The ensemble windows of every pair. */
    static Ensemble ensemble(RelationInputs in, int windowSize) {
        int p = in.numPairs();
        List<TreeMap<Integer, Integer>> hist = histories(in);
        List<Integer> rowPair = new ArrayList<>();
        List<Integer> rowSlot = new ArrayList<>();
        List<Integer> rowOwner = new ArrayList<>();
        int[] outputRow = new int[p];
        for (int i = 0; i < p; i++) {
            List<Integer> chain = new ArrayList<>();     // newest first: pair indices
            chain.add(i);
            int last = in.pairFrame()[i];
            for (Map.Entry<Integer, Integer> e : hist.get(i).descendingMap().entrySet()) {
                if (chain.size() == windowSize) {
                    break;
                }
                if (last - e.getKey() <= 2) {
                    chain.add(e.getValue());
                    last = e.getKey();
                } else {
                    break;                               // every earlier frame is farther still
                }
            }
            for (int s = 0; s < chain.size(); s++) {
                rowPair.add(chain.get(chain.size() - 1 - s));
                rowSlot.add(s);
                rowOwner.add(i);
            }
            outputRow[i] = rowPair.size() - 1;
        }
        return new Ensemble(ints(rowPair), ints(rowSlot), ints(rowOwner), outputRow);
    }

    /**
     * The extra placeholders. {@code contactProbs} [P][K] are the spatial head's contacting probabilities; null
     * gives all-zero temporal prior weights (the first pass, which only reads the spatial head).
     */
    static Map<String, INDArray> build(RelationInputs in, StketConfig cfg, double[][] contactProbs, DataType type) {
        int p = in.numPairs();
        int classes = cfg.objectClasses();
        int k = cfg.contactingClasses();
        int[] cls = pairClass(in);
        int[] frame = in.pairFrame();
        Map<String, INDArray> m = new LinkedHashMap<>();

        // ---- temporal prior weights per window row, rows in RelationBatch's order ----
        int frames = 0;
        for (int f : frame) {
            frames = Math.max(frames, f + 1);
        }
        List<TreeSet<Integer>> sets = contactProbs == null ? null : contactSets(contactProbs, cfg.contactThreshold());
        List<double[]> specRows = new ArrayList<>();
        List<double[]> initRows = new ArrayList<>();
        for (int j = 0; j + 1 < frames; j++) {
            for (int code = 0; code < 2; code++) {
                for (int i = 0; i < p; i++) {
                    if (frame[i] != j + code) {
                        continue;
                    }
                    double[] spec = new double[classes * k];
                    double[] init = new double[classes];
                    if (sets != null) {
                        if (code == 0 && j != 0) {
                            transition(spec, init, cls[i], sets.get(i), k);
                        } else {
                            init[cls[i]] = 1;
                        }
                    }
                    specRows.add(spec);
                    initRows.add(init);
                }
            }
        }
        if (specRows.isEmpty()) {
            specRows.add(new double[classes * k]);       // RelationBatch's dummy row of a single-frame video
            initRows.add(new double[classes]);
        }
        m.put(WIN_PRIOR_SPECIFIC, matrix(specRows, classes * k, type));
        m.put(WIN_PRIOR_INITIAL, matrix(initRows, classes, type));

        // ---- per-pair temporal prior (the prior heads' input): the class's previous frame within 2 frames ----
        List<TreeMap<Integer, Integer>> hist = histories(in);
        List<double[]> pSpec = new ArrayList<>();
        List<double[]> pInit = new ArrayList<>();
        for (int i = 0; i < p; i++) {
            double[] spec = new double[classes * k];
            double[] init = new double[classes];
            if (sets != null) {
                Map.Entry<Integer, Integer> prev = hist.get(i).lastEntry();
                int from = prev != null && frame[i] - prev.getKey() <= 2 ? prev.getValue() : i;
                transition(spec, init, cls[i], sets.get(from), k);
            }
            pSpec.add(spec);
            pInit.add(init);
        }
        m.put(PAIR_PRIOR_SPECIFIC, matrix(pSpec, classes * k, type));
        m.put(PAIR_PRIOR_INITIAL, matrix(pInit, classes, type));

        // ---- ensemble windows ----
        Ensemble e = ensemble(in, cfg.windowSize());
        int rows = e.rowPair().length;
        m.put(ENS_SELECT, Selection.rows(e.rowPair(), p, type));
        m.put(ENS_SLOT, Selection.rows(e.rowSlot(), cfg.windowSize(), type));
        double[][] mask = new double[rows][rows];
        for (int a = 0; a < rows; a++) {
            for (int b = 0; b < rows; b++) {
                mask[a][b] = e.rowOwner()[a] == e.rowOwner()[b] ? 0 : RelationBatch.BLOCKED;
            }
        }
        m.put(ENS_MASK, rows == 0 ? Nd4j.zeros(type, 0, 0) : Nd4j.createFromArray(mask).castTo(type));
        m.put(ENS_OUTPUT, Selection.rows(e.outputRow(), rows, type));
        return m;
    }

    /** Mean of specificPrior[c][k] over k in the set, or initialPrior[c] for an empty set. */
    private static void transition(double[] spec, double[] init, int c, TreeSet<Integer> set, int k) {
        if (set.isEmpty()) {
            init[c] = 1;
            return;
        }
        for (int kk : set) {
            spec[c * k + kk] = 1.0 / set.size();
        }
    }

    private static INDArray matrix(List<double[]> rows, int cols, DataType type) {
        return rows.isEmpty() ? Nd4j.zeros(type, 0, cols)
                : Nd4j.createFromArray(rows.toArray(new double[0][])).castTo(type);
    }

    private static int[] ints(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).toArray();
    }
}
