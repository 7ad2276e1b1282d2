package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Softmax along one axis, shifted by the maximum along that axis first. ND4J 1.0.0-M2.1's softmax op returns NaN
 * for a row whose every entry is below about -745: it does not shift by the row's maximum, so every exponential
 * underflows to 0 and the row divides 0 by 0. Attention meets such rows when activations are large (OED's encoder at
 * the published widths on a C5 map projected to values of about 1e4) or when the unmasked keys of a query all score
 * low. Softmax does not change under a shift, so the probabilities and gradients are those of the plain op.
 */
public final class Softmax {

    private Softmax() {}

    /** {@code softmax(x - max(x, axis), axis)}. */
    public static SDVariable of(SameDiff sd, SDVariable x, int axis) {
        return sd.nn().softmax(x.sub(sd.max(x, true, axis)), axis);
    }
}
