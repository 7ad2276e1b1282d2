package org.m3sgg.models.dsgdetr;

import java.util.Arrays;

/**
 * Minimum-cost assignment on a rectangular cost matrix (the linear sum assignment problem that DSG-DETR's
 * tracker solves with SciPy's {@code linear_sum_assignment}): every row of the smaller side is matched to a
 * distinct column of the other so that the summed cost is minimal.
 *
 * <p>The shortest-augmenting-path Hungarian method with row/column potentials, O(n^2 m) for n <= m. No maintained
 * Maven Central library fits: JGraphT's Kuhn-Munkres needs a square (perfect) bipartite graph and pulls in a graph
 * library for one 60-line routine. Costs must be finite.
 */
public final class Hungarian {

    private Hungarian() {}

    /**
     * @param cost [rows][cols] finite costs
     * @return for each row the column assigned to it, or -1 when there are more rows than columns and the row is
     *         left out
     */
    public static int[] assign(double[][] cost) {
        int rows = cost.length;
        if (rows == 0) {
            return new int[0];
        }
        int cols = cost[0].length;
        for (double[] r : cost) {
            if (r.length != cols) {
                throw new IllegalArgumentException("ragged cost matrix");
            }
            for (double v : r) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("cost matrix has a non-finite entry " + v);
                }
            }
        }
        if (cols == 0) {
            int[] none = new int[rows];
            Arrays.fill(none, -1);
            return none;
        }
        if (rows <= cols) {
            return solve(cost, rows, cols);
        }
        // more rows than columns: solve the transpose, then invert the matching
        double[][] t = new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j][i] = cost[i][j];
            }
        }
        int[] colToRow = solve(t, cols, rows);
        int[] out = new int[rows];
        Arrays.fill(out, -1);
        for (int j = 0; j < cols; j++) {
            out[colToRow[j]] = j;
        }
        return out;
    }

    /** n <= m; returns the column of each row. Arrays are 1-based inside, index 0 is the virtual start. */
    private static int[] solve(double[][] a, int n, int m) {
        double[] u = new double[n + 1];
        double[] v = new double[m + 1];
        int[] p = new int[m + 1];      // p[j]: row matched to column j (0 = free)
        int[] way = new int[m + 1];
        for (int i = 1; i <= n; i++) {
            p[0] = i;
            int j0 = 0;
            double[] minv = new double[m + 1];
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[m + 1];
            do {
                used[j0] = true;
                int i0 = p[j0];
                double delta = Double.POSITIVE_INFINITY;
                int j1 = -1;
                for (int j = 1; j <= m; j++) {
                    if (!used[j]) {
                        double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
                        if (cur < minv[j]) {
                            minv[j] = cur;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= m; j++) {
                    if (used[j]) {
                        u[p[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (p[j0] != 0);
            do {
                int j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] rowToCol = new int[n];
        for (int j = 1; j <= m; j++) {
            if (p[j] != 0) {
                rowToCol[p[j] - 1] = j - 1;
            }
        }
        return rowToCol;
    }
}
