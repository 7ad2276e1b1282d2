package org.m3sgg.models.oed;

import org.m3sgg.nn.LayerNorm;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.MultiHeadAttention;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One step of OED's Progressively Refined Module ({@code TemporalQueryEncoderLayer}, post-norm, no position
 * embeddings): self-attention over the key frame's queries then {@code norm2}; cross-attention from them to the
 * selected reference queries then {@code norm1}; ReLU FFN then {@code norm3}. Inference only.
 */
final class PrmLayer {

    private final NnScope scope;
    private final MultiHeadAttention selfAttn;
    private final MultiHeadAttention crossAttn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;

    PrmLayer(NnScope scope, String prefix, int dim, int heads, int ffn) {
        this.scope = scope;
        this.selfAttn = new MultiHeadAttention(scope, prefix + ".self_attn", dim, heads, 0.0);
        this.norm2 = new LayerNorm(scope, prefix + ".norm2", dim);
        this.crossAttn = new MultiHeadAttention(scope, prefix + ".cross_attn", dim, heads, 0.0);
        this.norm1 = new LayerNorm(scope, prefix + ".norm1", dim);
        this.linear1 = new Linear(scope, prefix + ".linear1", dim, ffn);
        this.linear2 = new Linear(scope, prefix + ".linear2", ffn, dim);
        this.norm3 = new LayerNorm(scope, prefix + ".norm3", dim);
    }

    /** {@code cur [Q, 2D]}, {@code refs [K, 2D]}; masks are additive zeros of [Q, Q] and [Q, K]. */
    SDVariable apply(SDVariable cur, SDVariable refs, SDVariable selfMask, SDVariable crossMask) {
        SDVariable t = norm2.apply(cur.add(selfAttn.apply(cur, cur, cur, selfMask)));
        t = norm1.apply(t.add(crossAttn.apply(t, refs, refs, crossMask)));
        SDVariable f = linear2.apply(scope.sd().nn().relu(linear1.apply(t), 0));
        return norm3.apply(t.add(f));
    }
}
