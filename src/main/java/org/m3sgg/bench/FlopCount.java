package org.m3sgg.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.models.sttran.SttranConfig;

/**
 * Analytic floating-point operation counts of one STTran forward pass, from the config and the batch sizes. A
 * multiply-add counts 2. Only matrix products and convolutions are counted (element-wise ops, softmax, norms and
 * losses are O(P * D) and below 1% at paper widths).
 *
 * <p>Two groups are kept apart:
 * <ul>
 *   <li><b>model</b>: the products the network itself needs: the subject/object/union projections, the union
 *       1x1 conv and the spatial-mask convs, every transformer layer (Q, K, V, output projections
 *       {@code 4 * 2 L D^2}, scores and context {@code 2 * 2 L^2 D} over the dense masked {@code [L, L]} attention,
 *       feed-forward {@code 2 * 2 L D F}) with L = P in the spatial encoder and L = R in the temporal decoder, the
 *       three heads, and in SGCLS the object classifier. Achieved GFLOP/s are computed from these.</li>
 *   <li><b>selection</b>: products with host-built one-hot matrices that stand in for gathers (pair-to-box rows,
 *       class embeddings, window rows, window output, frame code) and the diagonal-matrix products that apply the
 *       mask stack's batch-norm scales: work the implementation does but a gather or an element-wise product
 *       would not; reported so their share is visible, never credited as useful work.</li>
 * </ul>
 *
 * <p>A training step is counted as 3x the model forward: the backward pass of a product {@code Y = X W} is two
 * products of the same size ({@code dX = dY W^T}, {@code dW = X^T dY}). This slightly over-counts (the first
 * layers need no input gradient), so achieved training figures are, if anything, generous by a few percent.
 *
 * @param terms     model FLOPs per named part of one forward pass
 * @param selection one-hot selection and diagonal-scaling FLOPs of one forward pass
 */
public record FlopCount(Map<String, Double> terms, double selection) {

    public FlopCount {
        terms = Collections.unmodifiableMap(new LinkedHashMap<>(terms));
    }

    /** Model FLOPs of one forward pass. */
    public double forward() {
        return terms.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Model FLOPs of one training step (3x forward, see the class comment). */
    public double trainingStep() {
        return 3 * forward();
    }

    /** Spatial side of the mask convolution stack: 27 -> conv 7x7/2 pad 3 -> 14 -> max-pool 3/2 pad 1 -> 7. */
    static final int MASK_IN = 27;
    static final int MASK_CONV0 = (MASK_IN + 2 * 3 - 7) / 2 + 1;
    static final int MASK_POOL = (MASK_CONV0 + 2 * 1 - 3) / 2 + 1;

    public static FlopCount of(SttranConfig c, BenchShape s, boolean sgcls) {
        double p = s.pairs();
        double n = s.boxes();
        double r = s.windowRows();
        double d = c.dModel();
        Map<String, Double> t = new LinkedHashMap<>();
        t.put("subject/object fc", 2 * 2 * p * c.feature() * c.pairFc());
        t.put("union 1x1 conv", 2 * p * 49 * (double) c.unionIn() * c.unionOut());
        double half = c.unionOut() / 2.0;
        t.put("mask conv 7x7", 2 * p * MASK_CONV0 * MASK_CONV0 * half * 2 * 49);
        t.put("mask conv 3x3", 2 * p * MASK_POOL * MASK_POOL * c.unionOut() * half * 9);
        t.put("union fc", 2 * p * (c.unionOut() * 49.0) * c.pairFc());
        t.put("spatial encoder", c.encLayers() * layer(p, d, c.ffn()));
        if (c.temporalDecoder()) {
            t.put("temporal decoder", c.decLayers() * layer(r, d, c.ffn()));
        }
        t.put("heads", 2 * p * d * (c.attentionClasses() + c.spatialClasses() + c.contactingClasses()));
        double sel = 2 * 2 * p * n * c.feature()                          // subject/object rows of the features
                + 2 * 2 * p * c.objectClasses() * c.embedding()            // class embeddings
                + 2 * half * half * p * MASK_CONV0 * MASK_CONV0            // batch-norm scales of the mask stack
                + 2 * (double) c.unionOut() * c.unionOut() * p * MASK_POOL * MASK_POOL;
        if (c.temporalDecoder()) {
            sel += 2 * r * p * d + 2 * p * r * d + 2 * r * 2 * d;         // window rows, window output, frame code
        }
        if (sgcls) {
            double in = c.feature() + c.embedding() + c.posEmbed();
            t.put("object classifier", 2 * n * (4.0 * c.posEmbed() + in * c.classifierHidden()
                    + (double) c.classifierHidden() * c.objectClasses()));
            sel += 2 * n * (c.objectClasses() - 1.0) * c.embedding();
        }
        return new FlopCount(t, sel);
    }

    /** One post-norm transformer layer on L rows: 4 projections, scores + context, feed-forward. */
    static double layer(double l, double d, double ffn) {
        return 4 * 2 * l * d * d + 2 * 2 * l * l * d + 2 * 2 * l * d * ffn;
    }
}
