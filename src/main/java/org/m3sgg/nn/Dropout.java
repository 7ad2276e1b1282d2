package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout as a multiplied mask, because SameDiff's dropout ops have no gradient. The mask is
 * {@code 1 + flag * (keep_indicator / (1 - p) - 1)}: exactly 1 in evaluation, the usual scaled Bernoulli mask in
 * training.
 *
 * <p>The mask is a pure function of (the scope's step seed, the site, the element's position), not a draw from a
 * random op: SameDiff runs independent ops in an order that varies between graph instances, so masks drawn from
 * ND4J's global generator inside the graph differed from run to run for the same seed. Here each
 * {@link #apply} call gets its own site number at graph construction, the step seed is a scalar constant that
 * {@link NnScope#setTraining} redraws on the host from ND4J's generator (which the trainer reseeds before every
 * step), and the uniform value is a two-round sine hash of the position, computed in double precision. Same seed,
 * same masks, whatever the execution order; a resumed run draws what the uninterrupted run drew.
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
        SDVariable u = uniform(sd, sd.shape(x), scope.dropoutSeed(), scope.nextDropoutSite());
        SDVariable keep = sd.castTo(sd.gte(u, p), scope.dtype()).div(1 - p);
        SDVariable mask = keep.sub(1.0).mul(scope.trainFlag()).add(1.0);
        return x.mul(mask);
    }

    /**
     * U[0, 1) values of the given shape (double), a function of the scalar {@code seed} (double), the site and the
     * element's row-major position only.
     */
    static SDVariable uniform(SameDiff sd, SDVariable shape, SDVariable seed, int site) {
        SDVariable n = sd.castTo(sd.prod(shape, 0), DataType.DOUBLE);
        SDVariable idx = sd.reshape(sd.range(sd.constant(Nd4j.scalar(0.0)), n, sd.constant(Nd4j.scalar(1.0)),
                DataType.DOUBLE), shape);
        double siteOffset = 0.7548776662466927 * site % 1.0 * 6283.185307179586;
        SDVariable h1 = frac(sd, sd.math.sin(idx.mul(12.9898).add(seed.mul(78.233)).add(siteOffset))
                .mul(43758.5453123));
        SDVariable h2 = frac(sd, sd.math.sin(h1.mul(93.9898).add(idx.mul(0.0713)).add(seed.mul(47.853))
                .add(siteOffset * 0.5)).mul(24634.6345));
        return h2;
    }

    private static SDVariable frac(SameDiff sd, SDVariable v) {
        return v.sub(sd.math.floor(v));
    }
}
