package org.m3sgg.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The writer's refusals and the int8 arithmetic. */
class OnnxWriterTest {

    @Test
    void anOpWithoutMappingIsOneLineNamingIt() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        sd.math.cos("y", x.mul(2.0));
        INDArray in = Nd4j.rand(DataType.FLOAT, 2, 3);
        GraphSlice s = new GraphSlice(sd, Set.of("x"), List.of("y"), sd::output);
        assertEquals(List.of("x"), s.inputs());
        Map<String, INDArray> values = new java.util.HashMap<>(sd.output(Map.of("x", in), "y"));
        values.put("x", in);
        for (var op : s.ops()) {
            values.putAll(sd.output(Map.of("x", in), op.getOutputsOfOp()));
        }
        KitException e = assertThrows(KitException.class, () -> OnnxWriter.write(s, values, Map.of(), "t", ""));
        assertTrue(e.getMessage().contains("'cos'") && e.getMessage().contains("no ONNX mapping"), e.getMessage());
    }

    @Test
    void aPlaceholderThePassDoesNotFeedIsNamed() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 3);
        SDVariable z = sd.placeHolder("z", DataType.FLOAT, -1, 3);
        sd.identity("y", x.add(z));
        KitException e = assertThrows(KitException.class,
                () -> new GraphSlice(sd, Set.of("x"), List.of("y"), sd::output));
        assertTrue(e.getMessage().contains("'z'"), e.getMessage());
    }

    @Test
    void int8IsSymmetricPerOutputChannel() {
        INDArray w = Nd4j.createFromArray(new float[][] {{0.5f, -1.0f, 0.25f}, {0.01f, 0.02f, -0.04f}, {0, 0, 0}});
        Int8Weights.Quantized q = Int8Weights.quantize(w);
        assertEquals(1.0 / 127, q.scales().getDouble(0), 1e-9);
        assertEquals(0.04 / 127, q.scales().getDouble(1), 1e-9);
        assertEquals(-127, q.values().getInt(0, 1));
        assertEquals(-127, q.values().getInt(1, 2));
        assertEquals(64, q.values().getInt(0, 0));                 // round(0.5 * 127) = 63.5 -> 64
        INDArray back = q.dequantized(DataType.FLOAT);
        for (int r = 0; r < 3; r++) {
            double half = q.scales().getDouble(r) / 2 + 1e-7;
            assertTrue(back.getRow(r).sub(w.getRow(r)).amaxNumber().doubleValue() <= half, "row " + r);
        }
        assertEquals(0.0, back.getRow(2).amaxNumber().doubleValue());
    }
}
