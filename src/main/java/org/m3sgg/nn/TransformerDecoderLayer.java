package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * STTran's temporal decoder layer: self-attention whose queries and keys carry a position/frame encoding and
 * whose values do not, residual, LayerNorm ({@code norm3}), ReLU feed-forward, residual, and no LayerNorm after
 * the feed-forward (the reference layer has none). Parameter names follow
 * {@code <prefix>.multihead2 / linear1 / linear2 / norm3}.
 */
public final class TransformerDecoderLayer {

    private final MultiHeadAttention attn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm3;
    private final Dropout dropout;
    private final Dropout dropout2;
    private final Dropout dropout3;
    private final NnScope scope;

    public TransformerDecoderLayer(NnScope scope, String prefix, int dim, int heads, int ffn, double dropout) {
        this(scope, prefix, "multihead2", dim, heads, ffn, dropout);
    }

    /** The layer with its attention under {@code <prefix>.<attention>} (STKET's layers call it {@code self_attn}). */
    public TransformerDecoderLayer(NnScope scope, String prefix, String attention, int dim, int heads, int ffn,
            double dropout) {
        this.scope = scope;
        this.attn = new MultiHeadAttention(scope, prefix + "." + attention, dim, heads, dropout);
        this.linear1 = new Linear(scope, prefix + ".linear1", dim, ffn);
        this.linear2 = new Linear(scope, prefix + ".linear2", ffn, dim);
        this.norm3 = new LayerNorm(scope, prefix + ".norm3", dim);
        this.dropout = new Dropout(scope, dropout);
        this.dropout2 = new Dropout(scope, dropout);
        this.dropout3 = new Dropout(scope, dropout);
    }

    /** {@code x [L, D]}, {@code pos [L, D]} added to queries and keys only, {@code mask [L, L]} additive. */
    public SDVariable apply(SDVariable x, SDVariable pos, SDVariable mask) {
        SDVariable qk = x.add(pos);
        return apply(x, qk, qk, x, mask);
    }

    /**
     * The layer with the attention's queries, keys and values given apart from the residual input {@code x}
     * (STKET's knowledge projections).
     */
    public SDVariable apply(SDVariable x, SDVariable query, SDVariable key, SDVariable value, SDVariable mask) {
        SDVariable h = norm3.apply(x.add(dropout2.apply(attn.apply(query, key, value, mask))));
        SDVariable f = linear2.apply(dropout.apply(scope.sd().nn().relu(linear1.apply(h), 0)));
        return h.add(dropout3.apply(f));
    }
}
