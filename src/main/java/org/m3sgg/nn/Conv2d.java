package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;

/**
 * NCHW convolution with PyTorch's weight layout {@code [out, in, kH, kW]}, square kernel, symmetric zero
 * padding. The variable keeps PyTorch's layout (checkpoints load unchanged) and is permuted in the graph to
 * SameDiff's default YXIO, because conv2d's backward pass fails validation with the OIYX weight format in
 * ND4J 1.0.0-M2.1. Initialised like {@code torch.nn.Conv2d}: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
public final class Conv2d {

    private final NnScope scope;
    private final SDVariable weight;
    private final SDVariable bias;
    private final Conv2DConfig config;

    public Conv2d(NnScope scope, String name, int in, int out, int kernel, int stride, int padding) {
        this.scope = scope;
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        this.weight = scope.param(name + ".weight", scope.uniform(-bound, bound, out, in, kernel, kernel));
        this.bias = scope.param(name + ".bias", scope.uniform(-bound, bound, out));
        this.config = Conv2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(padding).pW(padding)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW)
                .weightsFormat(WeightsFormat.YXIO).build();
    }

    /** {@code [N, in, H, W] -> [N, out, H', W']}. */
    public SDVariable apply(SDVariable x) {
        var sd = scope.sd();
        return sd.cnn().conv2d(x, sd.permute(weight, 2, 3, 1, 0), bias, config);
    }
}
