package org.m3sgg.nn;

import org.m3sgg.api.KitException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward-only ResNet pieces with bottleneck blocks and frozen batch norms, built from a PyTorch state dict whose
 * keys follow torchvision's names ({@code conv1}, {@code bn1}, ..., {@code downsample.0/1}). The number of
 * blocks of a layer and every width are read from the state dict, so one builder serves reduced test networks
 * and the published ResNet-50/101. Each batch norm is folded into the convolution before it (weights times the
 * per-channel scale, the shift as the bias; {@link FrozenBatchNorm}), and every convolution is libnd4j's
 * {@code conv2d} (NCHW).
 *
 * <p>The graph takes any spatial size: PyTorch's {@code ceil_mode} max pooling is written as a pooling without
 * ceil over an input padded by {@code stride - 1} more cells on the right and bottom (padded cells never win),
 * which gives the same windows whenever the kernel is at least the stride.
 */
public final class ResNetTrunk {

    /** Where a bottleneck's stride sits. */
    public enum StrideOn {
        /** Caffe-style ResNet (faster-rcnn.pytorch): on the first 1x1 convolution. */
        FIRST_1X1,
        /** torchvision's ResNet v1.5: on the 3x3 convolution. */
        MIDDLE_3X3
    }

    /** A tensor in the graph with its channel count. */
    public record Size(SDVariable x, long channels) {}

    private final SameDiff sd;
    private final TorchWeights w;
    private final DataType dtype;
    private int counter;

    /** @param dtype the graph's floating type (the weights are cast to it) */
    public ResNetTrunk(SameDiff sd, TorchWeights weights, DataType dtype) {
        this.sd = sd;
        this.w = weights;
        this.dtype = dtype;
    }

    /**
     * The stem: {@code conv (7x7, stride 2, pad 3, no bias) -> bn -> ReLU -> max pool (3, stride 2)}.
     *
     * @param poolPadding 0 with {@code ceil} for Caffe-style networks; 1 without for torchvision's
     */
    public Size stem(Size in, String conv, String bn, int poolPadding, boolean ceil) {
        Size c = convBn(in, conv, bn, 2, 3);
        SDVariable relu = sd.nn().relu(c.x(), 0);
        return maxPool(new Size(relu, c.channels()), 3, 2, poolPadding, ceil);
    }

    /** Number of blocks of the layer at {@code prefix} ({@code prefix.N.conv1.weight} for N = 0, 1, ...). */
    public int blocks(String prefix) {
        int n = 0;
        while (w.has(prefix + "." + n + ".conv1.weight")) {
            n++;
        }
        if (n == 0) {
            throw new KitException(w.source() + ": missing state_dict key '" + prefix + ".0.conv1.weight' (no "
                    + "bottleneck block under '" + prefix + "')");
        }
        return n;
    }

    /** One ResNet layer: its blocks in order, the first with {@code stride} and the projection shortcut. */
    public Size layer(Size in, String prefix, int stride, StrideOn where) {
        Size x = in;
        int n = blocks(prefix);
        for (int b = 0; b < n; b++) {
            x = bottleneck(x, prefix + "." + b, b == 0 ? stride : 1, where);
        }
        return x;
    }

    /** {@code relu(bn3(conv3(relu(bn2(conv2(relu(bn1(conv1(x)))))))) + shortcut(x))}. */
    public Size bottleneck(Size in, String p, int stride, StrideOn where) {
        int s1 = where == StrideOn.FIRST_1X1 ? stride : 1;
        int s2 = where == StrideOn.FIRST_1X1 ? 1 : stride;
        Size a = relu(convBn(in, p + ".conv1", p + ".bn1", s1, 0));
        Size b = relu(convBn(a, p + ".conv2", p + ".bn2", s2, 1));
        Size c = convBn(b, p + ".conv3", p + ".bn3", 1, 0);
        Size shortcut = in;
        if (w.has(p + ".downsample.0.weight")) {
            shortcut = convBn(in, p + ".downsample.0", p + ".downsample.1", stride, 0);
        } else if (stride != 1 || in.channels() != c.channels()) {
            throw new KitException(w.source() + ": missing state_dict key '" + p + ".downsample.0.weight' (block "
                    + p + " changes the size: stride " + stride + ", " + in.channels() + " -> " + c.channels()
                    + " channels)");
        }
        return relu(new Size(c.x().add(shortcut.x()), c.channels()));
    }

    private Size relu(Size s) {
        return new Size(sd.nn().relu(s.x(), 0), s.channels());
    }

    /**
     * A bias-free square convolution {@code conv} followed by the frozen batch norm {@code bn}, folded into one
     * convolution with bias. The kernel size comes from the weight's shape.
     */
    public Size convBn(Size in, String conv, String bn, int stride, int padding) {
        INDArray weight = w.takeRank(conv + ".weight", 4);
        long[] s = weight.shape();
        if (s[1] != in.channels() || s[2] != s[3]) {
            throw new KitException(w.source() + ": key '" + conv + ".weight' has shape "
                    + java.util.Arrays.toString(s) + ", expected [out, " + in.channels() + ", k, k]");
        }
        FrozenBatchNorm norm = FrozenBatchNorm.take(w, bn, s[0]);
        INDArray folded = weight.castTo(DataType.DOUBLE).reshape(s[0], s[1] * s[2] * s[3])
                .mulColumnVector(norm.scale().castTo(DataType.DOUBLE).reshape(s[0], 1))
                .reshape(s);
        return conv(in, folded, norm.shift(), stride, padding);
    }

    /**
     * A square convolution with PyTorch's weight layout {@code [out, in, k, k]} and a bias {@code [out]} as
     * libnd4j's NCHW {@code conv2d}.
     */
    public Size conv(Size in, INDArray weight, INDArray bias, int stride, int padding) {
        long[] s = weight.shape();
        int k = (int) s[2];
        String id = "rn" + counter++;
        SDVariable wv = sd.constant(id + "_w", weight.permute(2, 3, 1, 0).dup('c').castTo(dtype));
        SDVariable bv = sd.constant(id + "_b", bias.reshape(s[0]).dup('c').castTo(dtype));
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        SDVariable y = sd.cnn().conv2d(in.x(), wv, bv, cfg);
        return new Size(y, s[0]);
    }

    /**
     * PyTorch's {@code max_pool2d} (padded cells never win). With {@code ceil_mode} the input gets {@code stride - 1}
     * more padding cells at the bottom and right: {@code floor((n + 2p + s - 1 - k) / s) + 1} is PyTorch's
     * {@code ceil((n + 2p - k) / s) + 1}, and with a kernel at least the stride the last window starts inside the
     * input or its left/top padding, so PyTorch's rule that drops a window starting in the padding never applies.
     */
    public Size maxPool(Size in, int kernel, int stride, int padding, boolean ceil) {
        if (ceil && kernel < stride) {
            throw new IllegalArgumentException("ceil-mode max pool needs kernel >= stride");
        }
        int extra = ceil ? stride - 1 : 0;
        SDVariable x = in.x();
        if (padding > 0 || extra > 0) {
            SDVariable pads = sd.constant(Nd4j.createFromArray(new int[][] {
                    {0, 0}, {0, 0}, {padding, padding + extra}, {padding, padding + extra}}));
            x = sd.nn().pad(x, pads, -1e30);
        }
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(0).pW(0)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
        return new Size(sd.cnn().maxPooling2d(x, cfg), in.channels());
    }
}
