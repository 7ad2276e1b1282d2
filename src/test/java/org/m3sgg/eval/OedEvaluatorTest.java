package org.m3sgg.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** OED's evaluator on hand-made frames; the full comparison with the reference is in OedParityTest. */
class OedEvaluatorTest {

    @Test
    void nmsWithPlusOneWidthsOnNormalisedBoxesSuppressesNearDuplicatesOfOneTripletOnly() {
        int[][] triplets = {{1, 4, 7}, {1, 4, 7}, {1, 4, 7}, {1, 5, 7}};
        double[][] boxes = {
            {0, 0, 0.1, 0.1, 0.5, 0.5, 0.6, 0.6},
            {0.01, 0.01, 0.11, 0.11, 0.5, 0.5, 0.6, 0.6},       // near duplicate of 0: (1.09^2 / (2.42 - 1.09^2)) = 0.96
            {0.5, 0.5, 0.6, 0.6, 0, 0, 0.1, 0.1},               // far: sub IoU 0.175 with +1 widths
            {0.01, 0.01, 0.11, 0.11, 0.5, 0.5, 0.6, 0.6}};      // same boxes, other predicate: a group of its own
        double[] scores = {0.9, 0.8, 0.7, 0.6};
        assertEquals(List.of(0, 2, 3), OedEvaluator.tripletNms(triplets, boxes, scores));
        // the higher score wins whatever the position
        assertEquals(List.of(1, 2, 3), OedEvaluator.tripletNms(triplets, boxes, new double[] {0.5, 0.8, 0.7, 0.6}));
    }

    @Test
    void recallMatchesTripletsWithContinuousIouOnNormalisedBoxes() {
        // person box 0, one object; truth: attention 1, spatial 0 (object -> person), contacting 2
        var gt = new OedEvaluator.GroundTruth(new float[][] {{0.3f, 0.3f, 0.2f, 0.2f}, {0.7f, 0.7f, 0.2f, 0.2f}},
                new int[] {1, 5}, new boolean[][] {{false, true, false}},
                new boolean[][] {{true, false, false, false, false, false}},
                new boolean[][] {contact(2)});
        // two queries: query 0 on the truth's boxes (object label 5), query 1 elsewhere (label 5)
        var p = new OedEvaluator.Prediction(new float[] {1, 1, 0.9f, 0.8f}, new int[] {1, 1, 5, 5},
                new float[][] {{0.3f, 0.3f, 0.2f, 0.2f}, {0.1f, 0.1f, 0.1f, 0.1f}, {0.71f, 0.7f, 0.2f, 0.2f},
                    {0.9f, 0.9f, 0.1f, 0.1f}},
                new int[][] {{0, 2}, {1, 3}},
                new float[][] {{0.1f, 0.8f, 0.1f}, {0.2f, 0.7f, 0.1f}},
                new float[][] {{0.3f, 0.2f, 0.1f, 0.1f, 0.1f, 0.1f}, {0.9f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f}},
                new float[][] {contactScores(2, 0.6f), contactScores(2, 0.95f)});
        OedEvaluator with = new OedEvaluator(true, false);
        OedEvaluator.FrameResult r = with.process(gt, p);
        // with: 6 rows, arg-max predicates; all three truths found by query 0 (IoU 0.905 for the shifted object)
        assertEquals(6, r.predRels().length);
        assertArrayEquals(new int[] {0, 2, 1}, r.predRels()[0]);
        assertArrayEquals(new int[] {2, 0, 3}, r.predRels()[2]);
        assertArrayEquals(new int[] {0, 2, 11}, r.predRels()[4]);
        assertArrayEquals(new double[] {1.0, 1.0, 1.0, 1.0}, r.recall(), 0.0);
        // ranking by subject x object x predicate score: query 1's contacting row (1 x 0.8 x 0.95) leads
        assertArrayEquals(new double[] {1.0, (double) 0.8f, (double) 0.95f}, r.sortedTripletScores()[0], 0.0);
        assertEquals(List.of(), r.predToGt().get(0));
        OedEvaluator.Summary s = with.summary();
        assertEquals(1, s.recallHit().get(10)[11]);
        assertEquals(1, s.recallCount().get(10)[3]);
        assertEquals(List.of(1.0), s.perPredicateFrameRecalls().get(10).get(1));
    }

    private static boolean[] contact(int c) {
        boolean[] b = new boolean[17];
        b[c] = true;
        return b;
    }

    private static float[] contactScores(int c, float v) {
        float[] s = new float[17];
        java.util.Arrays.fill(s, 0.05f);
        s[c] = v;
        return s;
    }
}
