package org.m3sgg.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Host-built 0/1 matrices that replace gathers in the graph ({@code select [M, N] x rows [N, D]} picks rows
 * exactly: every output is one stored value plus zeros). Build them once per video.
 */
public final class Selection {

    private Selection() {}

    /** {@code [idx.length, n]} with a 1 at (i, idx[i]); a negative index leaves row i all zero. */
    public static INDArray rows(int[] idx, int n, DataType type) {
        double[][] m = new double[idx.length][n];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] >= n) {
                throw new IllegalArgumentException("index " + idx[i] + " out of range for " + n + " rows");
            }
            if (idx[i] >= 0) {
                m[i][idx[i]] = 1;
            }
        }
        return idx.length == 0 ? Nd4j.zeros(type, 0, n) : Nd4j.createFromArray(m).castTo(type);
    }

    /** Multi-hot {@code [rows, classes]}; a class listed twice counts twice (PyTorch's multi-label margin does). */
    public static INDArray multiHot(int[][] labels, int classes, DataType type) {
        double[][] m = new double[labels.length][classes];
        for (int i = 0; i < labels.length; i++) {
            for (int c : labels[i]) {
                if (c < 0 || c >= classes) {
                    throw new IllegalArgumentException("label " + c + " out of range [0, " + classes + ")");
                }
                m[i][c] += 1;
            }
        }
        return Nd4j.createFromArray(m).castTo(type);
    }
}
