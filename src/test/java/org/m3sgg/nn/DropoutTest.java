package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropoutTest {

    private static final int ROWS = 200;
    private static final int COLS = 500;

    /** Two dropout sites on the same input; returns their outputs for one training step seeded with seed. */
    private static INDArray[] masks(long seed, boolean training) {
        SameDiff sd = SameDiff.create();
        NnScope scope = new NnScope(sd, DataType.FLOAT, 0);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, COLS);
        SDVariable a = sd.identity("a", new Dropout(scope, 0.3).apply(x));
        SDVariable b = sd.identity("b", new Dropout(scope, 0.3).apply(x));
        Nd4j.getRandom().setSeed(seed);
        scope.setTraining(training);
        Map<String, INDArray> out = sd.output(Map.of("x", Nd4j.ones(DataType.FLOAT, ROWS, COLS)), "a", "b");
        return new INDArray[] {out.get("a"), out.get("b")};
    }

    @Test
    void sameSeedSameMasksInFreshGraphs() {
        INDArray[] m1 = masks(7, true);
        INDArray[] m2 = masks(7, true);
        assertArrayEquals(m1[0].data().asFloat(), m2[0].data().asFloat(), 0f);
        assertArrayEquals(m1[1].data().asFloat(), m2[1].data().asFloat(), 0f);
        INDArray[] other = masks(8, true);
        assertFalse(Arrays.equals(m1[0].data().asFloat(), other[0].data().asFloat()), "a new step seed, new masks");
    }

    @Test
    void masksAreScaledBernoulliWithTheRightRateAndNoVisibleCorrelation() {
        INDArray[] m = masks(3, true);
        float[] a = m[0].data().asFloat();
        float[] b = m[1].data().asFloat();
        double keepA = 0;
        double keepB = 0;
        for (int i = 0; i < a.length; i++) {
            assertTrue(a[i] == 0f || Math.abs(a[i] - 1 / 0.7f) < 1e-6, "mask values are 0 or 1/(1-p)");
            keepA += a[i] != 0 ? 1 : 0;
            keepB += b[i] != 0 ? 1 : 0;
        }
        int n = a.length;
        assertEquals(0.7, keepA / n, 0.01);
        assertEquals(0.7, keepB / n, 0.01);
        // neighbours in a row, the same column in the next row, and the two sites: all close to independent
        assertEquals(0, correlation(a, 0, a, 1, n - 1), 0.02, "lag 1");
        assertEquals(0, correlation(a, 0, a, COLS, n - COLS), 0.02, "next row");
        assertEquals(0, correlation(a, 0, b, 0, n), 0.02, "two sites");
    }

    @Test
    void noTwoRowsOrColumnsShareAMask() {
        float[] a = masks(5, true)[0].data().asFloat();
        double worstRow = 0;
        double sumRow = 0;
        int pairs = 0;
        for (int i = 0; i < ROWS; i++) {
            for (int k = i + 1; k < ROWS; k++) {
                double r = Math.abs(correlation(a, i * COLS, a, k * COLS, COLS));
                worstRow = Math.max(worstRow, r);
                sumRow += r;
                pairs++;
            }
        }
        // independent rows of 500 draws: |r| averages ~0.036 and rarely passes 0.2
        assertTrue(sumRow / pairs < 0.05, "mean |r| between rows " + sumRow / pairs);
        assertTrue(worstRow < 0.3, "largest |r| between two rows " + worstRow);
        float[] col = new float[ROWS];
        float[] col2 = new float[ROWS];
        double worstCol = 0;
        for (int j = 0; j < COLS; j += 7) {
            for (int k = j + 1; k < COLS; k += 13) {
                for (int i = 0; i < ROWS; i++) {
                    col[i] = a[i * COLS + j];
                    col2[i] = a[i * COLS + k];
                }
                worstCol = Math.max(worstCol, Math.abs(correlation(col, 0, col2, 0, ROWS)));
            }
        }
        assertTrue(worstCol < 0.35, "largest |r| between two columns " + worstCol);
    }

    @Test
    void anyRankKeepsTheRate() {
        SameDiff sd = SameDiff.create();
        NnScope scope = new NnScope(sd, DataType.FLOAT, 0);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, -1, -1);
        sd.identity("y", new Dropout(scope, 0.1).apply(x));
        Nd4j.getRandom().setSeed(9);
        scope.setTraining(true);
        INDArray y = sd.output(Map.of("x", Nd4j.ones(DataType.FLOAT, 8, 60, 60)), "y").get("y");
        assertArrayEquals(new long[] {8, 60, 60}, y.shape());
        double kept = y.neq(0).castTo(DataType.DOUBLE).meanNumber().doubleValue();
        assertEquals(0.9, kept, 0.01);
    }

    @Test
    void evaluationIsTheIdentity() {
        INDArray[] m = masks(3, false);
        assertEquals(ROWS * COLS, m[0].sumNumber().doubleValue(), 0.0);
    }

    private static double correlation(float[] x, int ox, float[] y, int oy, int n) {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[ox + i] != 0 ? 1 : 0;
            my += y[oy + i] != 0 ? 1 : 0;
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = (x[ox + i] != 0 ? 1 : 0) - mx;
            double dy = (y[oy + i] != 0 ? 1 : 0) - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxy / Math.sqrt(sxx * syy);
    }
}
