package org.m3sgg.sgdet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The test path's steps one by one: detector tail, clean_class chains, per-class legacy NMS. */
class ObjectStepsTest {

    private static final int FRAMES = 6;

    @Test
    void tailClampsAtZeroFromBelowOnly() {
        float[][] boxes = {{0, -3.5f, 2, 5000, -0f}};
        float[][] c = DetectorTail.clampBoxes(boxes);
        assertArrayEquals(new float[] {0, 0, 2, 5000, 0}, c[0]);
    }

    @Test
    void softmaxDropsTheBackgroundLogitFirst() {
        float[] logits = new float[37];
        logits[0] = 100; // background: ignored
        logits[3] = 1;
        float[] p = DetectorTail.distribution(logits);
        assertEquals(36, p.length);
        float e = (float) Math.E;
        assertEquals(e / (e + 35), p[2], 1e-7);
    }

    @Test
    void cleanClassDuplicatesRowsAndCopiesChain() {
        // one frame: a box whose argmax is 5 and second best 8, third 17
        float[] d = new float[36];
        d[4] = .5f;
        d[7] = .3f;
        d[16] = .2f;
        BoxSet in = new BoxSet(new float[][] {{0, 1, 1, 5, 5}}, new float[][] {{7}}, new float[][] {d},
                new int[] {5}, new float[] {.5f});
        BoxSet out = CleanClass.applyAll(in, new int[] {5, 8, 17}, 1);
        // c=5: original + copy labelled 8; c=8: + copy of the copy labelled 17; c=17: + a copy labelled 1
        assertArrayEquals(new int[] {5, 8, 17, 1}, out.labels());
        assertEquals(0f, out.distribution()[1][4]);
        assertEquals(.5f, out.distribution()[0][4], "the original row is unchanged");
        assertEquals(0f, out.distribution()[3][16]);
        assertEquals(null, out.scores());
    }

    @Test
    void cleanClassKeepsFramesContiguous() {
        float[] five = new float[36];
        five[4] = 1;
        float[] other = new float[36];
        other[9] = 1;
        BoxSet in = new BoxSet(new float[][] {{0, 0, 0, 1, 1}, {1, 0, 0, 1, 1}, {1, 2, 2, 3, 3}},
                new float[][] {{0}, {1}, {2}}, new float[][] {five, other, five}, new int[] {5, 10, 5}, null);
        BoxSet out = CleanClass.apply(in, 5, 2);
        float[] frames = new float[out.size()];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = out.boxes()[i][0];
        }
        assertArrayEquals(new float[] {0, 0, 1, 1, 1}, frames);
        assertEquals(2f, out.features()[4][0], "frame 1's copy follows frame 1's rows");
    }

    @Test
    void cleanClassOnTheFixture() {
        BoxSet tail = DetectorTail.apply(SgdetFixture.IN.detections(), SgdetFixture.HEAD);
        int[] rows = new int[3];
        int[] classes = {5, 8, 17};
        BoxSet s = tail;
        for (int k = 0; k < 3; k++) {
            s = CleanClass.apply(s, classes[k], FRAMES);
            rows[k] = s.size();
        }
        assertArrayEquals(new int[] {54, 56, 58}, rows);
        assertArrayEquals(SgdetFixture.ints("test_clean_pred_labels", 1), s.labels());
        assertArrayEquals(SgdetParity.flat(SgdetFixture.rows("test_clean_boxes")), SgdetParity.flat(s.boxes()));
    }

    @Test
    void legacyIouAddsOnePixel() {
        // 10x10 boxes (width x2 - x1 + 1) overlapping in 5 columns: IoU 50 / 150
        float iou = ClassNms.iou(new float[] {0, 0, 9, 9}, new float[] {5, 0, 14, 9});
        assertEquals(50f / 150f, iou, 0);
    }

    @Test
    void nmsSuppressesAboveTheThresholdOnlyAndKeepsInputOrder() {
        float[][] boxes = {{0, 0, 9, 9}, {5, 0, 14, 9}, {0, 0, 9, 8}, {100, 100, 110, 110}};
        // IoU(0, 1) = 1/3, IoU(0, 2) = 0.9
        assertArrayEquals(new int[] {0, 1, 3}, ClassNms.keep(boxes, 0.6f));
        assertArrayEquals(new int[] {0, 3}, ClassNms.keep(boxes, 50f / 150f - 1e-6f));
        assertArrayEquals(new int[] {0, 1, 3}, ClassNms.keep(boxes, 50f / 150f), "equality is not suppressed");
    }

    @Test
    void nmsOnTheFixtureKeepsTheReferenceBoxesInOrder() {
        BoxSet tail = DetectorTail.apply(SgdetFixture.IN.detections(), SgdetFixture.HEAD);
        BoxSet kept = ClassNms.apply(CleanClass.applyAll(tail, new int[] {5, 8, 17}, FRAMES), FRAMES, 0.6);
        assertEquals(54, kept.size());
        assertArrayEquals(SgdetParity.flat(SgdetFixture.rows("test_nms_boxes")), SgdetParity.flat(kept.boxes()));
        assertArrayEquals(SgdetParity.flat(SgdetFixture.rows("test_features")), SgdetParity.flat(kept.features()));
    }
}
