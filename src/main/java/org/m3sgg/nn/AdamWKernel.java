package org.m3sgg.nn;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link AdamW}'s element loops over off-heap buffers: work is cut into ranges of {@link #TASK} elements run in
 * parallel (the common fork-join pool plus the caller), each range copied through per-thread scratch arrays of
 * {@link #CHUNK} elements so the loops are plain array loops the JIT vectorises.
 */
final class AdamWKernel {

    private static final int CHUNK = 1 << 14;
    private static final int TASK = 1 << 18;

    private AdamWKernel() {}

    /** Whether {@code a} is the first {@code a.length()} elements of its buffer in C order (what the loops read). */
    static boolean flat(INDArray a) {
        return a.offset() == 0 && a.ordering() == 'c' && a.elementWiseStride() == 1
                && (a.dataType() == DataType.FLOAT || a.dataType() == DataType.DOUBLE);
    }

    private record Range(int array, long from, int length) {}

    private static List<Range> ranges(List<INDArray[]> work) {
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < work.size(); i++) {
            long n = work.get(i)[0].length();
            for (long from = 0; from < n; from += TASK) {
                out.add(new Range(i, from, (int) Math.min(TASK, n - from)));
            }
        }
        return out;
    }

    private static final class Scratch {
        final float[][] f = new float[4][CHUNK];
        final double[][] d = new double[4][CHUNK];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Sum of the squares of every gradient ({@code work[i][0]}), in double, in a fixed order. */
    static double sumOfSquares(List<INDArray[]> work) {
        List<Range> ranges = ranges(work);
        double[] partial = new double[ranges.size()];
        IntStream.range(0, ranges.size()).parallel().forEach(k -> {
            Range r = ranges.get(k);
            INDArray g = work.get(r.array())[0];
            Scratch s = SCRATCH.get();
            double sum = 0;
            for (int off = 0; off < r.length(); off += CHUNK) {
                int n = Math.min(CHUNK, r.length() - off);
                int at = Math.toIntExact(r.from() + off);
                if (g.dataType() == DataType.FLOAT) {
                    g.data().asNioFloat().get(at, s.f[0], 0, n);
                    for (int i = 0; i < n; i++) {
                        double x = s.f[0][i];
                        sum += x * x;
                    }
                } else {
                    g.data().asNioDouble().get(at, s.d[0], 0, n);
                    for (int i = 0; i < n; i++) {
                        sum += s.d[0][i] * s.d[0][i];
                    }
                }
            }
            partial[k] = sum;
        });
        double total = 0;
        for (double x : partial) {
            total += x;
        }
        return total;
    }

    /** One AdamW step on every {@code {gradient, m, v, parameter}} of {@code work}; gradients scaled by {@code scale}. */
    static void update(List<INDArray[]> work, double scale, double lr, double beta1, double beta2, double eps,
            double weightDecay, long t) {
        double stepSize = lr / (1 - Math.pow(beta1, t));
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        double decay = 1 - lr * weightDecay;
        List<Range> ranges = ranges(work);
        IntStream.range(0, ranges.size()).parallel().forEach(k -> {
            Range r = ranges.get(k);
            INDArray[] a = work.get(r.array());
            Scratch s = SCRATCH.get();
            for (int off = 0; off < r.length(); off += CHUNK) {
                int n = Math.min(CHUNK, r.length() - off);
                int at = Math.toIntExact(r.from() + off);
                if (a[0].dataType() == DataType.FLOAT) {
                    FloatBuffer[] b = {a[0].data().asNioFloat(), a[1].data().asNioFloat(), a[2].data().asNioFloat(),
                            a[3].data().asNioFloat()};
                    for (int j = 0; j < 4; j++) {
                        b[j].get(at, s.f[j], 0, n);
                    }
                    floats(s.f, n, (float) scale, (float) beta1, (float) beta2, (float) eps, (float) stepSize,
                            (float) bc2Sqrt, (float) decay);
                    for (int j = 1; j < 4; j++) {
                        b[j].put(at, s.f[j], 0, n);
                    }
                } else {
                    DoubleBuffer[] b = {a[0].data().asNioDouble(), a[1].data().asNioDouble(),
                            a[2].data().asNioDouble(), a[3].data().asNioDouble()};
                    for (int j = 0; j < 4; j++) {
                        b[j].get(at, s.d[j], 0, n);
                    }
                    doubles(s.d, n, scale, beta1, beta2, eps, stepSize, bc2Sqrt, decay);
                    for (int j = 1; j < 4; j++) {
                        b[j].put(at, s.d[j], 0, n);
                    }
                }
            }
        });
    }

    private static void floats(float[][] x, int n, float scale, float b1, float b2, float eps, float stepSize,
            float bc2Sqrt, float decay) {
        float[] g = x[0];
        float[] m = x[1];
        float[] v = x[2];
        float[] p = x[3];
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        for (int i = 0; i < n; i++) {
            float gi = g[i] * scale;
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * decay - stepSize * mi / ((float) Math.sqrt(vi) / bc2Sqrt + eps);
        }
    }

    private static void doubles(double[][] x, int n, double scale, double b1, double b2, double eps, double stepSize,
            double bc2Sqrt, double decay) {
        double[] g = x[0];
        double[] m = x[1];
        double[] v = x[2];
        double[] p = x[3];
        double c1 = 1 - b1;
        double c2 = 1 - b2;
        for (int i = 0; i < n; i++) {
            double gi = g[i] * scale;
            double mi = b1 * m[i] + c1 * gi;
            double vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = p[i] * decay - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps);
        }
    }
}
