package org.m3sgg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.m3sgg.eval.Frames.att;
import static org.m3sgg.eval.Frames.box;
import static org.m3sgg.eval.Frames.con;
import static org.m3sgg.eval.Frames.gt;
import static org.m3sgg.eval.Frames.ids;
import static org.m3sgg.eval.Frames.obj;
import static org.m3sgg.eval.Frames.spa;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Box;

/**
 * Hand-computed cases for the protocol's edges. Predicate ids: attention looking_at 0, not_looking_at 1, unsure 2;
 * spatial above 3, in_front_of 5; contacting carrying 9, holding 14, not_contacting 17.
 */
class SceneGraphEvaluatorTest {

    private static final double EPS = 1e-12;
    private static final Box PERSON = box(0, 0, 99, 99);
    private static final Box A = box(100, 100, 199, 199);
    private static final Box B = box(200, 0, 299, 99);
    private static final int BOOK = 5;
    private static final int CHAIR = 8;

    /** A book looked at (0), in front of (spatial 2 = 5), held (contacting 5 = 14): three GT triplets. */
    private static GroundTruthFrame oneBook() {
        return gt(PERSON, obj(BOOK, A, 0, ids(2), ids(5)));
    }

    /** A prediction that gets all three triplets of {@link #oneBook()} right under every constraint. */
    private static FramePrediction perfectBook() {
        return new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1)
                .pair(0, 1, att(0, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05)).build();
    }

    private static EvaluationResult score(GroundTruthFrame g, FramePrediction p) {
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        ev.process(g, p);
        return ev.summarize();
    }

    private static void assertAllK(double expected, ConstraintResult r) {
        for (int k : SceneGraphEvaluator.KS) {
            assertEquals(expected, r.recall(k), EPS, r.constraint().key() + " R@" + k);
        }
    }

    @Test
    void perfectPredictionRecallsEverythingAtEveryK() {
        EvaluationResult r = score(oneBook(), perfectBook());
        for (Constraint c : Constraint.values()) {
            assertAllK(1.0, r.get(c));
        }
    }

    @Test
    void emptyPredictionScoresZeroAndStillCountsItsGroundTruth() {
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        ev.process(oneBook(), FramePrediction.empty());
        ev.process(oneBook(), perfectBook());
        EvaluationResult r = ev.summarize();
        assertEquals(2, r.frames());
        for (Constraint c : Constraint.values()) {
            ConstraintResult cr = r.get(c);
            assertAllK(0.5, cr);
            // predicates 0, 5 and 14: 1 hit of 2 each; the other 23 are absent and count 0
            assertEquals(3 * (1 / (2 + 1e-10)) / 26, cr.meanRecall(20), EPS);
            assertEquals(3 * 0.5 / 26, cr.meanRecallFrame(20), EPS);
            assertEquals(2, cr.relationCounts()[14]);
            assertEquals(0.5, cr.perPredicateRecall(10)[14], 1e-9);
            assertEquals(0.0, cr.perPredicateRecall(10)[13]);
        }
    }

    @Test
    void pooledAndPerFrameMeanRecallDiffer() {
        // Frame 1: one book, all three triplets recalled. Frame 2: three objects, nothing predicted.
        // Per predicate (0, 5, 14): pooled 1 hit / 4 = 0.25; per frame mean(1/1, 0/3) = 0.5.
        GroundTruthFrame three = gt(PERSON, obj(BOOK, A, 0, ids(2), ids(5)), obj(CHAIR, B, 0, ids(2), ids(5)),
                obj(12, box(300, 100, 399, 199), 0, ids(2), ids(5)));
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        ev.process(oneBook(), perfectBook());
        ev.process(three, FramePrediction.empty());
        ConstraintResult r = ev.summarize().get(Constraint.WITH);
        assertEquals(0.5, r.recall(10), EPS);
        assertEquals(3 * (1 / (4 + 1e-10)) / 26, r.meanRecall(10), EPS);
        assertEquals(3 * 0.5 / 26, r.meanRecallFrame(10), EPS);
        assertEquals(0.25, r.perPredicateRecall(10)[0], 1e-9);
        assertEquals(0.5, r.perPredicateFrameRecall(10)[0], EPS);
    }

    @Test
    void semiKeepsOnlyPredicatesStrictlyAboveTheThreshold() {
        // Spatial peaks at exactly 0.9 (not above), contacting never reaches it: semi keeps the attention row only.
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1)
                .pair(0, 1, att(0, 0.8), spa(2, 0.9, 0.1), con(5, 0.5, 0.1)).build();
        EvaluationResult r = score(oneBook(), p);
        assertAllK(1.0 / 3, r.get(Constraint.SEMI));
        // 'with' takes each row's argmax: looking_at, in_front_of and holding are all right
        assertAllK(1.0, r.get(Constraint.WITH));
    }

    @Test
    void semiWithEveryPairBelowThresholdKeepsAttentionOnly() {
        GroundTruthFrame g = gt(PERSON, obj(BOOK, A, 0, ids(2), ids(5)), obj(CHAIR, B, 1, ids(0), ids(8)));
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1).box(B, CHAIR, 1)
                .pair(0, 1, att(0, 0.7), spa(2, 0.6, 0.2), con(5, 0.8, 0.1))
                .pair(0, 2, att(1, 0.6), spa(0, 0.85, 0.2), con(8, 0.7, 0.1)).build();
        EvaluationResult r = score(g, p);
        assertAllK(2.0 / 6, r.get(Constraint.SEMI));
        assertAllK(1.0, r.get(Constraint.WITH));
    }

    @Test
    void semiDropsRowsWhoseFirstTwoBlockEntriesAreZero() {
        // Reference quirk: a row counts as attention/spatial/contacting only if the first two entries of that
        // block sum to more than 0. Here all mass sits on later entries, so semi keeps nothing at all.
        GroundTruthFrame g = gt(PERSON, obj(BOOK, A, 2, ids(2), ids(5)));
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1)
                .pair(0, 1, new double[] {0, 0, 1}, spa(2, 0.99, 0), con(5, 0.99, 0)).build();
        EvaluationResult r = score(g, p);
        assertAllK(0.0, r.get(Constraint.SEMI));
        assertAllK(1.0, r.get(Constraint.WITH));
    }

    @Test
    void withConstraintTurnsAnAllZeroRowIntoLookingAt() {
        // Reference quirk: argmax over a 26-wide row of zeros is column 0. An all-zero spatial row (object -> person)
        // becomes <object, looking_at, person> with score 0, which matches when the "object" is another person.
        GroundTruthFrame g = gt(PERSON, obj(1, PERSON, 0, ids(), ids()));
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(PERSON, 1, 1)
                .pair(0, 1, new double[] {0, 0, 1}, new double[6], new double[17]).build();
        EvaluationResult r = score(g, p);
        assertAllK(1.0, r.get(Constraint.WITH));
        assertAllK(0.0, r.get(Constraint.SEMI));
    }

    @Test
    void kLargerThanTheCandidateListChangesNothing() {
        // One pair: 3 candidates under 'with', so every K sees the same list.
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1)
                .pair(0, 1, att(1, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05)).build();
        ConstraintResult r = score(oneBook(), p).get(Constraint.WITH);
        assertAllK(2.0 / 3, r);
    }

    @Test
    void duplicateTripletsCountOnceAndCanPushOthersOut() {
        // Book pair predicted five times (scores 0.95 / 0.93 / 0.91), chair pair once with 0.6 everywhere.
        GroundTruthFrame g = gt(PERSON, obj(BOOK, A, 0, ids(2), ids(5)), obj(CHAIR, B, 0, ids(2), ids(5)));
        Frames.Pred b = new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1).box(B, CHAIR, 1);
        for (int i = 0; i < 5; i++) {
            b.pair(0, 1, att(0, 0.95), spa(2, 0.93, 0.01), con(5, 0.91, 0.01));
        }
        b.pair(0, 2, att(0, 0.6), spa(2, 0.6, 0.01), con(5, 0.6, 0.01));
        ConstraintResult r = score(g, b.build()).get(Constraint.WITH);
        // ranks 0-4 book attention, 5-9 book spatial, 10-14 book contacting, 15-17 chair
        assertEquals(2.0 / 6, r.recall(10), EPS);
        assertEquals(1.0, r.recall(20), EPS);
        // duplicates never count a GT twice: 15 matching candidates for 3 GT triplets give 3, not 15
        ConstraintResult dupOnly = score(oneBook(), new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1)
                .pair(0, 1, att(0, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05))
                .pair(0, 1, att(0, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05)).build()).get(Constraint.WITH);
        assertAllK(1.0, dupOnly);
    }

    @Test
    void onePredictionCanMatchSeveralGroundTruthTriplets() {
        // Two books with nearly the same box, both looked at: one predicted triplet covers both.
        Box a2 = box(102, 100, 201, 199);
        GroundTruthFrame g = gt(PERSON, obj(BOOK, A, 0, ids(), ids()), obj(BOOK, a2, 0, ids(), ids()));
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1)
                .pair(0, 1, att(0, 0.9), spa(0, 0.5, 0.1), con(0, 0.5, 0.1)).build();
        assertAllK(1.0, score(g, p).get(Constraint.WITH));
    }

    @Test
    void sgdetWithMissingExtraAndMislabelledBoxes() {
        // GT: book A (looking_at, in_front_of, holding) and chair B (not_looking_at, above, not_contacting).
        GroundTruthFrame g = gt(PERSON, obj(BOOK, A, 0, ids(2), ids(5)), obj(CHAIR, B, 1, ids(0), ids(8)));
        FramePrediction p = new Frames.Pred()
                .box(box(2, 3, 101, 97), 1, 0.9)        // person, jittered (IoU > 0.5)
                .box(box(105, 98, 204, 196), BOOK, 0.8) // book, jittered
                .box(box(200, 0, 299, 99), 9, 0.7)      // chair's box but labelled closet/cabinet: no match
                .box(box(400, 150, 470, 260), 12, 0.95) // extra box, nothing there
                .pair(0, 1, att(0, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05))
                .pair(0, 2, att(1, 0.8), spa(0, 0.95, 0.05), con(8, 0.92, 0.05))
                .pair(0, 3, att(0, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05)).build();
        EvaluationResult r = score(g, p);
        for (Constraint c : Constraint.values()) {
            assertAllK(3.0 / 6, r.get(c));
        }
        // Without the chair's box (missing detection) the same holds: its triplets cannot be recalled.
        FramePrediction missing = new Frames.Pred().box(box(2, 3, 101, 97), 1, 0.9)
                .box(box(105, 98, 204, 196), BOOK, 0.8)
                .pair(0, 1, att(0, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05)).build();
        assertAllK(3.0 / 6, score(g, missing).get(Constraint.WITH));
        // A box that overlaps too little (IoU < 0.5) does not match either.
        FramePrediction shifted = new Frames.Pred().box(PERSON, 1, 1).box(box(160, 100, 259, 199), BOOK, 1)
                .pair(0, 1, att(0, 0.8), spa(2, 0.95, 0.05), con(5, 0.92, 0.05)).build();
        assertAllK(0.0, score(oneBook(), shifted).get(Constraint.WITH));
    }

    @Test
    void noConstraintCanScoreBelowWithInSgdet() {
        // A confident false-positive pair (both scores 1) floods the no-constraint list with 23 predicates scoring
        // 0.99, while the true pair (object score 0.5) ranks its three right predicates at 0.45.
        GroundTruthFrame g = oneBook();
        double[] high6 = new double[6];
        double[] high17 = new double[17];
        java.util.Arrays.fill(high6, 0.99);
        java.util.Arrays.fill(high17, 0.99);
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(box(300, 150, 380, 260), 12, 1.0)
                .box(A, BOOK, 0.5)
                .pair(0, 1, new double[] {0.34, 0.33, 0.33}, high6, high17)
                .pair(0, 2, att(0, 0.9), spa(2, 0.9, 0.01), con(5, 0.9, 0.01)).build();
        EvaluationResult r = score(g, p);
        assertAllK(1.0, r.get(Constraint.WITH));
        ConstraintResult no = r.get(Constraint.NO);
        assertEquals(0.0, no.recall(10), EPS);
        assertEquals(0.0, no.recall(20), EPS);
        assertEquals(1.0, no.recall(50), EPS);
        assertTrue(no.recall(10) < r.get(Constraint.WITH).recall(10));
    }

    @Test
    void noConstraintKeepsOnlyTheTopN() {
        EvaluatorConfig two = new EvaluatorConfig(0.5, 0.9, 2);
        SceneGraphEvaluator ev = new SceneGraphEvaluator(two);
        ev.process(oneBook(), perfectBook());
        // top 2 entries: in_front_of 0.95 and holding 0.92; looking_at (0.8) is cut
        assertAllK(2.0 / 3, ev.summarize().get(Constraint.NO));
    }

    @Test
    void noConstraintIncludesZeroScoredEntriesWhenFewerThanTopN() {
        // All contacting probabilities are 0, so the contacting row contributes nothing positive; the zero-scored
        // entry <person, holding, book> of the attention row still enters the list (78 entries < 100) and matches,
        // as in the reference.
        FramePrediction p = new Frames.Pred().box(PERSON, 1, 1).box(A, BOOK, 1)
                .pair(0, 1, att(0, 0.8), spa(2, 0.95, 0.05), new double[17]).build();
        ConstraintResult no = score(oneBook(), p).get(Constraint.NO);
        assertEquals(1.0, no.recall(100), EPS);
        // positives: 3 attention + 6 spatial entries; the zeros start at rank 9, attention row first, so
        // <person, holding, book> (row 0, column 14) sits at rank 9 + 14 - 3 = 20 (columns 3..13 come before it)
        assertEquals(2.0 / 3, no.recall(20), EPS);
        assertEquals(1.0, no.recall(50), EPS);
    }

    @Test
    void equalScoresKeepCandidateOrder() {
        // Four pairs, every distribution flat at 0.5 on its first entry: 12 tied 'with' candidates, ordered
        // attention rows (pairs 0-3), spatial rows, contacting rows. R@10 misses the contacting triplets of
        // pairs 2 and 3.
        Box[] boxes = {A, B, box(300, 100, 399, 199), box(400, 0, 479, 99)};
        int[] labels = {BOOK, CHAIR, 12, 13};
        Frames.Pred b = new Frames.Pred().box(PERSON, 1, 1);
        org.m3sgg.data.AgObject[] objects = new org.m3sgg.data.AgObject[4];
        for (int i = 0; i < 4; i++) {
            b.box(boxes[i], labels[i], 1);
            objects[i] = obj(labels[i], boxes[i], 0, ids(0), ids(0));
        }
        for (int i = 0; i < 4; i++) {
            b.pair(0, i + 1, att(0, 0.5), spa(0, 0.5, 0.1), con(0, 0.5, 0.1));
        }
        ConstraintResult r = score(gt(PERSON, objects), b.build()).get(Constraint.WITH);
        assertEquals(10.0 / 12, r.recall(10), EPS);
        assertEquals(1.0, r.recall(20), EPS);
    }

    @Test
    void iouUsesThePlusOnePixelConvention() {
        // [0,0,2,2] vs [1,0,3,2]: 6/12 = 0.5 with +1 widths (1/3 without)
        assertEquals(0.5, LegacyIou.iou(box(0, 0, 2, 2), box(1, 0, 3, 2)), 0.0);
        assertEquals(0.2, LegacyIou.iou(box(0, 0, 2, 2), box(2, 0, 4, 2)), 1e-15);
        assertEquals(0.0, LegacyIou.iou(box(0, 0, 2, 2), box(3, 0, 5, 2)), 0.0);
        assertEquals(1.0, LegacyIou.iou(box(5, 5, 5, 5), box(5, 5, 5, 5)), 0.0);
        // exactly 0.5 counts as a match (>=)
        Box gtBox = box(10, 10, 12, 12);
        GroundTruthFrame g = gt(box(0, 0, 2, 2), obj(BOOK, gtBox, 0, ids(), ids()));
        FramePrediction p = new Frames.Pred().box(box(1, 0, 3, 2), 1, 1).box(box(11, 10, 13, 12), BOOK, 1)
                .pair(0, 1, att(0, 0.9), spa(0, 0.5, 0.1), con(0, 0.5, 0.1)).build();
        assertAllK(1.0, score(g, p).get(Constraint.WITH));
    }

    @Test
    void resetForgetsEverything() {
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        ev.process(oneBook(), FramePrediction.empty());
        ev.reset();
        assertEquals(0, ev.frameCount());
        assertThrows(IllegalStateException.class, ev::summarize);
        ev.process(oneBook(), perfectBook());
        EvaluationResult r = ev.summarize();
        assertEquals(1, r.frames());
        assertAllK(1.0, r.get(Constraint.NO));
        assertEquals(1, r.get(Constraint.NO).relationCounts()[0]);
    }

    @Test
    void metricsByNameAndImmutability() {
        EvaluationResult r = score(oneBook(), perfectBook());
        ConstraintResult w = r.get(Constraint.WITH);
        assertEquals(w.recall(20), w.metric("R@20"));
        assertEquals(w.meanRecall(50), r.metric(Constraint.WITH, "mR@50"));
        assertEquals(w.meanRecallFrame(100), w.metric("mR_frame@100"));
        assertEquals(ConstraintResult.metricNames(), List.copyOf(w.metrics().keySet()));
        assertThrows(IllegalArgumentException.class, () -> w.metric("R@30"));
        assertThrows(IllegalArgumentException.class, () -> w.metric("precision@10"));
        assertThrows(IllegalArgumentException.class, () -> w.metric("R@"));
        double[] recall = w.recall();
        recall[0] = 42;
        assertEquals(1.0, w.recall(10));
        w.perPredicateRecall(10)[0] = 42;
        assertEquals(1 / (1 + 1e-10), w.perPredicateRecall(10)[0], 1e-15);
        assertThrows(UnsupportedOperationException.class, () -> r.byConstraint().clear());
    }

    @Test
    void jsonHasTheDocumentedShape() throws Exception {
        EvaluationResult r = score(oneBook(), perfectBook());
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.toJson());
        assertEquals(List.of("with", "semi", "no"), iterable(node.fieldNames()));
        assertEquals(ConstraintResult.metricNames(), iterable(node.get("semi").fieldNames()));
        assertEquals(1.0, node.get("no").get("R@10").asDouble());
    }

    @Test
    void videoLengthsMustAgree() {
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        assertThrows(KitException.class, () -> ev.processVideo(List.of(oneBook()), List.of()));
    }

    @Test
    void groundTruthChecksWhatTheReferenceWouldCrashOn() {
        KitException noObjects = assertThrows(KitException.class, () -> gt(PERSON));
        assertTrue(noObjects.getMessage().contains("v.mp4/000001.png"), noObjects.getMessage());
        KitException twoAtt = assertThrows(KitException.class, () -> gt(PERSON,
                new org.m3sgg.data.AgObject(BOOK, A, new int[] {0, 1}, ids(), ids())));
        assertTrue(twoAtt.getMessage().contains("gt.objects[0].attention"), twoAtt.getMessage());
    }

    @Test
    void fromAgFrame() {
        var f = new org.m3sgg.data.AgFrame("001YG.mp4/000089.png", PERSON, List.of(obj(BOOK, A, 0, ids(2), ids(5))));
        GroundTruthFrame g = GroundTruthFrame.of(f);
        assertEquals("001YG.mp4", g.video());
        assertEquals("000089.png", g.frame());
        assertEquals(3, g.relationCount());
        assertAllK(1.0, score(g, perfectBook()).get(Constraint.SEMI));
    }

    @Test
    void stableOrderIsDescendingAndStable() {
        java.util.Random rnd = new java.util.Random(7);
        for (int n : new int[] {0, 1, 5, 24, 25, 100, 1000}) {
            double[] keys = new double[n];
            for (int i = 0; i < n; i++) {
                keys[i] = rnd.nextInt(10) / 10.0; // many ties
            }
            int[] order = new int[n];
            StableOrder.descending(keys, n, order, new int[n]);
            Integer[] expected = new Integer[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i;
            }
            java.util.Arrays.sort(expected, (a, b) -> Double.compare(keys[b], keys[a])); // stable (TimSort)
            assertArrayEquals(java.util.Arrays.stream(expected).mapToInt(Integer::intValue).toArray(), order);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
