package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.m3sgg.data.Box;

class SpatialMasksTest {

    private static float at(float[] m, int c, int j, int k) {
        return m[c * 729 + j * 27 + k];
    }

    @Test
    void handComputedCoverage() {
        // subject (0,0,10,10), object (5,5,20,20): union 20x20, 27/20 = 1.35 cells per pixel.
        // subject spans cells [0, 13.5), object [6.75, 27)
        float[] m = SpatialMasks.of(new Box(0, 0, 10, 10), new Box(5, 5, 20, 20));
        assertEquals(2 * 27 * 27, m.length);
        assertEquals(0.5f, at(m, 0, 0, 0)); // fully covered
        assertEquals(0.5f, at(m, 0, 12, 12));
        assertEquals(0.5f * 1f - 0.5f, at(m, 0, 13, 0)); // half a row: 0.5 coverage
        assertEquals(0.25f - 0.5f, at(m, 0, 13, 13)); // half x half
        assertEquals(-0.5f, at(m, 0, 14, 14)); // outside
        assertEquals(-0.5f, at(m, 1, 0, 0));
        assertEquals(0.0625f - 0.5f, at(m, 1, 6, 6)); // 0.25 x 0.25 of the object's first cell
        assertEquals(0.25f - 0.5f, at(m, 1, 6, 20));
        assertEquals(0.5f, at(m, 1, 26, 26));
    }

    @Test
    void matchesFloat32ReferenceValues() {
        // person box of the Action Genome example record and the chair of 1.3 (xywh -> xyxy); expected values from
        // a float32 transcription of STTran's Cython draw_union_boxes, minus 0.5
        Box person = new Box(24.29774f, 71.443954f, 259.23602f, 268.20288f);
        Box chair = Box.fromXywh(56.34, 179.17, 192.78, 90.57);
        float[] m = SpatialMasks.of(person, chair);
        assertEquals(0.5f, at(m, 0, 0, 0));
        assertEquals(0.2907085418701172f, at(m, 0, 26, 0));
        assertEquals(0.2907085418701172f, at(m, 0, 26, 26));
        assertEquals(-0.5f, at(m, 1, 0, 0));
        assertEquals(-0.39455804228782654f, at(m, 1, 14, 3));
        assertEquals(-0.1679849624633789f, at(m, 1, 14, 4));
        assertEquals(0.33742713928222656f, at(m, 1, 25, 25));
        assertEquals(-0.1824181079864502f, at(m, 1, 26, 3));
        assertEquals(0.5f, at(m, 1, 15, 5));
    }

    @Test
    void batchEqualsSingle() {
        Box a = new Box(3.5, 7.25, 100.75, 80);
        Box b = new Box(40, 2, 60.5, 120);
        float[] single = SpatialMasks.of(a, b);
        float[] rois = {3.5f, 7.25f, 100.75f, 80f, 40f, 2f, 60.5f, 120f, 40f, 2f, 60.5f, 120f, 3.5f, 7.25f, 100.75f, 80f};
        float[] batch = SpatialMasks.of(rois);
        assertEquals(4 * 729, batch.length);
        for (int i = 0; i < 1458; i++) {
            assertEquals(single[i], batch[i]);
        }
        // swapping subject and object swaps the channels
        for (int i = 0; i < 729; i++) {
            assertEquals(single[i], batch[1458 + 729 + i]);
            assertEquals(single[729 + i], batch[1458 + i]);
        }
    }

    @Test
    void propertiesHold() {
        java.util.Random r = new java.util.Random(5);
        for (int t = 0; t < 200; t++) {
            Box a = randomBox(r);
            Box b = randomBox(r);
            float[] m = SpatialMasks.of(a, b);
            Box u = a.union(b);
            double[] sums = new double[2];
            for (int c = 0; c < 2; c++) {
                for (int i = 0; i < 729; i++) {
                    float v = m[c * 729 + i];
                    assertTrue(v >= -0.5f && v <= 0.5f, "value in [-0.5, 0.5]");
                    sums[c] += v + 0.5;
                }
            }
            // total coverage = box area as a fraction of the union, times 27*27, when the box spans at least
            // one cell each way (see subCellBoxesFollowTheFormulaNotTheArea)
            Box[] boxes = {a, b};
            for (int c = 0; c < 2; c++) {
                if (boxes[c].width() * 27 < u.width() || boxes[c].height() * 27 < u.height()) {
                    continue;
                }
                double expected = boxes[c].width() * boxes[c].height() / (u.width() * u.height()) * 729;
                assertEquals(expected, sums[c], 1e-3 * Math.max(1, expected));
            }
            // invariant under a shift by whole pixels and a power-of-two scale (exact in float)
            float[] moved = SpatialMasks.of(scale(a, 2, 64), scale(b, 2, 64));
            for (int i = 0; i < m.length; i++) {
                assertEquals(m[i], moved[i], 1e-5f);
            }
        }
    }

    @Test
    void subCellBoxesFollowTheFormulaNotTheArea() {
        // STTran's per-axis weight is clamp(k+1-x1) * clamp(x2-k): a box whose two edges fall in the same cell gets
        // (k+1-x1)(x2-k), not x2-x1. Object (32, 32, 34, 34) in a 270x270 union spans cells 3.2 .. 3.4 each way:
        // weight 0.8 * 0.4 = 0.32 per axis (true coverage 0.2)
        float[] m = SpatialMasks.of(new Box(0, 0, 270, 270), new Box(32, 32, 34, 34));
        float axis = (4f - 32f * 27f / 270f) * (34f * 27f / 270f - 3f);
        assertEquals(axis * axis - 0.5f, at(m, 1, 3, 3));
        assertEquals(0.32f, axis, 1e-6f);
    }

    private static Box randomBox(java.util.Random r) {
        double x = r.nextInt(400);
        double y = r.nextInt(200);
        return new Box(x, y, x + 1 + r.nextInt(200), y + 1 + r.nextInt(150));
    }

    private static Box scale(Box b, double s, double shift) {
        return new Box(b.x1() * s + shift, b.y1() * s + shift, b.x2() * s + shift, b.y2() * s + shift);
    }
}
