package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/** OED's mask resize, sine position encoding, PRM scoring and top-k, and post-processing on hand-worked inputs. */
class OedPartsTest {

    @Test
    void maskDownsamplingSamplesOnePixelPerCell() {
        // the fixture's spatial batch: 152 x 232 padded, C5 5 x 8; OED samples rows 0,30,60,91,121 and
        // columns 0,29,58,87,116,145,174,203
        int[] rows = {0, 30, 60, 91, 121};
        int[] cols = {0, 29, 58, 87, 116, 145, 174, 203};
        boolean[][] m = new boolean[152][232];
        for (int y = 0; y < 152; y++) {
            for (int x = 0; x < 232; x++) {
                m[y][x] = (y * 7 + x * 3) % 5 == 0;
            }
        }
        boolean[][] d = OedPositions.downsampleMask(m, 5, 8);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(m[rows[y]][cols[x]], d[y][x], "cell " + y + "," + x);
            }
        }
        // a frame 100 pixels high padded to 152: C5 row 3 covers pixels 91..121, mostly padding, but samples 91
        boolean[][] padded = new boolean[152][232];
        for (int y = 100; y < 152; y++) {
            java.util.Arrays.fill(padded[y], true);
        }
        boolean[][] p = OedPositions.downsampleMask(padded, 5, 8);
        assertFalse(p[3][0]);
        assertTrue(p[4][0]);
    }

    @Test
    void sineEncodingNormalisesByTheLastRowAndColumnAndInterleavesSinCos() {
        // 2 x 3 map whose last column is padding; 4 features per axis: dim_t = 1, 1, 100, 100
        boolean[][] mask = {{false, false, true}, {false, false, true}};
        float[][][] pos = OedPositions.sine(mask, 4);
        assertEquals(8, pos.length);
        double twoPi = 2 * Math.PI;
        double y1 = 1 / (2 + 1e-6) * twoPi;
        double y2 = 2 / (2 + 1e-6) * twoPi;
        double x2 = 2 / (2 + 1e-6) * twoPi;
        assertEquals(Math.sin(y1), pos[0][0][0], 1e-6);
        assertEquals(Math.cos(y2), pos[1][1][1], 1e-6);
        assertEquals(Math.sin(y2 / 100), pos[2][1][0], 1e-6);
        assertEquals(Math.cos(y2 / 100), pos[3][1][0], 1e-6);
        // a fully padded column has y = 0
        assertEquals(0.0, pos[0][1][2], 0.0);
        assertEquals(1.0, pos[1][1][2], 0.0);
        // x: the last valid count carries on into the padding; x half after the y half
        assertEquals(Math.sin(x2), pos[4][0][2], 1e-6);
        assertEquals(Math.sin(x2 / 100), pos[6][1][1], 1e-6);
        assertEquals(Math.cos(1 / (2 + 1e-6) * twoPi / 100), pos[7][0][0], 1e-6);
    }

    @Test
    void prmTopkIsLargestFirstWithLowerIndexOnTies() {
        double[] s = {0.1, 0.7, 0.3, 0.7, 0.9, 0.0};
        assertArrayEquals(new int[] {4, 1, 3}, Prm.topk(s, 3));
        assertArrayEquals(new int[] {4, 1, 3, 2, 0, 5}, Prm.topk(s, 6));
    }

    @Test
    void prmScoreDropsNoObjectAndBackgroundAfterTheSoftmax() {
        var obj = Nd4j.createFromArray(new double[][] {{0, 2, 1, 5}});
        var attn = Nd4j.createFromArray(new double[][] {{1, 2, 3, 10}});
        var spatial = Nd4j.createFromArray(new double[][] {{-1, 0.5}});
        var contact = Nd4j.createFromArray(new double[][] {{2, -3, 0}});
        double zo = 1 + Math.exp(2) + Math.exp(1) + Math.exp(5);
        double za = Math.exp(1) + Math.exp(2) + Math.exp(3) + Math.exp(10);
        double expected = Math.exp(2) / zo * (Math.exp(3) / za) / (1 + Math.exp(-0.5)) / (1 + Math.exp(-2));
        assertEquals(expected, Prm.score(obj, attn, spatial, contact)[0], 1e-12);
    }

    @Test
    void postProcessingKeepsBoxesNormalisedAndDropsBackgroundBeforeTheAttentionSoftmax() {
        var obj = Nd4j.createFromArray(new double[][] {{0, 2, 1, 5}, {3, 0, 0, 9}});
        var sub = Nd4j.createFromArray(new double[][] {{0.5, 0.5, 0.2, 0.2}, {0.1, 0.2, 0.3, 0.4}});
        var objBox = Nd4j.createFromArray(new double[][] {{0.6, 0.4, 0.1, 0.3}, {0.9, 0.8, 0.7, 0.6}});
        var attn = Nd4j.createFromArray(new double[][] {{1, 2, 3, 10}, {0, 0, 0, -5}});
        var spatial = Nd4j.createFromArray(new double[][] {{0, 1}, {2, -2}});
        var contact = Nd4j.createFromArray(new double[][] {{0}, {1}});
        OedPostProcess p = OedPostProcess.of(obj, sub, objBox, attn, spatial, contact);
        assertArrayEquals(new int[] {1, 1, 1, 0}, p.labels());   // subjects 1, then argmax over classes 0..2
        double zo = 1 + Math.exp(2) + Math.exp(1) + Math.exp(5);
        assertEquals(1.0, p.scores()[0], 0.0);
        assertEquals(Math.exp(2) / zo, p.scores()[2], 1e-12);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4}, p.boxes()[1], 0.0);
        assertArrayEquals(new double[] {0.9, 0.8, 0.7, 0.6}, p.boxes()[3], 0.0);
        assertArrayEquals(new int[] {1, 3}, p.pairs()[1]);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertArrayEquals(new double[] {Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z}, p.attention()[0], 1e-12);
        assertArrayEquals(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, p.attention()[1], 1e-12);
        assertEquals(1 / (1 + Math.exp(2)), p.spatial()[1][1], 1e-12);
        assertEquals(1 / (1 + Math.exp(-1)), p.contacting()[1][0], 1e-12);
    }
}
