package org.m3sgg.models.oed;

import java.util.Arrays;
import java.util.Comparator;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The host-side parts of OED's Progressively Refined Module: reference-query scores and top-k selection. */
public final class Prm {

    private Prm() {}

    /**
     * Score of each reference query from the spatial heads (the last layer): the product of max over classes
     * 0..C-2 of softmax(all object logits) (no-object dropped after the softmax), max over the first A-1 of
     * softmax(all attention logits) (background dropped after the softmax, unlike the post-processing), max of
     * sigmoid(spatial) and max of sigmoid(contacting).
     *
     * @param obj [Q, C] object logits; attn [Q, A]; spatial [Q, S]; contacting [Q, K]
     */
    public static double[] score(INDArray obj, INDArray attn, INDArray spatial, INDArray contacting) {
        int q = (int) obj.size(0);
        double[] s = new double[q];
        for (int i = 0; i < q; i++) {
            double[] o = softmax(obj.getRow(i).toDoubleVector());
            double[] a = softmax(attn.getRow(i).toDoubleVector());
            s[i] = max(o, o.length - 1) * max(a, a.length - 1) * sigmoidMax(spatial.getRow(i).toDoubleVector())
                    * sigmoidMax(contacting.getRow(i).toDoubleVector());
        }
        return s;
    }

    /**
     * Indices of the {@code k} largest scores, largest first ({@code torch.topk(sorted=True)}); equal scores keep
     * the lower index first.
     */
    public static int[] topk(double[] scores, int k) {
        if (k > scores.length) {
            throw new IllegalArgumentException("top-" + k + " of " + scores.length + " scores");
        }
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = order[i];
        }
        return out;
    }

    static double[] softmax(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double sum = 0;
        double[] e = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            e[i] = Math.exp(x[i] - m);
            sum += e[i];
        }
        for (int i = 0; i < x.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    static double max(double[] x, int n) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            m = Math.max(m, x[i]);
        }
        return m;
    }

    static double sigmoidMax(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        return 1.0 / (1.0 + Math.exp(-m));
    }
}
