package org.m3sgg.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npy;
import org.m3sgg.nn.Conv2d;
import org.m3sgg.nn.NnScope;
import org.m3sgg.testing.Fixtures;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Timings that print numbers (no timed assertions): one 3x3 convolution of ResNet-101's layer 3 at Action Genome's
 * map size both ways (libnd4j's {@code conv2d}, which the detector uses, and the kit's im2col {@link Conv2d}), and
 * one fixture frame through the reduced detector.
 */
@Tag("bench")
class DetectorSpeedTest {

    @Test
    void oneLayerThreeByThreeConvolutionBothWays() {
        int c = 256;
        int h = 38;
        int w = 67; // layer 3 of a 600 x 1067 frame (stride 16)
        SameDiff sd = SameDiff.create();
        NnScope scope = new NnScope(sd, DataType.FLOAT, 1);
        Conv2d mine = new Conv2d(scope, "c", c, c, 3, 1, 1);
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, c, h, w);
        SDVariable im2col = mine.apply(x, h, w);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).build();
        SDVariable lib = sd.cnn().conv2d(x, sd.permute(sd.getVariable("c.weight"), 2, 3, 1, 0),
                sd.getVariable("c.bias"), cfg);
        INDArray in = Nd4j.rand(DataType.FLOAT, 1, c, h, w);
        double tLib = time(() -> lib.eval(Map.of("x", in)));
        double tMine = time(() -> im2col.eval(Map.of("x", in)));
        INDArray a = lib.eval(Map.of("x", in));
        INDArray b = im2col.eval(Map.of("x", in));
        System.out.printf("conv 3x3 %d->%d at %dx%d: libnd4j conv2d %.1f ms, im2col Conv2d %.1f ms, max diff %.2e%n",
                c, c, h, w, tLib * 1e3, tMine * 1e3, a.sub(b).amaxNumber().doubleValue());
        assertArrayEquals(a.shape(), b.shape());
    }

    @Test
    void oneFixtureFrame() {
        Path dir = Fixtures.dir("detector-reference");
        FasterRcnn det = FasterRcnn.load(dir.resolve("faster_rcnn_ag.zip.tar"), DetectorSettings.sttran());
        NdArray im = Npy.read(dir.resolve("in_im_data.npy"));
        float[] one = Arrays.copyOf(im.floats(), 3 * 96 * 160);
        float[][] info = {{96, 160, 1.6f}};
        double t = time(() -> det.detect(one, 1, 96, 160, info));
        System.out.printf("one fixture frame (96 x 160, reduced widths) through the detector: %.1f ms%n", t * 1e3);
        assertEquals(105, det.detect(one, 1, 96, 160, info).detections().labels().length);
    }

    /** Median seconds of 5 runs after 2 warm-up runs. */
    private static double time(Runnable r) {
        for (int i = 0; i < 2; i++) {
            r.run();
        }
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - s) / 1e9;
        }
        Arrays.sort(t);
        return t[2];
    }
}
