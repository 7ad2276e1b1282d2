package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.m3sgg.testutil.DoublePrecision;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Float64 finite-difference checks of the hand-written pieces. Inputs are constants, not placeholders
 * (GradCheckUtil fails on placeholders in this ND4J version).
 */
@ExtendWith(DoublePrecision.class)
class GradientCheckTest {

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
    void maskedAttentionEncoderAndDecoderLayers() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 7);
        int d = 4;
        SDVariable x = sd.constant("x", s.normal(5, d));
        SDVariable pos = sd.constant("pos", s.uniform(0, 1, 5, d));
        SDVariable encMask = sd.constant("enc_mask", block(new int[] {0, 0, 1, 1, 1}));
        SDVariable decMask = sd.constant("dec_mask", block(new int[] {0, 0, 0, 1, 1}));
        TransformerEncoderLayer enc = new TransformerEncoderLayer(s, "enc", d, 2, 6, 0.0);
        TransformerDecoderLayer dec = new TransformerDecoderLayer(s, "dec", d, 2, 6, 0.0);
        SDVariable h = dec.apply(enc.apply(x, encMask), pos, decMask);
        SDVariable w = sd.constant("w", s.normal(5, d));
        sd.setLossVariables(sd.sum("loss", h.mul(w)));
        // every parameter is checked at one entry here (a full check takes minutes on 2 cores; see the slow test)
        Quiet.createGradFunction(sd);
        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false, false, false, null, null,
                1, GradCheckUtil.Subset.EVERY_N));
    }

    @Test
    @org.junit.jupiter.api.Tag("slow")
    void batchNormInTrainingModeAndConvStack() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 3);
        SDVariable x = sd.constant("x", s.normal(3, 2, 9, 9));
        Conv2d c0 = new Conv2d(s, "c0", 2, 3, 3, 2, 1);
        BatchNorm bn = new BatchNorm(s, "bn", 3, 0.01);
        MaxPool2d pool = new MaxPool2d(s, 3, 2, 1);
        s.setTraining(true);
        SDVariable h = pool.apply(bn.apply(sd.nn().relu(c0.apply(x, 9, 9), 0), 4));
        SDVariable w = sd.constant("w", s.normal(3, 3, 3, 3));
        sd.setLossVariables(sd.sum("loss", h.mul(w)));
        Quiet.createGradFunction(sd);
        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false));
    }

    @Test
    void multiLabelMarginAndCrossEntropyLosses() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 5);
        SDVariable logits = s.unboundParam("logits", s.normal(4, 6));
        SDVariable y = sd.constant("y", Nd4j.createFromArray(new double[][] {
                {1, 0, 0, 1, 0, 0}, {0, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 0}, {0, 0, 1, 0, 0, 0}}));
        SDVariable a = s.unboundParam("a", s.normal(4, 3));
        SDVariable aT = sd.constant("aT", Nd4j.createFromArray(new double[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {1, 0, 0}}));
        SDVariable loss = Losses.multiLabelMargin(sd, sd.nn().sigmoid(logits), y, 6).add(Losses.crossEntropy(sd, a, aT));
        sd.setLossVariables(sd.identity("loss", loss));
        Quiet.createGradFunction(sd);
        assertTrue(GradCheckUtil.checkGradients(sd, Map.of(), 1e-6, 1e-5, 1e-8, false, false));
    }

    @Test
    void multiLabelMarginMatchesPyTorchDocumentedExample() {
        // torch.nn.MultiLabelMarginLoss docs: x = [0.1, 0.2, 0.4, 0.8], targets {3, 0} -> 0.85
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant(Nd4j.createFromArray(new double[][] {{0.1, 0.2, 0.4, 0.8}}));
        SDVariable y = sd.constant(Selection.multiHot(new int[][] {{3, 0}}, 4, DataType.DOUBLE));
        assertEquals(0.85, Losses.multiLabelMargin(sd, x, y, 4).eval().getDouble(0), 1e-12);
    }

    @Test
    void binaryCrossEntropyMatchesTheFormula() {
        SameDiff sd = SameDiff.create();
        double[][] p = {{0.2, 0.9}, {0.5, 0.01}};
        double[][] t = {{1, 0}, {0, 1}};
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                expected -= t[i][j] * Math.log(p[i][j]) + (1 - t[i][j]) * Math.log(1 - p[i][j]);
            }
        }
        expected /= 4;
        double got = Losses.binaryCrossEntropy(sd, sd.constant(Nd4j.createFromArray(p)), sd.constant(Nd4j.createFromArray(t)))
                .eval().getDouble(0);
        assertEquals(expected, got, 1e-12);
    }
}
