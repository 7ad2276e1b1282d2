package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * Layer normalisation over the last dimension with PyTorch's eps (1e-5) and biased variance. Written with
 * elementary ops rather than SameDiff's fused layer_norm so the epsilon is explicit and the gradient is the
 * plain chain rule.
 */
public final class LayerNorm {

    private final NnScope scope;
    private final SDVariable gain;
    private final SDVariable bias;
    private final double eps;

    public LayerNorm(NnScope scope, String name, int dim) {
        this.scope = scope;
        this.eps = 1e-5;
        this.gain = scope.param(name + ".weight", scope.ones(dim));
        this.bias = scope.param(name + ".bias", scope.zeros(dim));
    }

    /** {@code [M, D] -> [M, D]}. */
    public SDVariable apply(SDVariable x) {
        var sd = scope.sd();
        SDVariable mean = sd.mean(x, true, 1);
        SDVariable centred = x.sub(mean);
        SDVariable var = sd.mean(centred.mul(centred), true, 1);
        return centred.mul(sd.math.rsqrt(var.add(eps))).mul(gain).add(bias);
    }
}
