package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NCHW max pooling with PyTorch's padding semantics: padded cells never win. The input is padded explicitly with
 * a very negative constant and pooled without padding, so the result does not depend on how the native op
 * treats its own padding.
 */
public final class MaxPool2d {

    private final NnScope scope;
    private final int padding;
    private final Pooling2DConfig config;

    public MaxPool2d(NnScope scope, int kernel, int stride, int padding) {
        this.scope = scope;
        this.padding = padding;
        this.config = Pooling2DConfig.builder().kH(kernel).kW(kernel).sH(stride).sW(stride).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
    }

    public SDVariable apply(SDVariable x) {
        var sd = scope.sd();
        SDVariable in = x;
        if (padding > 0) {
            SDVariable pads = sd.constant(Nd4j.createFromArray(new int[][] {
                    {0, 0}, {0, 0}, {padding, padding}, {padding, padding}}));
            in = sd.nn().pad(x, pads, -1e30);
        }
        return sd.cnn().maxPooling2d(in, config);
    }
}
