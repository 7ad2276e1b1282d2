package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * NCHW convolution with PyTorch's weight layout {@code [out, in, kH, kW]}, square kernel, symmetric zero
 * padding, written as one matrix product: the input's patches as rows ({@code im2col}; for a 1x1 kernel without
 * stride or padding simply the pixels) times the weight as {@code [out, in k k]} transposed. The variable keeps
 * PyTorch's layout, so checkpoints load unchanged. Initialised like {@code torch.nn.Conv2d}:
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 *
 * <p>Why not SameDiff's {@code conv2d}: its backward pass ({@code conv2d_bp}) ran at about a fifth of the matrix
 * product's speed on STTran's shapes (0.9 s of a 3.6 s paper-width training step for three convolutions); as
 * products the same work takes a fraction of that (docs/PERFORMANCE.md). The values are the same sums in another
 * order (differences of float rounding, tested against {@code conv2d} in {@code Conv2dTest}).
 */
public final class Conv2d {

    private final NnScope scope;
    private final SDVariable weight;
    private final SDVariable bias;
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Conv2DConfig patches;

    public Conv2d(NnScope scope, String name, int in, int out, int kernel, int stride, int padding) {
        this.scope = scope;
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        this.weight = scope.param(name + ".weight", scope.uniform(-bound, bound, out, in, kernel, kernel));
        this.bias = scope.param(name + ".bias", scope.uniform(-bound, bound, out));
        this.patches = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
    }

    /** Output height (or width) for an input of height (or width) {@code size}. */
    public int outputSize(int size) {
        return (size + 2 * padding - kernel) / stride + 1;
    }

    /** {@code [N, in, H, W] -> [N, out, H', W']}; the spatial size {@code H x W} is fixed when the graph is built. */
    public SDVariable apply(SDVariable x, int height, int width) {
        return toNchw(scope.sd(), applyChannelMajor(x, height, width), out, outputSize(height), outputSize(width));
    }

    /**
     * {@code [N, in, H, W] -> [out, N H' W']}: the output channel-major, as the product leaves it. Per-channel work
     * (ReLU, {@link BatchNorm#applyChannelMajor}) can run on it before one {@link #toNchw} at the end.
     */
    public SDVariable applyChannelMajor(SDVariable x, int height, int width) {
        var sd = scope.sd();
        int oh = outputSize(height);
        int ow = outputSize(width);
        // the patches as columns, channel-major: [in k k, N H' W']. Moving the batch axis inward copies runs of
        // H' W' contiguous values; rows of [N H' W', in k k] would gather single values at stride H' W'
        // (permuted as rank-3 arrays: the same copy as the rank-4/6 permutations, which libnd4j ran about 4x slower:
        // 0.12 s against 0.03 s of the paper-width forward pass)
        long rows = (long) in * kernel * kernel;
        SDVariable perImage;
        if (kernel == 1 && stride == 1 && padding == 0) {
            perImage = sd.reshape(x, -1, in, (long) height * width);                       // [N, in, H W]
        } else {
            SDVariable patches = sd.cnn().im2Col(x, this.patches);                          // [N, in, k, k, H', W']
            perImage = sd.reshape(patches, -1, rows, (long) oh * ow);                      // [N, in k k, H' W']
        }
        SDVariable cols = sd.reshape(sd.permute(perImage, 1, 0, 2), rows, -1);
        SDVariable w = sd.reshape(weight, out, (long) in * kernel * kernel);
        return sd.mmul(w, cols).add(sd.reshape(bias, out, 1));                               // [out, N H' W']
    }

    /** {@code [C, N H W] -> [N, C, H, W]}. */
    public static SDVariable toNchw(org.nd4j.autodiff.samediff.SameDiff sd, SDVariable y, int channels, int height,
            int width) {
        SDVariable perChannel = sd.reshape(y, channels, -1, (long) height * width);           // [C, N, H W]
        return sd.reshape(sd.permute(perChannel, 1, 0, 2), -1, channels, height, width);
    }
}
