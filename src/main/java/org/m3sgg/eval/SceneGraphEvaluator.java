package org.m3sgg.eval;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;

/**
 * Recall@K of video scene graphs on Action Genome, computed the way STTran's {@code lib/evaluation_recall.py}
 * computes it, for the three constraints at once, plus both published mean-recall definitions. See
 * {@code docs/METRICS.md} for the protocol in words.
 *
 * <p>Per frame: each predicted pair gives three candidate rows (attention person->object, spatial object->person,
 * contacting person->object); the constraint turns rows into (subject, predicate, object) candidates with a
 * predicate score; candidates are ranked by subject score x object score x predicate score (stable: equal scores
 * keep candidate order); a ground-truth triplet is recalled at K when one of the first K candidates has the same
 * subject class, predicate and object class and both boxes overlap with IoU >= 0.5 (+1 pixel convention).
 *
 * <p>Use: {@link #process} every frame (any order; frames are independent), then {@link #summarize}. Not
 * thread-safe: it reuses scratch buffers between frames.
 */
public final class SceneGraphEvaluator {

    /** The tracked K values, in output order. */
    public static final List<Integer> KS = List.of(10, 20, 50, 100);

    private static final int[] K_VALUES = {10, 20, 50, 100};
    private static final int MAX_K = 100;
    private static final int NUM_PRED = Vocabulary.NUM_PREDICATES;
    /** Column offset of each row kind (attention, spatial, contacting) in the reference's 26-wide score rows. */
    private static final int[] BLOCK_OFFSET = {0, Vocabulary.SPATIAL_OFFSET, Vocabulary.CONTACTING_OFFSET};

    private final EvaluatorConfig config;
    private final EnumMap<Constraint, Accumulator> accumulators = new EnumMap<>(Constraint.class);
    private int frames;

    // Scratch, reused between frames.
    private final Candidates candidates = new Candidates();
    private final Candidates positives = new Candidates();
    private int[] order = new int[64];
    private int[] scratch = new int[64];
    private int[] firstHit = new int[32];

    public SceneGraphEvaluator() {
        this(EvaluatorConfig.DEFAULT);
    }

    public SceneGraphEvaluator(EvaluatorConfig config) {
        this.config = config;
        reset();
    }

    public EvaluatorConfig config() {
        return config;
    }

    /** Forgets every processed frame (a fresh evaluation; the reference's training loop forgot to reset mR). */
    public void reset() {
        for (Constraint c : Constraint.values()) {
            accumulators.put(c, new Accumulator());
        }
        frames = 0;
    }

    /** Frames processed since the last reset. */
    public int frameCount() {
        return frames;
    }

    /** Scores one frame under all three constraints. */
    public void process(GroundTruthFrame gt, FramePrediction prediction) {
        Truth truth = new Truth(gt);
        for (Constraint c : Constraint.values()) {
            buildCandidates(c, prediction);
            scoreFrame(truth, prediction, accumulators.get(c));
        }
        frames++;
    }

    /** Scores a video: frame {@code t} of {@code gt} with prediction {@code t}. */
    public void processVideo(List<GroundTruthFrame> gt, List<FramePrediction> predictions) {
        if (gt.size() != predictions.size()) {
            throw new KitException("video has " + gt.size() + " ground-truth frames but " + predictions.size()
                    + " predicted frames");
        }
        for (int t = 0; t < gt.size(); t++) {
            process(gt.get(t), predictions.get(t));
        }
    }

    /** The scores so far. */
    public EvaluationResult summarize() {
        if (frames == 0) {
            throw new IllegalStateException("no frames processed: recall is undefined");
        }
        Map<Constraint, ConstraintResult> out = new EnumMap<>(Constraint.class);
        for (Constraint c : Constraint.values()) {
            out.put(c, accumulators.get(c).result(c, frames));
        }
        return new EvaluationResult(frames, out);
    }

    // ------------------------------------------------------------------------------------------- candidates

    /** Fills {@link #candidates} with this constraint's (subject, object, predicate, predicate score) list. */
    private void buildCandidates(Constraint c, FramePrediction p) {
        candidates.clear();
        switch (c) {
            case WITH -> withConstraint(p);
            case SEMI -> semiConstraint(p);
            case NO -> noConstraint(p);
        }
    }

    /** Row r of the reference's [3P, 26] block matrix: kind = r / P, pair = r % P; spatial rows are reversed. */
    private static double[] rowBlock(FramePrediction p, int kind, int pair) {
        return switch (kind) {
            case 0 -> p.attention()[pair];
            case 1 -> p.spatial()[pair];
            default -> p.contacting()[pair];
        };
    }

    private static int rowSubject(FramePrediction p, int kind, int pair) {
        return kind == 1 ? p.pairs()[pair][1] : p.pairs()[pair][0];
    }

    private static int rowObject(FramePrediction p, int kind, int pair) {
        return kind == 1 ? p.pairs()[pair][0] : p.pairs()[pair][1];
    }

    /** One candidate per row: numpy's argmax over the full 26-wide row (first maximum). */
    private void withConstraint(FramePrediction p) {
        int np = p.pairCount();
        for (int kind = 0; kind < 3; kind++) {
            for (int i = 0; i < np; i++) {
                double[] block = rowBlock(p, kind, i);
                int best = 0;
                for (int j = 1; j < block.length; j++) {
                    if (block[j] > block[best]) {
                        best = j;
                    }
                }
                double max = block[best];
                // The row's other columns are zeros that come first for spatial/contacting rows: if the block is
                // all zero too, numpy's argmax lands on column 0 (looking_at) with score 0. Kept for parity.
                int predicate = max > 0 ? BLOCK_OFFSET[kind] + best : 0;
                candidates.add(rowSubject(p, kind, i), rowObject(p, kind, i), predicate, max > 0 ? max : 0.0);
            }
        }
    }

    /**
     * The reference decides a row's kind by its first two columns of each block being positive, in the order
     * attention, spatial, contacting; a row whose first two entries of its own block sum to zero is dropped
     * entirely (e.g. an attention row with all mass on "unsure"). Kept for parity.
     */
    private void semiConstraint(FramePrediction p) {
        int np = p.pairCount();
        double thr = config.semiThreshold();
        for (int i = 0; i < np; i++) {
            double[] a = p.attention()[i];
            if (a[0] + a[1] > 0) {
                int best = 0;
                for (int j = 1; j < a.length; j++) {
                    if (a[j] > a[best]) {
                        best = j;
                    }
                }
                candidates.add(p.pairs()[i][0], p.pairs()[i][1], best, a[best]);
            }
        }
        for (int kind = 1; kind < 3; kind++) {
            for (int i = 0; i < np; i++) {
                double[] block = rowBlock(p, kind, i);
                if (!(block[0] + block[1] > 0)) {
                    continue;
                }
                for (int j = 0; j < block.length; j++) {
                    if (block[j] > thr) {
                        candidates.add(rowSubject(p, kind, i), rowObject(p, kind, i), BLOCK_OFFSET[kind] + j,
                                block[j]);
                    }
                }
            }
        }
    }

    /**
     * Every entry of the [3P, 26] matrix scored by (subject score x object score) x predicate score, the top N
     * (100) kept. Entries outside a row's own block score 0 and still count when fewer than N entries are positive,
     * as in the reference. Equivalent to a stable descending sort of all 78P entries in row-major order: positives
     * sorted first, then the zero entries in row-major order.
     */
    private void noConstraint(FramePrediction p) {
        int np = p.pairCount();
        int topN = config.noConstraintTopN();
        double[] os = p.scores();
        // Positive entries, in row-major order.
        Candidates pos = positives;
        pos.clear();
        for (int kind = 0; kind < 3; kind++) {
            for (int i = 0; i < np; i++) {
                int s = rowSubject(p, kind, i);
                int o = rowObject(p, kind, i);
                double pairScore = os[s] * os[o];
                double[] block = rowBlock(p, kind, i);
                for (int j = 0; j < block.length; j++) {
                    double overall = pairScore * block[j];
                    if (overall > 0) {
                        pos.add(s, o, BLOCK_OFFSET[kind] + j, block[j]);
                        pos.rank[pos.size - 1] = overall;
                    }
                }
            }
        }
        ensureOrder(pos.size);
        StableOrder.descending(pos.rank, pos.size, order, scratch);
        int keep = Math.min(topN, pos.size);
        for (int r = 0; r < keep; r++) {
            int q = order[r];
            candidates.add(pos.subject[q], pos.object[q], pos.predicate[q], pos.score[q]);
        }
        if (keep == topN) {
            return;
        }
        // Fill up with zero-scored entries in row-major order (off-block columns, and in-block zeros).
        int rows = 3 * np;
        for (int r = 0; r < rows && candidates.size < topN; r++) {
            int kind = r / np;
            int i = r % np;
            int s = rowSubject(p, kind, i);
            int o = rowObject(p, kind, i);
            double pairScore = os[s] * os[o];
            double[] block = rowBlock(p, kind, i);
            int off = BLOCK_OFFSET[kind];
            for (int col = 0; col < NUM_PRED && candidates.size < topN; col++) {
                int j = col - off;
                double value = j >= 0 && j < block.length ? block[j] : 0.0;
                if (!(pairScore * value > 0)) {
                    candidates.add(s, o, col, value);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- scoring

    /** Ranks the candidates, matches them to the ground truth and adds this frame to the accumulator. */
    private void scoreFrame(Truth gt, FramePrediction p, Accumulator acc) {
        int n = candidates.size;
        double[] os = p.scores();
        for (int q = 0; q < n; q++) {
            // (subject x object) x predicate: the reference's product order, so equal inputs give equal bits.
            candidates.rank[q] = os[candidates.subject[q]] * os[candidates.object[q]] * candidates.score[q];
        }
        ensureOrder(n);
        StableOrder.descending(candidates.rank, n, order, scratch);

        int nRel = gt.predicate.length;
        if (firstHit.length < nRel) {
            firstHit = new int[Math.max(nRel, 2 * firstHit.length)];
        }
        Arrays.fill(firstHit, 0, nRel, Integer.MAX_VALUE);
        // Only the first 100 ranks can count for any K; each GT triplet remembers the first rank that matches it.
        int ranks = Math.min(n, MAX_K);
        int[] labels = p.labels();
        double[][] boxes = p.boxes();
        for (int r = 0; r < ranks; r++) {
            int q = order[r];
            int qs = candidates.subject[q];
            int qo = candidates.object[q];
            int qp = candidates.predicate[q];
            int subjectClass = labels[qs];
            int objectClass = labels[qo];
            for (int g = 0; g < nRel; g++) {
                if (firstHit[g] != Integer.MAX_VALUE || gt.predicate[g] != qp
                        || gt.classes[gt.subject[g]] != subjectClass || gt.classes[gt.object[g]] != objectClass) {
                    continue;
                }
                if (LegacyIou.iou(boxes[qs], gt.boxes[gt.subject[g]]) >= config.iouThreshold()
                        && LegacyIou.iou(boxes[qo], gt.boxes[gt.object[g]]) >= config.iouThreshold()) {
                    firstHit[g] = r;
                }
            }
        }
        acc.add(gt.predicate, firstHit);
    }

    private void ensureOrder(int n) {
        if (order.length < n) {
            int size = Math.max(n, 2 * order.length);
            order = new int[size];
            scratch = new int[size];
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** The ground truth in the reference's arrays: boxes/classes (person first) and triplets in its order. */
    private static final class Truth {
        final double[][] boxes;
        final int[] classes;
        final int[] subject;
        final int[] object;
        final int[] predicate;

        Truth(GroundTruthFrame f) {
            List<AgObject> objects = f.objects();
            int nb = objects.size() + 1;
            boxes = new double[nb][];
            classes = new int[nb];
            boxes[0] = f.personBox().toArray();
            classes[0] = Vocabulary.PERSON;
            int nRel = f.relationCount();
            subject = new int[nRel];
            object = new int[nRel];
            predicate = new int[nRel];
            int g = 0;
            for (int m = 0; m < objects.size(); m++) {
                AgObject o = objects.get(m);
                int b = m + 1;
                Box box = o.box();
                boxes[b] = box.toArray();
                classes[b] = o.label();
                for (int a : o.attention()) {
                    subject[g] = 0;
                    object[g] = b;
                    predicate[g++] = a;
                }
                for (int s : o.spatial()) {
                    subject[g] = b; // spatial triplets point object -> person
                    object[g] = 0;
                    predicate[g++] = Vocabulary.SPATIAL_OFFSET + s;
                }
                for (int c : o.contacting()) {
                    subject[g] = 0;
                    object[g] = b;
                    predicate[g++] = Vocabulary.CONTACTING_OFFSET + c;
                }
            }
        }
    }

    /** A growable list of candidate triplets (struct of arrays). */
    private static final class Candidates {
        int size;
        int[] subject = new int[64];
        int[] object = new int[64];
        int[] predicate = new int[64];
        double[] score = new double[64];
        double[] rank = new double[64];

        void clear() {
            size = 0;
        }

        void add(int s, int o, int pred, double predicateScore) {
            if (size == subject.length) {
                int cap = 2 * size;
                subject = Arrays.copyOf(subject, cap);
                object = Arrays.copyOf(object, cap);
                predicate = Arrays.copyOf(predicate, cap);
                score = Arrays.copyOf(score, cap);
                rank = Arrays.copyOf(rank, cap);
            }
            subject[size] = s;
            object[size] = o;
            predicate[size] = pred;
            score[size] = predicateScore;
            size++;
        }
    }

    /** Running sums of one constraint. */
    private static final class Accumulator {
        final double[] recallSum = new double[K_VALUES.length];
        final long[][] hit = new long[K_VALUES.length][NUM_PRED];
        final long[] count = new long[NUM_PRED];
        final double[][] frameRecallSum = new double[K_VALUES.length][NUM_PRED];
        final int[] framesWith = new int[NUM_PRED];
        // Per-frame scratch.
        final int[] frameCount = new int[NUM_PRED];
        final int[] frameHit = new int[NUM_PRED];

        void add(int[] predicate, int[] firstHit) {
            int nRel = predicate.length;
            Arrays.fill(frameCount, 0);
            for (int g = 0; g < nRel; g++) {
                frameCount[predicate[g]]++;
                count[predicate[g]]++;
            }
            for (int c = 0; c < NUM_PRED; c++) {
                if (frameCount[c] > 0) {
                    framesWith[c]++;
                }
            }
            for (int ki = 0; ki < K_VALUES.length; ki++) {
                int k = K_VALUES[ki];
                Arrays.fill(frameHit, 0);
                int matched = 0;
                for (int g = 0; g < nRel; g++) {
                    if (firstHit[g] < k) {
                        matched++;
                        frameHit[predicate[g]]++;
                        hit[ki][predicate[g]]++;
                    }
                }
                recallSum[ki] += (double) matched / nRel;
                for (int c = 0; c < NUM_PRED; c++) {
                    if (frameCount[c] > 0) {
                        frameRecallSum[ki][c] += (double) frameHit[c] / frameCount[c];
                    }
                }
            }
        }

        ConstraintResult result(Constraint c, int frames) {
            int nk = K_VALUES.length;
            double[] recall = new double[nk];
            double[] mR = new double[nk];
            double[] mRFrame = new double[nk];
            double[][] perPred = new double[nk][NUM_PRED];
            double[][] perPredFrame = new double[nk][NUM_PRED];
            for (int ki = 0; ki < nk; ki++) {
                recall[ki] = recallSum[ki] / frames;
                double sum = 0;
                double sumFrame = 0;
                for (int p = 0; p < NUM_PRED; p++) {
                    // TEMPURA's +1e-10 keeps absent predicates at 0 instead of 0/0; kept so values agree bitwise.
                    perPred[ki][p] = hit[ki][p] / (count[p] + 1e-10);
                    perPredFrame[ki][p] = framesWith[p] == 0 ? 0.0 : frameRecallSum[ki][p] / framesWith[p];
                    sum += perPred[ki][p];
                    sumFrame += perPredFrame[ki][p];
                }
                mR[ki] = sum / NUM_PRED;
                mRFrame[ki] = sumFrame / NUM_PRED;
            }
            return new ConstraintResult(c, frames, recall, mR, mRFrame, perPred, perPredFrame, count.clone());
        }
    }
}
