package org.m3sgg.models.stket;

import org.m3sgg.nn.Dropout;
import org.m3sgg.nn.LayerNorm;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.MultiHeadAttention;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * STKET's temporal / ensemble decoder layer: STTran's decoder layer (self-attention, residual, LayerNorm
 * {@code norm3}, feed-forward, residual, no second norm) with the knowledge projections
 * {@code q = W_q(x + prior) + pos}, {@code k = W_k(x + prior) + pos}, {@code v = W_v(x)}; the position / frame
 * code goes to queries and keys after the projection, as in the reference.
 */
public final class PriorDecoderLayer {

    private final NnScope scope;
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final MultiHeadAttention attn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm3;
    private final Dropout dropout;
    private final Dropout dropout2;
    private final Dropout dropout3;

    public PriorDecoderLayer(NnScope scope, String prefix, int dim, int heads, int ffn, double dropout) {
        this.scope = scope;
        this.wq = new Linear(scope, prefix + ".W_q", dim, dim);
        this.wk = new Linear(scope, prefix + ".W_k", dim, dim);
        this.wv = new Linear(scope, prefix + ".W_v", dim, dim);
        this.attn = new MultiHeadAttention(scope, prefix + ".self_attn", dim, heads, dropout);
        this.linear1 = new Linear(scope, prefix + ".linear1", dim, ffn);
        this.linear2 = new Linear(scope, prefix + ".linear2", ffn, dim);
        this.norm3 = new LayerNorm(scope, prefix + ".norm3", dim);
        this.dropout = new Dropout(scope, dropout);
        this.dropout2 = new Dropout(scope, dropout);
        this.dropout3 = new Dropout(scope, dropout);
    }

    /**
     * {@code x [L, D]}, {@code prior [L, D]} or null, {@code pos [L, D]} position code on queries and keys,
     * {@code mask [L, L]} additive.
     */
    public SDVariable apply(SDVariable x, SDVariable prior, SDVariable pos, SDVariable mask) {
        SDVariable xp = prior == null ? x : x.add(prior);
        SDVariable q = wq.apply(xp).add(pos);
        SDVariable k = wk.apply(xp).add(pos);
        SDVariable h = norm3.apply(x.add(dropout2.apply(attn.apply(q, k, wv.apply(x), mask))));
        SDVariable f = linear2.apply(dropout.apply(scope.sd().nn().relu(linear1.apply(h), 0)));
        return h.add(dropout3.apply(f));
    }
}
