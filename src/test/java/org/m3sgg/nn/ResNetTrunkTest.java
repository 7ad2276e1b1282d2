package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link ResNetTrunk#maxPool} against PyTorch's max_pool2d rules written out as loops. */
class ResNetTrunkTest {

    @ParameterizedTest(name = "{0}x{1}, padding {2}, ceil {3}")
    @CsvSource({"48, 80, 0, true", "47, 79, 0, true", "6, 5, 0, true", "48, 80, 1, false", "9, 7, 1, false"})
    void maxPoolMatchesPytorchSizing(int h, int w, int pad, boolean ceil) {
        Random rnd = new Random(h * 31 + w);
        float[] x = new float[2 * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, 2, -1, -1);
        ResNetTrunk trunk = new ResNetTrunk(sd, new TorchWeights(Map.of(), "none"), DataType.FLOAT);
        SDVariable y = trunk.maxPool(new ResNetTrunk.Size(in, 2), 3, 2, pad, ceil).x();
        INDArray out = y.eval(Map.of("x", Nd4j.create(x, new long[] {1, 2, h, w}, 'c')));
        int oh = size(h, pad, ceil);
        int ow = size(w, pad, ceil);
        float[] ref = new float[2 * oh * ow];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int di = 0; di < 3; di++) {
                        for (int dj = 0; dj < 3; dj++) {
                            int yy = i * 2 - pad + di;
                            int xx = j * 2 - pad + dj;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                m = Math.max(m, x[(c * h + yy) * w + xx]);
                            }
                        }
                    }
                    ref[(c * oh + i) * ow + j] = m;
                }
            }
        }
        assertArrayEquals(new long[] {1, 2, oh, ow}, out.shape());
        assertArrayEquals(ref, out.dup('c').data().asFloat());
    }

    /** PyTorch's output size of a 3 / stride 2 pooling. */
    private static int size(int n, int pad, boolean ceil) {
        int span = n + 2 * pad - 3;
        int out = (ceil ? (span + 1) / 2 : span / 2) + 1;
        if (ceil && (out - 1) * 2 >= n + pad) {
            out--;
        }
        return out;
    }
}
