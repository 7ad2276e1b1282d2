package org.m3sgg.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.models.SggModel;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Post-training int8 quantization of the linear layers' weights: symmetric, one scale per output channel
 * ({@code scale = max |w_row| / 127}, {@code q = round(w / scale)} in -127..127, zero point 0). Activations stay
 * float (weight-only quantization): the kit runs the dequantized weights {@code q * scale}, and the ONNX file
 * stores {@code q} as int8 with a {@code DequantizeLinear} in front of the product, which ONNX Runtime computes
 * to the same float weights.
 *
 * <p>A linear layer's weight is what the graph shows as one: a rank-2 trainable variable that a matrix product
 * reads, transposed, as its second operand ({@code x W^T}, {@link org.m3sgg.nn.Linear} and the attention
 * projections). Embedding tables, position codes and convolutions are left in float.
 */
public final class Int8Weights {

    /** int8 values [out, in] and float scales [out]. */
    public record Quantized(INDArray values, INDArray scales) {

        /** {@code q * scale} row by row, in {@code type}. */
        public INDArray dequantized(DataType type) {
            INDArray w = values.castTo(DataType.FLOAT);
            w.muliColumnVector(scales.reshape(scales.length(), 1));
            return w.castTo(type);
        }
    }

    private Int8Weights() {}

    /** Names of the model's linear-layer weights, in the graph's parameter order. */
    public static List<String> linearWeights(SggModel model) {
        SameDiff sd = model.graph();
        List<String> out = new ArrayList<>();
        for (String p : model.trainableParameters()) {
            var v = sd.getVariable(p);
            if (v.getVariableType() != VariableType.VARIABLE || v.getArr().rank() != 2) {
                continue;
            }
            for (String opName : sd.getVariables().get(p).getInputsForOp() == null ? List.<String>of()
                    : sd.getVariables().get(p).getInputsForOp()) {
                SameDiffOp op = sd.getOps().get(opName);
                if (op.getOp().opName().equals("matmul") && op.getInputsToOp().size() == 2
                        && op.getInputsToOp().get(1).equals(p) && op.getOp() instanceof CustomOp c
                        && c.iArgs().length > 1 && c.iArgs()[1] != 0) {
                    out.add(p);
                    break;
                }
            }
        }
        return out;
    }

    /** Symmetric per-row int8 quantization of a [out, in] weight. */
    public static Quantized quantize(INDArray w) {
        double[][] rows = w.castTo(DataType.DOUBLE).toDoubleMatrix();
        int out = rows.length;
        int in = out == 0 ? 0 : rows[0].length;
        byte[] q = new byte[out * in];
        float[] scales = new float[out];
        for (int r = 0; r < out; r++) {
            double max = 0;
            for (double v : rows[r]) {
                max = Math.max(max, Math.abs(v));
            }
            float s = max == 0 ? 1f : (float) (max / 127.0);
            scales[r] = s;
            for (int c = 0; c < in; c++) {
                long v = Math.round(rows[r][c] / s);
                q[r * in + c] = (byte) Math.max(-127, Math.min(127, v));
            }
        }
        return new Quantized(Nd4j.createFromArray(q).reshape(out, in), Nd4j.createFromArray(scales));
    }

    /**
     * Quantizes every linear weight of {@code model} and writes the dequantized values into the model (it then runs
     * as the int8 model does).
     *
     * @return the quantized weights by name, for the ONNX file
     */
    public static Map<String, Quantized> apply(SggModel model) {
        Map<String, Quantized> out = new LinkedHashMap<>();
        for (String p : linearWeights(model)) {
            INDArray w = model.graph().getVariable(p).getArr();
            Quantized q = quantize(w);
            w.assign(q.dequantized(w.dataType()));
            out.put(p, q);
        }
        return out;
    }
}
