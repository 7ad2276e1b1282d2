package org.m3sgg.models.tempura;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.m3sgg.nn.NnScope;
import org.m3sgg.testutil.DoublePrecision;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Float64 finite-difference checks of TEMPURA's new blocks, with constant inputs (no placeholders). */
@ExtendWith(DoublePrecision.class)
class TempuraGradientCheckTest {

    // about 8 minutes on a loaded 2-core machine (every parameter scalar is perturbed): slow tier
    @Test
    @Tag("slow")
    void gmmHeadsWithNoiseAndTheirUncertaintiesMemoryAttentionAndContrastiveLoss() {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 3);
        int d = 4;
        SDVariable x = sd.constant("x", s.normal(5, d));
        SDVariable mem = sd.constant("mem", s.normal(6, d));
        MemoryAttention attn = new MemoryAttention(s, "mem_attention", d);
        SDVariable h = x.mul(0.4).add(attn.apply(x, mem).mul(0.6));
        GmmHead soft = new GmmHead(s, "a", d, 3, 2, GmmHead.Activation.SOFTMAX);
        GmmHead sig = new GmmHead(s, "s", d, 4, 2, GmmHead.Activation.SIGMOID);
        SDVariable[] n1 = {sd.constant("n1a", s.normal(5, 3)), sd.constant("n1b", s.normal(5, 3))};
        SDVariable[] n2 = {sd.constant("n2a", s.normal(5, 4)), sd.constant("n2b", s.normal(5, 4))};
        GmmHead.Out a = soft.apply(h, n1);
        GmmHead.Out b = sig.apply(h, n2);
        INDArray pos = Nd4j.zeros(DataType.DOUBLE, 5, 5);
        INDArray neg = Nd4j.zeros(DataType.DOUBLE, 5, 5);
        int[] label = {0, 1, 0, 2, 1};
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                if (i != j) {
                    (label[i] == label[j] ? pos : neg).putScalar(i, j, 1.0);
                }
            }
        }
        SDVariable con = TempuraModel.contrastive(h, sd.constant("pos", pos), sd.constant("neg", neg));
        SDVariable w1 = sd.constant("w1", s.normal(5, 3));
        SDVariable w2 = sd.constant("w2", s.normal(5, 4));
        SDVariable loss = sd.sum(sd.math.log(a.probabilities()).mul(w1))
                .add(sd.sum(b.probabilities().mul(w2)))
                .add(sd.sum(a.aleatoric().mul(w1))).add(sd.sum(b.epistemic().mul(w2)).mul(3.0))
                .add(con);
        sd.setLossVariables(sd.identity("loss", loss));
        org.m3sgg.nn.Quiet.createGradFunction(sd);
        assertTrue(GradCheckUtil.checkGradients(sd, null, 1e-6, 1e-5, 1e-6, false, false));
    }
}
