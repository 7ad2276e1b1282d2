package org.m3sgg.sgdet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** STTran's {@code assign_relations} on hand-made frames and on the fixture. */
class RelationAssignerTest {

    private static final float[] PERSON = {0, 0, 99, 99};

    @Test
    void objectsTakenAlreadyFallBackToTheNextUntakenEvenWithIouZero() {
        // two identical GT objects, one detection on them, one far away (IoU 0 with both)
        float[][] det = {{0, 0, 0, 99, 99}, {0, 200, 200, 249, 249}, {0, 500, 500, 520, 520}};
        FrameTruth gt = new FrameTruth(PERSON, new int[] {7, 9},
                new double[][] {{200, 200, 249, 249}, {200, 200, 249, 249}});
        RelationAssigner.Assignment a = RelationAssigner.assign(det, gt, 0.5);
        // object 2: its best detection 1 is taken, then (argsort, ties by index) 0 is taken too, 2 has IoU 0
        assertArrayEquals(new int[] {0, 1, 2}, a.found());
        assertArrayEquals(new int[] {0, 1, 2}, a.gt());
        assertArrayEquals(new int[0], a.supply());
        // first pass: detection 0 -> person, detection 1 -> class 7 (the first GT on ties); fallback -> class 9
        assertArrayEquals(new int[] {1, 7, 9}, a.labels());
    }

    @Test
    void whenEveryDetectionIsTakenTheTakenCandidateStays() {
        float[][] det = {{0, 0, 0, 99, 99}, {0, 200, 200, 249, 249}};
        FrameTruth gt = new FrameTruth(PERSON, new int[] {7, 9},
                new double[][] {{200, 200, 249, 249}, {200, 200, 249, 249}});
        RelationAssigner.Assignment a = RelationAssigner.assign(det, gt, 0.5);
        assertArrayEquals(new int[] {0, 1, 1}, a.found());
        assertArrayEquals(new int[] {1, 9}, a.labels());
    }

    @Test
    void thePersonKeepsItsFirstPassLabelAndUnmatchedGroundTruthIsSupplied() {
        // the detection on the person overlaps an object better: its first-pass label is the object's class
        float[][] det = {{0, 0, 0, 99, 99}};
        FrameTruth gt = new FrameTruth(PERSON, new int[] {12, 20},
                new double[][] {{0, 0, 99, 99}, {300, 300, 310, 310}});
        RelationAssigner.Assignment a = RelationAssigner.assign(det, gt, 0.5);
        assertArrayEquals(new int[] {0, 0}, a.found(), "the person's candidate is not checked against taken ones");
        assertArrayEquals(new int[] {0, 1}, a.gt());
        assertArrayEquals(new int[] {2}, a.supply());
        assertArrayEquals(new int[] {12}, a.labels());
    }

    @Test
    void frameWithoutDetectionsSuppliesEverything() {
        FrameTruth gt = new FrameTruth(PERSON, new int[] {3}, new double[][] {{1, 1, 5, 5}});
        RelationAssigner.Assignment a = RelationAssigner.assign(new float[0][], gt, 0.5);
        assertArrayEquals(new int[] {0, 1}, a.supply());
        assertEquals(0, a.found().length);
    }

    @Test
    void iouIsTheLegacyPlusOneInDoublePrecision() {
        double iou = RelationAssigner.iou(new float[] {0, 0, 9, 9}, new double[] {5, 0, 14, 9});
        assertEquals(50.0 / 150.0, iou, 0);
    }

    @Test
    void fixtureFrameOneFallsBackToTheWeakOverlap() {
        TrainEntry e = new SgdetPipeline(SgdetFixture.HEAD, SgdetOptions.reference())
                .train(SgdetFixture.IN.detections(), SgdetFixture.IN.maps(), SgdetFixture.IN.truth());
        assertArrayEquals(new int[] {0, 8, 4, 1}, e.assignments()[1].found());
        assertArrayEquals(new int[] {0, 1, 2, 3}, e.assignments()[1].gt());
        double[] refD = SgdetFixture.npy("train_assigned_labels", 1).doubles();
        int[] mine = e.assignedLabels();
        for (int i = 0; i < refD.length; i++) {
            assertEquals(refD[i], mine[i], 0, "detection " + i + " of " + Arrays.toString(mine));
        }
        assertEquals(refD.length, mine.length);
    }
}
