package org.m3sgg.models.oed;

import org.m3sgg.nn.LayerNorm;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.MultiHeadAttention;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * DETR's post-norm decoder layer as OED uses it for both decoders: self-attention (queries and keys carry the
 * query position, values do not) then {@code norm1}; cross-attention (queries carry the query position, keys the
 * memory's position encoding, values the plain memory; padded memory cells masked) then {@code norm2}; ReLU FFN then
 * {@code norm3}. Keys {@code <prefix>.self_attn / multihead_attn / linear1 / linear2 / norm1..3}. Inference only
 * (no dropout).
 */
final class OedDecoderLayer {

    private final NnScope scope;
    private final MultiHeadAttention selfAttn;
    private final MultiHeadAttention crossAttn;
    private final Linear linear1;
    private final Linear linear2;
    private final LayerNorm norm1;
    private final LayerNorm norm2;
    private final LayerNorm norm3;

    OedDecoderLayer(NnScope scope, String prefix, int dim, int heads, int ffn) {
        this.scope = scope;
        this.selfAttn = new MultiHeadAttention(scope, prefix + ".self_attn", dim, heads, 0.0);
        this.crossAttn = new MultiHeadAttention(scope, prefix + ".multihead_attn", dim, heads, 0.0);
        this.linear1 = new Linear(scope, prefix + ".linear1", dim, ffn);
        this.linear2 = new Linear(scope, prefix + ".linear2", ffn, dim);
        this.norm1 = new LayerNorm(scope, prefix + ".norm1", dim);
        this.norm2 = new LayerNorm(scope, prefix + ".norm2", dim);
        this.norm3 = new LayerNorm(scope, prefix + ".norm3", dim);
    }

    /**
     * B frames at once: {@code tgt}, {@code queryPos} [B·Q, D], {@code memory}, {@code pos} [B·HW, D], masks
     * {@code [B, Q, Q]} and {@code [B, Q, HW]}, {@code frames} B (LONG [1]).
     *
     * @return {output [B·Q, D], cross-attention weights averaged over heads [B, Q, HW]}
     */
    SDVariable[] apply(SDVariable tgt, SDVariable queryPos, SDVariable selfMask, SDVariable memory, SDVariable pos,
            SDVariable crossMask, SDVariable frames) {
        SDVariable qk = tgt.add(queryPos);
        SDVariable t = norm1.apply(tgt.add(selfAttn.applyGrouped(qk, qk, tgt, selfMask, frames)[0]));
        SDVariable[] cross = crossAttn.applyGrouped(t.add(queryPos), memory.add(pos), memory, crossMask, frames);
        t = norm2.apply(t.add(cross[0]));
        SDVariable f = linear2.apply(scope.sd().nn().relu(linear1.apply(t), 0));
        return new SDVariable[] {norm3.apply(t.add(f)), cross[1]};
    }
}
