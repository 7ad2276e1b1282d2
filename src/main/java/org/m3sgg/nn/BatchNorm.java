package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Batch normalisation over dimension 1 of {@code [N, C]} or {@code [N, C, H, W]} (PyTorch's BatchNorm1d/2d,
 * eps 1e-5, affine).
 *
 * <p>Evaluation uses the running statistics; training uses the batch's mean and biased variance. Both are in
 * the graph and the scalar train flag picks one per channel ({@code flag * batch + (1 - flag) * running} on the
 * mean and the inverse standard deviation), which is exact in either phase because the other branch is finite
 * and multiplied by 0.
 *
 * <p>Running statistics are not touched by autodiff. The graph exposes the batch mean and the unbiased batch
 * variance as {@link #batchMeanName()} / {@link #batchVarName()}; a training step requests them as outputs
 * alongside the gradients and then calls {@link #updateRunning} which applies PyTorch's rule
 * {@code running = (1 - momentum) * running + momentum * batch} (see {@link AdamW#step}). {@code num_batches_tracked}
 * is accepted from checkpoints but not used (it only matters for momentum=None).
 */
public final class BatchNorm {

    private final NnScope scope;
    private final String name;
    private final int channels;
    private final double momentum;
    private final double eps = 1e-5;
    private final SDVariable weight;
    private final SDVariable bias;
    private final SDVariable runningMean;
    private final SDVariable runningVar;

    public BatchNorm(NnScope scope, String name, int channels, double momentum) {
        this.scope = scope;
        this.name = name;
        this.channels = channels;
        this.momentum = momentum;
        this.weight = scope.param(name + ".weight", scope.ones(channels));
        this.bias = scope.param(name + ".bias", scope.zeros(channels));
        this.runningMean = scope.buffer(name + ".running_mean", scope.zeros(channels));
        this.runningVar = scope.buffer(name + ".running_var", scope.ones(channels));
        scope.bindings().ignored(name + ".num_batches_tracked", new long[0]);
        scope.register(this);
    }

    public String name() {
        return name;
    }

    public String batchMeanName() {
        return name + ".batch_mean";
    }

    public String batchVarName() {
        return name + ".batch_var_unbiased";
    }

    /** {@code [N, C]} or {@code [N, C, H, W]}; {@code rank} says which. */
    public SDVariable apply(SDVariable x, int rank) {
        int[] reduce = rank == 2 ? new int[] {0} : new int[] {0, 2, 3};
        long[] bshape = rank == 2 ? new long[] {1, channels} : new long[] {1, channels, 1, 1};
        Affine a = affine(x, reduce, bshape);
        return x.mul(a.scale()).add(a.shift());
    }

    /**
     * The same normalisation for a channel-major {@code [C, M]} input (the M positions of all images of the batch in
     * each row, as {@link Conv2d#applyChannelMajor} leaves them): statistics over each row. The scale is applied as a
     * product with the diagonal matrix of the scales, which gives the same values ({@code x * s} plus exact zeros)
     * and a backward pass that runs as two products; the broadcast multiply's backward pass ran at a fraction of the
     * memory bandwidth on STTran's [200, 128, 14, 14] masks (docs/PERFORMANCE.md).
     */
    public SDVariable applyChannelMajor(SDVariable x) {
        var sd = scope.sd();
        Affine a = affine(x, new int[] {1}, new long[] {channels, 1});
        return sd.mmul(sd.math().diag(sd.reshape(a.scale(), channels)), x).add(a.shift());
    }

    private record Affine(SDVariable scale, SDVariable shift) {}

    /**
     * The per-channel {@code scale} and {@code shift} of {@code y = x * scale + shift}, shaped {@code bshape}, from the
     * batch statistics over {@code reduce} (training) or the running ones (evaluation); also exposes the batch
     * statistics for the running update.
     */
    private Affine affine(SDVariable x, int[] reduce, long[] bshape) {
        var sd = scope.sd();
        SDVariable mean = sd.mean(x, true, reduce);
        SDVariable centred = x.sub(mean);
        SDVariable var = sd.mean(centred.mul(centred), true, reduce);
        // unbiased variance for the running update: n / (n - 1) with n the elements per channel
        // (from the shape, not by summing a ones tensor the size of x)
        SDVariable n = sd.castTo(sd.sizeAt(x, reduce[0]), scope.dtype());
        for (int i = 1; i < reduce.length; i++) {
            n = n.mul(sd.castTo(sd.sizeAt(x, reduce[i]), scope.dtype()));
        }
        SDVariable varFlat = sd.reshape(var, channels);
        sd.identity(batchMeanName(), sd.reshape(mean, channels));
        sd.identity(batchVarName(), varFlat.mul(n).div(sd.math.max(n.sub(1.0), sd.onesLike(n))));

        // Both phases are one per-channel affine map y = x * scale + shift; the phase is picked on the per-channel
        // statistics, so the big tensor sees two element-wise ops (and two in backprop) instead of being
        // normalised twice and the results blended.
        SDVariable flag = scope.trainFlag();
        SDVariable notFlag = flag.rsub(1.0);
        SDVariable invStd = sd.math.rsqrt(var.add(eps)).mul(flag)
                .add(sd.math.rsqrt(sd.reshape(runningVar, bshape).add(eps)).mul(notFlag));
        SDVariable mu = mean.mul(flag).add(sd.reshape(runningMean, bshape).mul(notFlag));
        SDVariable scale = invStd.mul(sd.reshape(weight, bshape));
        SDVariable shift = sd.reshape(bias, bshape).sub(mu.mul(scale));
        return new Affine(scale, shift);
    }

    /** Applies one momentum step to the running statistics from a training batch's statistics. */
    public void updateRunning(INDArray batchMean, INDArray batchVarUnbiased) {
        INDArray rm = runningMean.getArr();
        INDArray rv = runningVar.getArr();
        rm.muli(1 - momentum).addi(batchMean.castTo(rm.dataType()).mul(momentum));
        rv.muli(1 - momentum).addi(batchVarUnbiased.castTo(rv.dataType()).mul(momentum));
    }

    public INDArray runningMean() {
        return runningMean.getArr();
    }

    public INDArray runningVar() {
        return runningVar.getArr();
    }
}
