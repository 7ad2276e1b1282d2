package org.m3sgg.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed sinusoidal position encoding of "Attention is all you need" (PyTorch tutorial layout, as DSG-DETR
 * uses it): {@code pe[pos, 2i] = sin(pos * w_i)}, {@code pe[pos, 2i + 1] = cos(pos * w_i)},
 * {@code w_i = exp(-2i * ln(10000) / d)}. It has no parameters, so it is built on the host, one row per sequence
 * element, and enters the graph as a placeholder that is added to the inputs.
 */
public final class SinusoidalPositions {

    private SinusoidalPositions() {}

    /** Rows {@code [positions.length, d]}: the encoding of each position. {@code d} must be even. */
    public static INDArray rows(int[] positions, int d, DataType type) {
        if (d % 2 != 0) {
            throw new IllegalArgumentException("sinusoidal position encoding needs an even width, got " + d);
        }
        double[][] m = new double[positions.length][d];
        for (int r = 0; r < positions.length; r++) {
            for (int i = 0; i < d; i += 2) {
                double angle = positions[r] * Math.exp(i * (-Math.log(10000.0) / d));
                m[r][i] = Math.sin(angle);
                m[r][i + 1] = Math.cos(angle);
            }
        }
        return positions.length == 0 ? Nd4j.zeros(type, 0, d) : Nd4j.createFromArray(m).castTo(type);
    }
}
