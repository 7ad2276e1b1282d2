package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The fused in-place AdamW against PyTorch's AdamW written out in plain doubles. */
class AdamWTest {

    /** torch.optim.AdamW with global-norm clipping, element by element. */
    private static final class Reference {
        final double[][] p;
        final double[][] m;
        final double[][] v;
        int t;

        Reference(double[][] p) {
            this.p = new double[p.length][];
            this.m = new double[p.length][];
            this.v = new double[p.length][];
            for (int i = 0; i < p.length; i++) {
                this.p[i] = p[i].clone();
                m[i] = new double[p[i].length];
                v[i] = new double[p[i].length];
            }
        }

        void step(double[][] g, double lr, double b1, double b2, double eps, double wd, double clip) {
            t++;
            double sq = 0;
            for (double[] gi : g) {
                for (double x : gi) {
                    sq += x * x;
                }
            }
            double norm = Math.sqrt(sq);
            double scale = norm > clip ? clip / (norm + 1e-6) : 1;
            for (int i = 0; i < p.length; i++) {
                for (int j = 0; j < p[i].length; j++) {
                    double gj = g[i][j] * scale;
                    p[i][j] *= 1 - lr * wd;
                    m[i][j] = b1 * m[i][j] + (1 - b1) * gj;
                    v[i][j] = b2 * v[i][j] + (1 - b2) * gj * gj;
                    double denom = Math.sqrt(v[i][j]) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                    p[i][j] -= lr / (1 - Math.pow(b1, t)) * m[i][j] / denom;
                }
            }
        }
    }

    @Test
    void matchesTorchAdamWWithClippingOverSeveralSteps() {
        Random r = new Random(7);
        long[][] shapes = {{3, 4}, {5}};
        double[][] init = new double[2][];
        SameDiff sd = SameDiff.create();
        for (int i = 0; i < 2; i++) {
            int n = (int) (shapes[i].length == 2 ? shapes[i][0] * shapes[i][1] : shapes[i][0]);
            init[i] = r.doubles(n, -1, 1).toArray();
            sd.var("w" + i, Nd4j.createFromArray(init[i]).reshape(shapes[i]));
        }
        Reference ref = new Reference(init);
        AdamW opt = new AdamW(sd, List.of("w0", "w1"), 1e-2, 0.9, 0.999, 1e-8, 0.01, 1.0);
        for (int step = 0; step < 5; step++) {
            // every other step has a large gradient so that clipping is exercised; one step has tiny gradients
            // so that eps matters in the denominator
            double size = step % 2 == 0 ? 3.0 : step == 3 ? 1e-7 : 0.05;
            double[][] g = new double[2][];
            Map<String, INDArray> grads = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                g[i] = r.doubles(init[i].length, -size, size).toArray();
                grads.put("w" + i, Nd4j.createFromArray(g[i].clone()).reshape(shapes[i]));
            }
            opt.step(grads);
            ref.step(g, 1e-2, 0.9, 0.999, 1e-8, 0.01, 1.0);
            for (int i = 0; i < 2; i++) {
                double[] got = sd.getVariable("w" + i).getArr().dup().data().asDouble();
                for (int j = 0; j < got.length; j++) {
                    assertEquals(ref.p[i][j], got[j], 1e-12, "step " + step + " w" + i + "[" + j + "]");
                }
            }
        }
    }

    @Test
    void float32ParametersWithoutGradientAreLeftAlone() {
        SameDiff sd = SameDiff.create();
        sd.var("a", Nd4j.ones(DataType.FLOAT, 2, 2));
        sd.var("b", Nd4j.ones(DataType.FLOAT, 3));
        AdamW opt = AdamW.sttran(sd, List.of("a", "b"), 1e-3);
        opt.step(Map.of("a", Nd4j.ones(DataType.FLOAT, 2, 2)));
        assertEquals(3.0, sd.getVariable("b").getArr().sumNumber().doubleValue(), 0);
        // first step of Adam moves every coordinate by lr (m / sqrt(v) = 1) after the decay
        assertEquals(1 * (1 - 1e-3 * 1e-2) - 1e-3, sd.getVariable("a").getArr().getDouble(0, 0), 1e-6);
    }
}
