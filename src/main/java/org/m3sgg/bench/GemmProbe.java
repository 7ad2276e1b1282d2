package org.m3sgg.bench;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.models.sttran.SttranConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What plain {@code Nd4j.gemm} reaches on this machine for the products STTran's forward pass is made of: each
 * shape is timed alone (float32, activations {@code [M, K]} C-order times a PyTorch-layout weight {@code [N, K]}
 * transposed, result F-order, the layout BLAS writes without a copy), and the shapes are combined weighted by how
 * often one forward pass uses them, giving the GFLOP/s the model's own product mix would run at if every product
 * were a bare BLAS call. That is the ceiling a graph engine can approach on this machine and load.
 */
public final class GemmProbe {

    /** One product shape {@code [m, k] x [k, n]} used {@code count} times per forward pass. */
    public record Shape(String name, int m, int k, int n, int count) {
        public double flops() {
            return 2.0 * m * k * n;
        }
    }

    /** Median seconds and GFLOP/s of one shape. */
    public record Measured(Shape shape, double seconds, double gflops) {}

    /** Per-shape figures and the count-weighted figure {@code sum(count * flops) / sum(count * seconds)}. */
    public record Result(List<Measured> shapes, double weightedGflops) {}

    private GemmProbe() {}

    /** The forward pass's dense products at this config and batch (convolutions as their im2col products). */
    public static List<Shape> shapes(SttranConfig c, BenchShape s) {
        int p = s.pairs();
        int r = s.windowRows();
        int d = c.dModel();
        List<Shape> out = new ArrayList<>();
        out.add(new Shape("subject/object fc", p, c.feature(), c.pairFc(), 2));
        out.add(new Shape("union 1x1 conv", p * 49, c.unionIn(), c.unionOut(), 1));
        out.add(new Shape("mask conv 3x3", p * 49, c.unionOut() / 2 * 9, c.unionOut(), 1));
        out.add(new Shape("union fc", p, c.unionOut() * 49, c.pairFc(), 1));
        out.add(new Shape("encoder D x D", p, d, d, 4 * c.encLayers()));
        out.add(new Shape("encoder D x FFN", p, d, c.ffn(), 2 * c.encLayers()));
        if (c.temporalDecoder() && c.decLayers() > 0) {
            out.add(new Shape("decoder D x D", r, d, d, 4 * c.decLayers()));
            out.add(new Shape("decoder D x FFN", r, d, c.ffn(), 2 * c.decLayers()));
        }
        return out;
    }

    public static Result run(List<Shape> shapes, int warmup, int repeats) {
        List<Measured> measured = new ArrayList<>();
        double flops = 0;
        double seconds = 0;
        for (Shape sh : shapes) {
            INDArray a = Nd4j.rand(DataType.FLOAT, sh.m(), sh.k());
            INDArray w = Nd4j.rand(DataType.FLOAT, sh.n(), sh.k());
            INDArray c = Nd4j.createUninitialized(DataType.FLOAT, new long[] {sh.m(), sh.n()}, 'f');
            double[] t = new double[repeats];
            for (int i = 0; i < warmup + repeats; i++) {
                long t0 = System.nanoTime();
                Nd4j.gemm(a, w, c, false, true, 1.0, 0.0);
                if (i >= warmup) {
                    t[i - warmup] = (System.nanoTime() - t0) / 1e9;
                }
            }
            double sec = Stats.median(t);
            measured.add(new Measured(sh, sec, sh.flops() / sec / 1e9));
            flops += sh.count() * sh.flops();
            seconds += sh.count() * sec;
        }
        return new Result(measured, flops / seconds / 1e9);
    }
}
