package org.m3sgg.models.stket;

import org.m3sgg.nn.Linear;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.TransformerDecoderLayer;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * STKET's temporal / ensemble decoder layer: STTran's decoder layer ({@link TransformerDecoderLayer}:
 * self-attention, residual, LayerNorm {@code norm3}, feed-forward, residual, no second norm) with the knowledge
 * projections {@code q = W_q(x + prior) + pos}, {@code k = W_k(x + prior) + pos}, {@code v = W_v(x)}; the
 * position / frame code goes to queries and keys after the projection, as in the reference. The attention's keys
 * are {@code <prefix>.self_attn}.
 */
public final class PriorDecoderLayer {

    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final TransformerDecoderLayer layer;

    public PriorDecoderLayer(NnScope scope, String prefix, int dim, int heads, int ffn, double dropout) {
        this.wq = new Linear(scope, prefix + ".W_q", dim, dim);
        this.wk = new Linear(scope, prefix + ".W_k", dim, dim);
        this.wv = new Linear(scope, prefix + ".W_v", dim, dim);
        this.layer = new TransformerDecoderLayer(scope, prefix, "self_attn", dim, heads, ffn, dropout);
    }

    /**
     * {@code x [L, D]}, {@code prior [L, D]} or null, {@code pos [L, D]} position code on queries and keys,
     * {@code mask [L, L]} additive.
     */
    public SDVariable apply(SDVariable x, SDVariable prior, SDVariable pos, SDVariable mask) {
        SDVariable xp = prior == null ? x : x.add(prior);
        return layer.apply(x, wq.apply(xp).add(pos), wk.apply(xp).add(pos), wv.apply(x), mask);
    }
}
