package org.m3sgg.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Multi-head scaled dot-product attention equivalent to {@code torch.nn.MultiheadAttention} (batch of one
 * sequence, no bias_k/v, no zero_attn), written by hand because SameDiff's built-in op only takes a per-key
 * mask. Masks here are additive {@code [L, L]} matrices (0 = may attend, a large negative value = may not),
 * which expresses per-frame, sliding-window and key-padding masks alike.
 *
 * <p>PyTorch stores the three input projections stacked as {@code in_proj_weight [3D, D]}; the graph keeps
 * them as three {@code [D, D]} variables ({@code <name>.q_weight} etc.) so queries/keys and values can come from
 * different inputs, and the binding splits the stacked tensor on import. Attention probabilities get dropout
 * in training, as in PyTorch.
 */
public final class MultiHeadAttention {

    private final NnScope scope;
    private final int dim;
    private final int heads;
    private final SDVariable[] w = new SDVariable[3];
    private final SDVariable[] b = new SDVariable[3];
    private final Linear outProj;
    private final Dropout attnDropout;

    public MultiHeadAttention(NnScope scope, String name, int dim, int heads, double dropout) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException("embedding width " + dim + " is not divisible by " + heads + " heads");
        }
        this.scope = scope;
        this.dim = dim;
        this.heads = heads;
        // xavier_uniform over the stacked [3D, D] matrix, biases 0 (PyTorch's _reset_parameters)
        double bound = Math.sqrt(6.0 / (dim + 3.0 * dim));
        INDArray stacked = scope.uniform(-bound, bound, 3L * dim, dim);
        String[] part = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            w[i] = scope.unboundParam(name + "." + part[i] + "_weight",
                    stacked.get(NDArrayIndex.interval((long) i * dim, (long) (i + 1) * dim), NDArrayIndex.all()).dup());
            b[i] = scope.unboundParam(name + "." + part[i] + "_bias", scope.zeros(dim));
        }
        String wKey = name + ".in_proj_weight";
        String bKey = name + ".in_proj_bias";
        scope.bindings().add(new TorchBindings.Binding(wKey, new long[] {3L * dim, dim}, a -> split(name, "weight", a)));
        scope.bindings().add(new TorchBindings.Binding(bKey, new long[] {3L * dim}, a -> split(name, "bias", a)));
        this.outProj = new Linear(scope, name + ".out_proj", dim, dim);
        // PyTorch initialises out_proj's bias to 0
        scope.sd().getVariable(name + ".out_proj.bias").getArr().assign(0);
        this.attnDropout = new Dropout(scope, dropout);
    }

    private Map<String, INDArray> split(String name, String kind, INDArray stacked) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        String[] part = {"q", "k", "v"};
        for (int i = 0; i < 3; i++) {
            var rows = NDArrayIndex.interval((long) i * dim, (long) (i + 1) * dim);
            out.put(name + "." + part[i] + "_" + kind,
                    (stacked.rank() == 2 ? stacked.get(rows, NDArrayIndex.all()) : stacked.get(rows)).dup());
        }
        return out;
    }

    /**
     * @param query [L, D] (queries)
     * @param key   [L, D] (keys)
     * @param value [L, D] (values)
     * @param mask  [L, L] additive mask, row = query, column = key
     * @return [L, D]
     */
    public SDVariable apply(SDVariable query, SDVariable key, SDVariable value, SDVariable mask) {
        return attend(query, key, value, mask, false, null)[0];
    }

    /**
     * {@link #apply} that also returns the attention probabilities averaged over heads ({@code [Lq, Lk]}, what
     * {@code torch.nn.MultiheadAttention} returns as its weights): {@code {output, weights}}.
     */
    public SDVariable[] applyWithWeights(SDVariable query, SDVariable key, SDVariable value, SDVariable mask) {
        return attend(query, key, value, mask, true, null);
    }

    /**
     * {@link #applyWithWeights} on {@code B} sequences of equal length stacked as rows, attending within each:
     * {@code query [B·Lq, D]}, {@code key} and {@code value [B·Lk, D]}, {@code mask [B, Lq, Lk]} additive;
     * {@code groups} a LONG {@code [1]} variable holding B. Returns {output [B·Lq, D], weights averaged over heads
     * [B, Lq, Lk]}: the same numbers as B separate calls, in one run of the graph (frames of a video at once).
     */
    public SDVariable[] applyGrouped(SDVariable query, SDVariable key, SDVariable value, SDVariable mask,
            SDVariable groups) {
        return attend(query, key, value, mask, true, groups);
    }

    /** {@code groups} null: one sequence ({@code [L, D]}, mask {@code [Lq, Lk]}); else B stacked sequences. */
    private SDVariable[] attend(SDVariable query, SDVariable key, SDVariable value, SDVariable mask, boolean weights,
            SDVariable groups) {
        var sd = scope.sd();
        int dh = dim / heads;
        SDVariable q = project(query, 0).mul(1.0 / Math.sqrt(dh));
        SDVariable k = project(key, 1);
        SDVariable v = project(value, 2);
        // one sequence: [L, D] -> [H, L, dh]; B sequences: [B·L, D] -> [B, H, L, dh] (each permutation its own
        // inverse); the mask gains the head axis by broadcasting
        boolean one = groups == null;
        int[] perm = one ? new int[] {1, 0, 2} : new int[] {0, 2, 1, 3};
        int headAxis = one ? 0 : 1;
        SDVariable shape = one ? null : sd.concat(0, groups, sd.constant(Nd4j.createFromArray(-1L, heads, dh)));
        java.util.function.UnaryOperator<SDVariable> split = x -> sd.permute(one ? sd.reshape(x, -1, heads, dh)
                : sd.reshape(x, shape), perm);
        SDVariable qh = split.apply(q);
        SDVariable kh = split.apply(k);
        SDVariable vh = split.apply(v);
        SDVariable scores = sd.mmul(qh, kh, false, true, false).add(one ? mask : sd.expandDims(mask, 1));
        SDVariable probs = attnDropout.apply(Softmax.of(sd, scores, perm.length - 1));
        SDVariable ctx = sd.mmul(probs, vh);                                          // [.., H, Lq, dh]
        SDVariable merged = sd.reshape(sd.permute(ctx, perm), -1, dim);               // [(B·)Lq, D]
        SDVariable out = outProj.apply(merged);
        return weights ? new SDVariable[] {out, sd.mean(probs, headAxis)} : new SDVariable[] {out};
    }

    private SDVariable project(SDVariable x, int i) {
        return scope.sd().mmul(x, w[i], false, true, false).add(b[i]);
    }
}
