package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Attention on B stacked sequences in one graph run equals B separate runs of the per-sequence form (whose gradients
 * {@link GradientCheckTest} checks), values and gradients.
 */
class GroupedAttentionTest {

    private static final int B = 3;
    private static final int LQ = 4;
    private static final int LK = 5;
    private static final int D = 8;

    /** The same weights (seed) in a grouped and a per-sequence graph. */
    private static SameDiff graph(boolean grouped, INDArray q, INDArray kv, INDArray mask) {
        SameDiff sd = SameDiff.create();
        NnScope s = new NnScope(sd, DataType.DOUBLE, 11);
        MultiHeadAttention cross = new MultiHeadAttention(s, "cross", D, 2, 0.0);
        TransformerEncoderLayer enc = new TransformerEncoderLayer(s, "enc", D, 2, 16, 0.0);
        SDVariable query = sd.var("query", q.dup());
        SDVariable keys = sd.var("keys", kv.dup());
        SDVariable out;
        SDVariable weights;
        if (grouped) {
            SDVariable groups = sd.constant("groups", Nd4j.createFromArray((long) B));
            SDVariable m = sd.constant("mask", mask);
            SDVariable[] r = cross.applyGrouped(query, keys, keys, m, groups);
            SDVariable selfMask = sd.constant("self_mask", Nd4j.zeros(DataType.DOUBLE, B, LQ, LQ));
            out = enc.applyGrouped(r[0], r[0], r[0], r[0], selfMask, groups);
            weights = r[1];
        } else {
            SDVariable[] outs = new SDVariable[B];
            SDVariable[] ws = new SDVariable[B];
            for (int b = 0; b < B; b++) {
                SDVariable qb = query.get(SDIndex(b, LQ));
                SDVariable kb = keys.get(SDIndex(b, LK));
                SDVariable mb = sd.constant("mask" + b, mask.get(NDArrayIndex.point(b)).dup());
                SDVariable[] r = cross.applyWithWeights(qb, kb, kb, mb);
                outs[b] = enc.apply(r[0], sd.constant("self_mask" + b, Nd4j.zeros(DataType.DOUBLE, LQ, LQ)));
                ws[b] = r[1];
            }
            out = sd.concat(0, outs);
            weights = sd.stack(0, ws);
        }
        sd.identity("out", out);
        sd.identity("weights", weights);
        SDVariable target = sd.constant("target", Nd4j.linspace(-1, 1, B * LQ * D, DataType.DOUBLE)
                .reshape(B * LQ, D));
        sd.setLossVariables(sd.sum("loss", out.mul(target)));
        Quiet.createGradFunction(sd);
        return sd;
    }

    private static org.nd4j.autodiff.samediff.SDIndex[] SDIndex(int b, int len) {
        return new org.nd4j.autodiff.samediff.SDIndex[] {
            org.nd4j.autodiff.samediff.SDIndex.interval((long) b * len, (long) (b + 1) * len),
            org.nd4j.autodiff.samediff.SDIndex.all()};
    }

    @Test
    void groupedEqualsOneRunPerSequence() {
        INDArray q = Nd4j.rand(DataType.DOUBLE, B * LQ, D).subi(0.5);
        INDArray kv = Nd4j.rand(DataType.DOUBLE, B * LK, D).subi(0.5);
        INDArray mask = Nd4j.zeros(DataType.DOUBLE, B, LQ, LK);
        mask.putScalar(new long[] {1, 2, 4}, -1e9);
        mask.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.point(0)).assign(-1e9);
        SameDiff grouped = graph(true, q, kv, mask);
        SameDiff separate = graph(false, q, kv, mask);
        Map<String, INDArray> a = grouped.output(Map.of(), "out", "weights");
        Map<String, INDArray> b = separate.output(Map.of(), "out", "weights");
        assertTrue(a.get("out").equalsWithEps(b.get("out"), 1e-12), "outputs");
        assertTrue(a.get("weights").equalsWithEps(b.get("weights"), 1e-12), "attention weights");
        assertEquals(0.0, a.get("weights").getDouble(1, 2, 4), 0.0);

        List<String> params = List.of("query", "keys", "cross.q_weight", "cross.v_bias", "enc.self_attn.k_weight",
                "enc.linear1.weight");
        Map<String, INDArray> ga = grouped.calculateGradients(new HashMap<>(), params);
        Map<String, INDArray> gb = separate.calculateGradients(new HashMap<>(), params);
        for (String p : params) {
            assertTrue(ga.get(p).equalsWithEps(gb.get(p), 1e-10), "gradient of " + p);
        }
    }
}
