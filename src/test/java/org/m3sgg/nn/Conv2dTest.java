package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.m3sgg.testutil.DoublePrecision;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Conv2d} (a convolution written as one product) against libnd4j's {@code conv2d}, and its gradients. */
@ExtendWith(DoublePrecision.class)
class Conv2dTest {

    @ParameterizedTest(name = "{1}->{2} channels, kernel {3}, stride {4}, padding {5}, {6}x{6}")
    @CsvSource({
            "3, 8, 5, 1, 1, 0, 7", // union_func1: pixels times the weight
            "3, 2, 4, 7, 2, 3, 27", // conv.0 of the spatial masks
            "3, 4, 6, 3, 1, 1, 7", // conv.4
            "2, 3, 2, 3, 2, 1, 9"})
    void matchesLibnd4jConvolution(int n, int in, int out, int k, int stride, int pad, int size) {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 7);
        INDArray x = s.normal(n, in, size, size);
        Conv2d conv = new Conv2d(s, "c", in, out, k, stride, pad);
        SDVariable input = sd.constant("x", x);
        INDArray mine = conv.apply(input, size, size).eval();

        Conv2DConfig config = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO)
                .build();
        INDArray ref = sd.cnn().conv2d(input, sd.permute(sd.getVariable("c.weight"), 2, 3, 1, 0),
                sd.getVariable("c.bias"), config).eval();
        assertArrayEquals(ref.shape(), mine.shape());
        double diff = ref.sub(mine).norm1Number().doubleValue() / ref.length();
        assertTrue(diff < 1e-14, "mean difference " + diff);
        assertArrayEquals(new long[] {n, out, conv.outputSize(size), conv.outputSize(size)}, mine.shape());
    }

    @Test
    void gradientsOfBothForms() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 3);
        SDVariable x = s.unboundParam("x", s.normal(2, 3, 7, 7));
        Conv2d pixels = new Conv2d(s, "pixels", 3, 4, 1, 1, 0);
        Conv2d patches = new Conv2d(s, "patches", 4, 2, 3, 2, 1);
        SDVariable h = patches.apply(pixels.apply(x, 7, 7), 7, 7);                 // [2, 2, 4, 4]
        SDVariable w = sd.constant("w", s.normal(2, 2, 4, 4));
        sd.setLossVariables(sd.sum("loss", h.mul(w)));
        Quiet.createGradFunction(sd);
        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false));
    }

    @Test
    void channelMajorBatchNormMatchesTheNchwOneInBothPhases() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 5);
        SDVariable x = sd.constant("x", s.normal(3, 4, 5, 5));
        Conv2d conv = new Conv2d(s, "c", 4, 6, 3, 1, 1);
        BatchNorm a = new BatchNorm(s, "a", 6, 0.1);
        BatchNorm b = new BatchNorm(s, "b", 6, 0.1);
        SDVariable nchw = a.apply(conv.apply(x, 5, 5), 4);
        SDVariable major = Conv2d.toNchw(sd, b.applyChannelMajor(conv.applyChannelMajor(x, 5, 5)), 6, 5, 5);
        for (boolean training : new boolean[] {true, false}) {
            s.setTraining(training);
            sd.getVariable("a.running_mean").getArr().assign(0.3);
            sd.getVariable("b.running_mean").getArr().assign(0.3);
            Map<String, INDArray> out = sd.output(Map.of(), nchw.name(), major.name(), a.batchVarName(),
                    b.batchVarName());
            assertTrue(out.get(nchw.name()).equalsWithEps(out.get(major.name()), 1e-12), "training " + training);
            assertTrue(out.get(a.batchVarName()).equalsWithEps(out.get(b.batchVarName()), 1e-12));
        }
    }

    @Test
    void gradientsOfTheChannelMajorStack() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 9);
        SDVariable x = s.unboundParam("x", s.normal(2, 2, 9, 9));
        Conv2d conv = new Conv2d(s, "c", 2, 3, 3, 2, 1);
        BatchNorm bn = new BatchNorm(s, "bn", 3, 0.1);
        s.setTraining(true);
        SDVariable h = Conv2d.toNchw(sd, bn.applyChannelMajor(sd.nn().relu(conv.applyChannelMajor(x, 9, 9), 0)), 3,
                5, 5);
        SDVariable w = sd.constant("w", s.normal(2, 3, 5, 5));
        sd.setLossVariables(sd.sum("loss", h.mul(w)));
        Quiet.createGradFunction(sd);
        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false));
    }
}
