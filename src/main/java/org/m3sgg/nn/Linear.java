package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * {@code y = x W^T + b} with {@code W [out, in]} kept in PyTorch's layout, so checkpoints load without a
 * transpose; the product uses the transposed-operand flag of matmul instead. Initialised like
 * {@code torch.nn.Linear}: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
 */
public final class Linear {

    private final NnScope scope;
    private final SDVariable weight;
    private final SDVariable bias;
    public final int in;
    public final int out;

    public Linear(NnScope scope, String name, int in, int out) {
        this.scope = scope;
        this.in = in;
        this.out = out;
        double bound = 1.0 / Math.sqrt(in);
        this.weight = scope.param(name + ".weight", scope.uniform(-bound, bound, out, in));
        this.bias = scope.param(name + ".bias", scope.uniform(-bound, bound, out));
    }

    /** {@code [M, in] -> [M, out]}. */
    public SDVariable apply(SDVariable x) {
        return scope.sd().mmul(x, weight, false, true, false).add(bias);
    }

    public SDVariable weight() {
        return weight;
    }
}
