package org.m3sgg.models.stket;

import org.m3sgg.nn.Linear;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.TransformerEncoderLayer;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * STKET's spatial encoder layer: STTran's post-norm encoder layer ({@link TransformerEncoderLayer}) with three
 * extra projections in front of the attention, {@code q = W_q(x + prior)}, {@code k = W_k(x + prior)},
 * {@code v = W_v(x)}: the knowledge embedding steers who attends to whom, the values stay visual. Parameter names
 * follow the reference ({@code <prefix>.W_q / W_k / W_v / self_attn / linear1 / linear2 / norm1 / norm2}).
 */
public final class PriorEncoderLayer {

    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final TransformerEncoderLayer layer;

    public PriorEncoderLayer(NnScope scope, String prefix, int dim, int heads, int ffn, double dropout) {
        this.wq = new Linear(scope, prefix + ".W_q", dim, dim);
        this.wk = new Linear(scope, prefix + ".W_k", dim, dim);
        this.wv = new Linear(scope, prefix + ".W_v", dim, dim);
        this.layer = new TransformerEncoderLayer(scope, prefix, dim, heads, ffn, dropout);
    }

    /** {@code x [L, D]}, {@code prior [L, D]} or null (no knowledge), {@code mask [L, L]} additive. */
    public SDVariable apply(SDVariable x, SDVariable prior, SDVariable mask) {
        SDVariable xp = prior == null ? x : x.add(prior);
        return layer.apply(x, wq.apply(xp), wk.apply(xp), wv.apply(x), mask);
    }
}
