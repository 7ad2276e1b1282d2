package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Post-norm transformer encoder layer as in STTran's spatial encoder: self-attention, residual, LayerNorm
 * ({@code norm1}), ReLU feed-forward, residual, LayerNorm ({@code norm2}); dropout after attention, inside the
 * feed-forward and after it. Parameter names follow {@code <prefix>.self_attn / linear1 / linear2 / norm1 / norm2}.
 */
public final class TransformerEncoderLayer {

    private final MultiHeadAttention attn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout;
    private final Dropout dropout1;
    private final Dropout dropout2;
    private final NnScope scope;

    public TransformerEncoderLayer(NnScope scope, String prefix, int dim, int heads, int ffn, double dropout) {
        this.scope = scope;
        this.attn = new MultiHeadAttention(scope, prefix + ".self_attn", dim, heads, dropout);
        this.linear1 = new Linear(scope, prefix + ".linear1", dim, ffn);
        this.linear2 = new Linear(scope, prefix + ".linear2", ffn, dim);
        this.norm1 = new LayerNorm(scope, prefix + ".norm1", dim);
        this.norm2 = new LayerNorm(scope, prefix + ".norm2", dim);
        this.dropout = new Dropout(scope, dropout);
        this.dropout1 = new Dropout(scope, dropout);
        this.dropout2 = new Dropout(scope, dropout);
    }

    /** {@code x [L, D]}, {@code mask [L, L]} additive. */
    public SDVariable apply(SDVariable x, SDVariable mask) {
        return apply(x, x, x, x, mask);
    }

    /**
     * The layer with the attention's queries, keys and values given apart from the residual input {@code x}
     * (STKET's knowledge projections); {@link #apply(SDVariable, SDVariable)} passes {@code x} for all three.
     */
    public SDVariable apply(SDVariable x, SDVariable query, SDVariable key, SDVariable value, SDVariable mask) {
        return finish(x, attn.apply(query, key, value, mask));
    }

    /**
     * The layer on {@code B} sequences of equal length stacked as rows ({@code x [B·L, D]}, {@code mask [B, L, L]},
     * {@code groups} a LONG [1] variable holding B; {@link MultiHeadAttention#applyGrouped}).
     */
    public SDVariable applyGrouped(SDVariable x, SDVariable query, SDVariable key, SDVariable value, SDVariable mask,
            SDVariable groups) {
        return finish(x, attn.applyGrouped(query, key, value, mask, groups)[0]);
    }

    private SDVariable finish(SDVariable x, SDVariable attended) {
        SDVariable h = norm1.apply(x.add(dropout1.apply(attended)));
        SDVariable f = linear2.apply(dropout.apply(scope.sd().nn().relu(linear1.apply(h), 0)));
        return norm2.apply(h.add(dropout2.apply(f)));
    }
}
