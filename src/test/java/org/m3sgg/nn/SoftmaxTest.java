package org.m3sgg.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SoftmaxTest {

    @Test
    void rowsOfLargeNegativeScoresGetTheirProbabilities() {
        // every entry below -745: exp underflows to 0 for all of them unless the row is shifted first
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.constant("x", Nd4j.create(new double[] {-800, -801, -5e6, -1e9}, new long[] {1, 1, 1, 4}));
        INDArray p = Softmax.of(sd, x, 3).eval();
        double e = Math.exp(-1);
        assertEquals(1 / (1 + e), p.getDouble(0), 1e-15);
        assertEquals(e / (1 + e), p.getDouble(1), 1e-15);
        assertEquals(0.0, p.getDouble(2), 0.0);
        assertEquals(0.0, p.getDouble(3), 0.0);
    }

    @Test
    void ordinaryRowsGiveTheOpsValuesAndGradients() {
        INDArray base = Nd4j.rand(DataType.DOUBLE, 3, 5).subi(0.5).muli(8);
        INDArray w = Nd4j.rand(DataType.DOUBLE, 3, 5);
        Map<String, INDArray> grads = new java.util.HashMap<>();
        INDArray[] values = new INDArray[2];
        for (int i = 0; i < 2; i++) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", base.dup());
            SDVariable p = i == 0 ? Softmax.of(sd, x, 1) : sd.nn().softmax(x, 1);
            sd.setLossVariables(sd.sum("loss", p.mul(sd.constant(w))));
            Quiet.createGradFunction(sd);
            values[i] = p.eval();
            grads.put("g" + i, sd.calculateGradients(Map.of(), List.of("x")).get("x"));
        }
        assertTrue(values[0].equalsWithEps(values[1], 1e-15));
        assertTrue(grads.get("g0").equalsWithEps(grads.get("g1"), 1e-15));
    }
}
