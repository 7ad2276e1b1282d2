package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Inverted dropout as a multiplied mask, because SameDiff's dropout ops have no gradient. The mask is
 * {@code keep_indicator / (1 - p)} in training and exactly 1 in evaluation, where it is not computed at all.
 *
 * <p>The mask is a pure function of (the scope's step seed, the site, the element's position), not a draw from a
 * random op: SameDiff runs independent ops in an order that varies between graph instances, so masks drawn from
 * ND4J's global generator inside the graph differed from run to run for the same seed. Here each
 * {@link #apply} call gets its own site number at graph construction, the step seed is a scalar constant that
 * {@link NnScope#setTraining} redraws on the host from ND4J's generator (which the trainer reseeds before every
 * step), and the uniform value is a sine hash of the position, computed in double precision. Same seed,
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
        // The mask is computed only in training: a switch on the train flag routes the seed either into the mask
        // (training) or into a scalar 1 (evaluation), and a merge takes whichever ran. Ops on the branch not taken
        // do not run, so evaluation pays one multiplication by 1 per site instead of the mask's ~70 ops. The mask
        // is a function of constants only, so no gradient flows through the switch (SameDiff has none for it).
        SDVariable[] branch = sd.switchOp(scope.dropoutSeed(), sd.gt(scope.trainFlag(), 0.5)); // [eval, training]
        SDVariable u = uniform(sd, x, branch[1], scope.nextDropoutSite(), scope.dtype());
        SDVariable keep = sd.castTo(sd.gte(u, p), scope.dtype()).div(1 - p);
        SDVariable one = sd.castTo(sd.onesLike(branch[0]), scope.dtype());
        return x.mul(sd.merge(one, keep));
    }

    /**
     * U[0, 1) values shaped like {@code x} (in {@code type}), a function of the scalar {@code seed} (double), the
     * site and the element's position only. Viewing x as [rows, cols] (cols = its last dimension), row and column
     * codes are hashed from (position, seed, site) on short vectors and mixed per element, so the mask stays cheap
     * next to the layer it masks (it is computed in evaluation too, where the train flag then ignores it).
     */
    static SDVariable uniform(SameDiff sd, SDVariable x, SDVariable seed, int site, DataType type) {
        SDVariable shape = sd.shape(x);
        SDVariable cols = sd.castTo(sd.sizeAt(x, -1), DataType.DOUBLE);
        SDVariable rows = sd.castTo(sd.prod(shape, 0), DataType.DOUBLE).div(cols);
        double off = 0.7548776662466927 * site % 1.0 * 6283.185307179586;
        // two codes per row (a, c) and per column (b, d), each from its own seed multiple and offset
        SDVariable a = sd.castTo(sd.expandDims(codes(sd, rows, seed, off), 1), type);                   // [R, 1]
        SDVariable c = sd.castTo(sd.expandDims(codes(sd, rows, seed.mul(1.3247179572), off + 1), 1), type);
        SDVariable b = sd.castTo(sd.expandDims(codes(sd, cols, seed.mul(1.6180339887), off + 2), 0), type); // [1, C]
        SDVariable d = sd.castTo(sd.expandDims(codes(sd, cols, seed.mul(1.4655712319), off + 3), 0), type);
        // u = frac(a_i (K + 10^4 b_j) + c_i (L + 10^4 d_j)): the full-size part is four operations in the layer's
        // type and no transcendental. Two rows (or columns) move together only if both their codes nearly agree
        // (within ~1e-4); the float resolution of u is about 1e-3, fine for a threshold.
        SDVariable v = a.mul(b.mul(10000.0).add(7.3890561)).add(c.mul(d.mul(10000.0).add(3.1415927))); // [R, C]
        return sd.reshape(frac(sd, v), shape);
    }

    /** {@code n} pseudo-random codes in [0, 1): a sine hash of 0..n-1, the seed and an offset (double). */
    private static SDVariable codes(SameDiff sd, SDVariable n, SDVariable seed, double offset) {
        SDVariable idx = sd.range(sd.constant(Nd4j.scalar(0.0)), n, sd.constant(Nd4j.scalar(1.0)), DataType.DOUBLE);
        return frac(sd, sd.math.sin(idx.mul(12.9898).add(seed.mul(78.233).add(offset))).mul(43758.5453123));
    }

    private static SDVariable frac(SameDiff sd, SDVariable v) {
        return v.sub(sd.math.floor(v));
    }
}
