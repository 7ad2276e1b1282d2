package org.m3sgg.models.stket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.m3sgg.nn.NnScope;
import org.m3sgg.testutil.DoublePrecision;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.m3sgg.nn.Quiet;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Float64 finite-difference check of the knowledge-injected layers, priors included (constants as inputs). */
@ExtendWith(DoublePrecision.class)
class PriorLayersGradientTest {

    private static INDArray block(int[] group) {
        INDArray m = Nd4j.zeros(DataType.DOUBLE, group.length, group.length);
        for (int i = 0; i < group.length; i++) {
            for (int j = 0; j < group.length; j++) {
                m.putScalar(i, j, group[i] == group[j] ? 0 : -1e9);
            }
        }
        return m;
    }

    @Test
    void encoderAndDecoderWithPriorsAndAPriorTable() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 5);
        int d = 4;
        SDVariable x = sd.constant("x", s.normal(5, d));
        // the prior comes from a trainable table through a one-hot, as in the model
        SDVariable table = s.param("prior_table", s.normal(3, d));
        INDArray onehot = Nd4j.zeros(DataType.DOUBLE, 5, 3);
        int[] cls = {0, 2, 1, 2, 0};
        for (int i = 0; i < 5; i++) {
            onehot.putScalar(i, cls[i], 1);
        }
        SDVariable prior = sd.mmul(sd.constant("onehot", onehot), table);
        SDVariable pos = sd.constant("pos", s.uniform(0, 1, 5, d));
        PriorEncoderLayer enc = new PriorEncoderLayer(s, "enc", d, 2, 6, 0.0);
        PriorDecoderLayer dec = new PriorDecoderLayer(s, "dec", d, 2, 6, 0.0);
        SDVariable h = enc.apply(x, prior, sd.constant("m1", block(new int[] {0, 0, 1, 1, 1})));
        h = dec.apply(h, prior.mul(0.5), pos, sd.constant("m2", block(new int[] {0, 0, 0, 1, 1})));
        SDVariable w = sd.constant("w", s.normal(5, d));
        sd.setLossVariables(sd.sum("loss", h.mul(w)));
        Quiet.createGradFunction(sd);
        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false, false, false, null, null,
                1, GradCheckUtil.Subset.EVERY_N));
    }
}
