package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.random.custom.DistributionUniform;

/**
 * Inverted dropout as a multiplied mask, because SameDiff's dropout ops have no gradient. The mask is
 * {@code 1 + flag * (keep_indicator / (1 - p) - 1)}: exactly 1 in evaluation, the usual scaled Bernoulli mask in
 * training. Randomness comes from ND4J's global generator (seed it with {@code Nd4j.getRandom().setSeed}).
 */
public final class Dropout {

    private final NnScope scope;
    private final double p;

    public Dropout(NnScope scope, double p) {
        if (p < 0 || p >= 1) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1): " + p);
        }
        this.scope = scope;
        this.p = p;
    }

    public SDVariable apply(SDVariable x) {
        if (p == 0) {
            return x;
        }
        var sd = scope.sd();
        SDVariable u = new DistributionUniform(sd, sd.shape(x), 0.0, 1.0, scope.dtype()).outputVariable();
        SDVariable keep = sd.castTo(sd.gte(u, p), scope.dtype()).div(1 - p);
        SDVariable mask = keep.sub(1.0).mul(scope.trainFlag()).add(1.0);
        return x.mul(mask);
    }
}
