package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** The losses STTran trains with, as graph expressions (all means are over rows, as in PyTorch's defaults). */
public final class Losses {

    private Losses() {}

    /** {@code CrossEntropyLoss}: logits [M, K], one-hot targets [M, K]; mean over rows. */
    public static SDVariable crossEntropy(SameDiff sd, SDVariable logits, SDVariable oneHot) {
        SDVariable logp = logSoftmax(sd, logits);
        return sd.mean(sd.sum(logp.mul(oneHot), 1)).neg();
    }

    /**
     * Row-wise log-softmax of [M, K], written out because SameDiff's log_softmax with an explicit axis fails when
     * its gradient is built (ND4J 1.0.0-M2.1). The row maximum is subtracted for stability.
     */
    public static SDVariable logSoftmax(SameDiff sd, SDVariable logits) {
        SDVariable shifted = logits.sub(sd.max(logits, true, 1));
        return shifted.sub(sd.math.log(sd.sum(sd.math.exp(shifted), true, 1)));
    }

    /**
     * {@code MultiLabelMarginLoss} on scores x [M, C] with target counts y [M, C] (1 for each listed label, as
     * built by {@link Selection#multiHot}): per row {@code sum_{j in Y} sum_{i not in Y} max(0, 1 - (x_j - x_i)) / C},
     * then the mean over rows. A row with no labels contributes 0.
     */
    public static SDVariable multiLabelMargin(SameDiff sd, SDVariable x, SDVariable y, int classes) {
        SDVariable xj = sd.expandDims(x, 2);                                 // [M, C, 1]
        SDVariable xi = sd.expandDims(x, 1);                                 // [M, 1, C]
        SDVariable hinge = sd.nn().relu(xi.sub(xj).add(1.0), 0);             // [M, C(j), C(i)]
        SDVariable notTarget = sd.castTo(sd.eq(y, 0.0), x.dataType());
        SDVariable w = sd.expandDims(y, 2).mul(sd.expandDims(notTarget, 1));
        SDVariable perRow = sd.sum(hinge.mul(w), 1, 2).div(classes);
        return sd.mean(perRow);
    }

    /** {@code BCELoss} on probabilities p [M, C] with 0/1 targets t; logs clamped at -100 as PyTorch does. */
    public static SDVariable binaryCrossEntropy(SameDiff sd, SDVariable p, SDVariable t) {
        SDVariable logP = sd.math.max(sd.math.log(p), sd.onesLike(p).mul(-100.0));
        SDVariable log1mP = sd.math.max(sd.math.log(p.rsub(1.0)), sd.onesLike(p).mul(-100.0));
        return sd.mean(t.mul(logP).add(t.rsub(1.0).mul(log1mP))).neg();
    }
}
