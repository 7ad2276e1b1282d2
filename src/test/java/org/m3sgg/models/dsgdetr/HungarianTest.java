package org.m3sgg.models.dsgdetr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HungarianTest {

    @Test
    void knownSquareCase() {
        double[][] c = {{4, 1, 3}, {2, 0, 5}, {3, 2, 2}};
        // optimum 1 + 2 + 2 = 5: row 0 -> 1, row 1 -> 0, row 2 -> 2
        assertArrayEquals(new int[] {1, 0, 2}, Hungarian.assign(c));
    }

    @Test
    void matchesBruteForceOnRandomRectangularMatrices() {
        Random r = new Random(5);
        for (int trial = 0; trial < 300; trial++) {
            int rows = 1 + r.nextInt(5);
            int cols = 1 + r.nextInt(5);
            double[][] c = new double[rows][cols];
            for (double[] row : c) {
                for (int j = 0; j < cols; j++) {
                    row[j] = r.nextInt(3) == 0 ? r.nextInt(4) : r.nextGaussian() * 3;
                }
            }
            int[] a = Hungarian.assign(c);
            assertEquals(rows, a.length);
            boolean[] used = new boolean[cols];
            int assigned = 0;
            double sum = 0;
            for (int i = 0; i < rows; i++) {
                if (a[i] >= 0) {
                    assertEquals(false, used[a[i]], "column used twice");
                    used[a[i]] = true;
                    assigned++;
                    sum += c[i][a[i]];
                }
            }
            assertEquals(Math.min(rows, cols), assigned);
            assertEquals(best(c, 0, new boolean[cols], Math.min(rows, cols)), sum, 1e-9, "trial " + trial);
        }
    }

    /** Minimal cost over all ways to pick min(rows, cols) disjoint cells, one per row or column. */
    private static double best(double[][] c, int row, boolean[] used, int need) {
        if (need == 0) {
            return 0;
        }
        if (c.length - row < need) {
            return Double.POSITIVE_INFINITY;
        }
        double b = best(c, row + 1, used, need);        // leave this row out (only when rows > cols)
        for (int j = 0; j < used.length; j++) {
            if (!used[j]) {
                used[j] = true;
                b = Math.min(b, c[row][j] + best(c, row + 1, used, need - 1));
                used[j] = false;
            }
        }
        return b;
    }

    @Test
    void emptyAndInvalidInputs() {
        assertArrayEquals(new int[0], Hungarian.assign(new double[0][]));
        assertArrayEquals(new int[] {-1, -1}, Hungarian.assign(new double[2][0]));
        assertThrows(IllegalArgumentException.class, () -> Hungarian.assign(new double[][] {{1, Double.NaN}}));
    }
}
