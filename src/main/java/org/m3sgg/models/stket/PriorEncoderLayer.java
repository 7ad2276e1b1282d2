package org.m3sgg.models.stket;

import org.m3sgg.nn.Dropout;
import org.m3sgg.nn.LayerNorm;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.MultiHeadAttention;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * STKET's spatial encoder layer: STTran's post-norm encoder layer with three extra projections in front of the
 * attention, {@code q = W_q(x + prior)}, {@code k = W_k(x + prior)}, {@code v = W_v(x)}: the knowledge embedding
 * steers who attends to whom, the values stay visual. Parameter names follow the reference
 * ({@code <prefix>.W_q / W_k / W_v / self_attn / linear1 / linear2 / norm1 / norm2}).
 */
public final class PriorEncoderLayer {

    private final NnScope scope;
    private final Linear wq;
    private final Linear wk;
    private final Linear wv;
    private final MultiHeadAttention attn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final Dropout dropout;
    private final Dropout dropout1;
    private final Dropout dropout2;

    public PriorEncoderLayer(NnScope scope, String prefix, int dim, int heads, int ffn, double dropout) {
        this.scope = scope;
        this.wq = new Linear(scope, prefix + ".W_q", dim, dim);
        this.wk = new Linear(scope, prefix + ".W_k", dim, dim);
        this.wv = new Linear(scope, prefix + ".W_v", dim, dim);
        this.attn = new MultiHeadAttention(scope, prefix + ".self_attn", dim, heads, dropout);
        this.linear1 = new Linear(scope, prefix + ".linear1", dim, ffn);
        this.linear2 = new Linear(scope, prefix + ".linear2", ffn, dim);
        this.norm1 = new LayerNorm(scope, prefix + ".norm1", dim);
        this.norm2 = new LayerNorm(scope, prefix + ".norm2", dim);
        this.dropout = new Dropout(scope, dropout);
        this.dropout1 = new Dropout(scope, dropout);
        this.dropout2 = new Dropout(scope, dropout);
    }

    /** {@code x [L, D]}, {@code prior [L, D]} or null (no knowledge), {@code mask [L, L]} additive. */
    public SDVariable apply(SDVariable x, SDVariable prior, SDVariable mask) {
        SDVariable xp = prior == null ? x : x.add(prior);
        SDVariable a = attn.apply(wq.apply(xp), wk.apply(xp), wv.apply(x), mask);
        SDVariable h = norm1.apply(x.add(dropout1.apply(a)));
        SDVariable f = linear2.apply(dropout.apply(scope.sd().nn().relu(linear1.apply(h), 0)));
        return norm2.apply(h.add(dropout2.apply(f)));
    }
}
