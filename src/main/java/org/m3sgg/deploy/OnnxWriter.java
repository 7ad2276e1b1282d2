package org.m3sgg.deploy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import onnx.OnnxMl;
import onnx.OnnxMl.AttributeProto;
import onnx.OnnxMl.GraphProto;
import onnx.OnnxMl.ModelProto;
import onnx.OnnxMl.NodeProto;
import onnx.OnnxMl.TensorProto;
import onnx.OnnxMl.TensorShapeProto;
import onnx.OnnxMl.TypeProto;
import onnx.OnnxMl.ValueInfoProto;
import org.m3sgg.api.KitException;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.BaseReduceOp;
import org.nd4j.linalg.api.ops.BaseScalarOp;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.protobuf.ByteString;

/**
 * Writes a {@link GraphSlice} as an ONNX model (opset {@link #OPSET}): placeholders become graph inputs, parameters
 * and folded values initializers, and every SameDiff op one or more ONNX nodes. Ops without an ONNX counterpart are
 * decomposed into ones that have: {@code rsqrt} as {@code Reciprocal(Sqrt)}, {@code diag} as an identity matrix
 * times the row vector, {@code im2col} as a grouped {@code Conv} with one-hot kernels (each output channel copies
 * one input pixel of the patch, so the values are the same numbers). An op the writer does not know is a
 * {@link KitException} naming it; nothing is dropped.
 *
 * <p>Optionally the weights named in {@code quantized} are stored as int8 with one float scale per output channel
 * (symmetric, zero point 0) and a {@code DequantizeLinear} node in front of their use: the QDQ form ONNX Runtime
 * runs.
 */
public final class OnnxWriter {

    /** The ONNX operator set the files declare. */
    public static final int OPSET = 17;
    /** ONNX IR version of opset 17. */
    static final int IR_VERSION = 8;

    private final GraphSlice slice;
    private final Map<String, INDArray> values;
    private final Map<String, Int8Weights.Quantized> quantized;
    private final GraphProto.Builder g = GraphProto.newBuilder();
    private int counter;

    /**
     * @param values    a sample value of every input and op output of the slice (their types and ranks decide some
     *                  mappings; their batch sizes do not matter)
     * @param quantized weights to store as int8 (by variable name), empty for a float model
     */
    private OnnxWriter(GraphSlice slice, Map<String, INDArray> values, Map<String, Int8Weights.Quantized> quantized) {
        this.slice = slice;
        this.values = values;
        this.quantized = quantized;
    }

    /** The ONNX model of {@code slice}; {@code doc} is its documentation string. */
    public static ModelProto write(GraphSlice slice, Map<String, INDArray> values,
            Map<String, Int8Weights.Quantized> quantized, String graphName, String doc) {
        OnnxWriter w = new OnnxWriter(slice, values, quantized);
        w.g.setName(graphName);
        w.build();
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("m3sgg-j")
                .setDocString(doc).addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("")
                        .setVersion(OPSET))
                .setGraph(w.g).build();
    }

    private void build() {
        for (String in : slice.inputs()) {
            SDVariable v = slice.graph().getVariable(in);
            long[] shape = v.getShape();
            g.addInput(valueInfo(in, v.dataType(), shape));
        }
        for (Map.Entry<String, INDArray> e : slice.constants().entrySet()) {
            Int8Weights.Quantized q = quantized.get(e.getKey());
            if (q == null) {
                g.addInitializer(tensor(e.getKey(), e.getValue()));
            } else {
                // stored transposed, [in, out] with the scales on axis 1, and read by the product as it is: ONNX
                // Runtime 1.28's optimiser gave wrong values for a per-axis DequantizeLinear followed by a Transpose
                // (the verification caught it); other readers get the [out, in] weight through a Transpose
                String k = e.getKey();
                g.addInitializer(tensor(k + "_int8", q.values().transpose()));
                g.addInitializer(tensor(k + "_scale", q.scales()));
                g.addInitializer(tensor(k + "_zero", Nd4j.zeros(DataType.INT8, q.scales().length())));
                node("DequantizeLinear", List.of(k + "_int8", k + "_scale", k + "_zero"), List.of(transposed(k)),
                        attr("axis", 1));
                node("Transpose", List.of(transposed(k)), List.of(k), ints("perm", 1, 0));
            }
        }
        for (SameDiffOp op : slice.ops()) {
            map(op);
        }
        for (String out : slice.outputs()) {
            String src = slice.source(out);
            if (!src.equals(out)) {
                node("Identity", List.of(src), List.of(out));
            }
            DataType t = slice.constants().containsKey(src) ? slice.constants().get(src).dataType()
                    : values.get(src).dataType();
            g.addOutput(ValueInfoProto.newBuilder().setName(out).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(onnxType(t)))));
        }
    }

    // ---- ops -------------------------------------------------------------------------------------------------------

    private void map(SameDiffOp op) {
        DifferentialFunction f = op.getOp();
        String kind = f.opName();
        List<String> in = new ArrayList<>();
        for (String i : op.getInputsToOp()) {
            in.add(slice.source(i));
        }
        List<String> out = op.getOutputsOfOp();
        String x = in.get(0);
        String y = out.get(0);
        switch (kind) {
            case "add" -> node("Add", in, out);
            case "subtract" -> node("Sub", in, out);
            case "multiply" -> node("Mul", in, out);
            case "divide", "realdiv" -> node("Div", in, out);
            case "reversesubtract" -> node("Sub", List.of(in.get(1), x), out);
            case "reversedivide" -> node("Div", List.of(in.get(1), x), out);
            case "maximum" -> node("Max", in, out);
            case "minimum" -> node("Min", in, out);
            case "add_scalar" -> node("Add", List.of(x, scalar(f, x)), out);
            case "sub_scalar" -> node("Sub", List.of(x, scalar(f, x)), out);
            case "mul_scalar" -> node("Mul", List.of(x, scalar(f, x)), out);
            case "div_scalar" -> node("Div", List.of(x, scalar(f, x)), out);
            case "rsub_scalar" -> node("Sub", List.of(scalar(f, x), x), out);
            case "rdiv_scalar" -> node("Div", List.of(scalar(f, x), x), out);
            case "pow" -> node("Pow", List.of(x, scalar(f, x)), out);
            case "identity" -> node("Identity", in, out);
            case "sigmoid" -> node("Sigmoid", in, out);
            case "tanh" -> node("Tanh", in, out);
            case "log" -> node("Log", in, out);
            case "exp" -> node("Exp", in, out);
            case "sqrt" -> node("Sqrt", in, out);
            case "abs" -> node("Abs", in, out);
            case "neg" -> node("Neg", in, out);
            case "floor" -> node("Floor", in, out);
            case "rsqrt" -> node("Reciprocal", List.of(tmp("Sqrt", List.of(x))), out);
            case "relu" -> {
                if (((BaseScalarOp) f).scalar().getDouble(0) != 0) {
                    throw unmapped(op, "a cutoff other than 0");
                }
                node("Relu", in, out);
            }
            case "softmax" -> node("Softmax", in, out, attr("axis", iArgs(f).length > 0 ? iArgs(f)[0] : -1));
            case "concat" -> node("Concat", in, out, attr("axis", iArgs(f)[0]));
            case "permute", "transpose" -> node("Transpose", List.of(x), out, ints("perm", intsOf(op, f)));
            case "reshape" -> {
                long[] shape = intsOf(op, f);
                boolean zero = Arrays.stream(shape).anyMatch(s -> s == 0);
                node("Reshape", List.of(x, longs(shape)), out, attr("allowzero", zero ? 1 : 0));
            }
            case "expand_dims" -> node("Unsqueeze", List.of(x, longs(iArgs(f)[0])), out);
            case "reduce_mean", "reduce_sum", "reduce_max" -> {
                BaseReduceOp r = (BaseReduceOp) f;
                long[] dims = r.dimensions() == null ? new long[0] : r.dimensions().toLongVector();
                String onnx = switch (kind) {
                    case "reduce_mean" -> "ReduceMean";
                    case "reduce_max" -> "ReduceMax";
                    default -> "ReduceSum";
                };
                if (kind.equals("reduce_sum")) {
                    node(onnx, List.of(x, longs(dims)), out, attr("keepdims", r.isKeepDims() ? 1 : 0));
                } else {
                    node(onnx, List.of(x), out, ints("axes", dims), attr("keepdims", r.isKeepDims() ? 1 : 0));
                }
            }
            case "matmul" -> matmul(op, f, in, y);
            case "diag" -> {
                long c = values.get(x).length();
                String row = tmp("Unsqueeze", List.of(x, longs(0L)));
                node("Mul", List.of(constant(Nd4j.eye(c).castTo(values.get(x).dataType())), row), out);
            }
            case "pad" -> {
                long[] pads = slice.constants().get(slice.source(op.getInputsToOp().get(1))).castTo(DataType.LONG)
                        .dup('c').reshape(-1).toLongVector();
                int rank = pads.length / 2;
                long[] onnxPads = new long[pads.length];
                for (int i = 0; i < rank; i++) {
                    onnxPads[i] = pads[2 * i];
                    onnxPads[rank + i] = pads[2 * i + 1];
                }
                if (iArgs(f).length > 0 && iArgs(f)[0] != 0) {
                    throw unmapped(op, "a padding mode other than constant");
                }
                node("Pad", List.of(x, longs(onnxPads), constant(Nd4j.scalar(values.get(x).dataType(),
                        ((CustomOp) f).tArgs()[0]))), out, str("mode", "constant"));
            }
            case "maxpool2d" -> {
                long[] a = iArgs(f);              // kH kW sH sW pH pW dH dW same extra nhwc
                if (a[8] != 0 || (a.length > 10 && a[10] != 0)) {
                    throw unmapped(op, "SAME padding or NHWC layout");
                }
                node("MaxPool", List.of(x), out, ints("kernel_shape", a[0], a[1]), ints("strides", a[2], a[3]),
                        ints("pads", a[4], a[5], a[4], a[5]), ints("dilations", a[6], a[7]));
            }
            case "im2col" -> im2col(op, f, x, y);
            case "cast" -> node("Cast", in.subList(0, 1), out,
                    attr("to", onnxType(((CustomOp) f).dArgs()[0])));
            default -> throw unmapped(op, null);
        }
    }

    private void matmul(SameDiffOp op, DifferentialFunction f, List<String> in, String y) {
        long[] a = iArgs(f);
        double[] t = ((CustomOp) f).tArgs();
        if (t.length > 0 && (t[0] != 1.0 || (t.length > 1 && t[1] != 0.0))) {
            throw unmapped(op, "alpha/beta other than 1/0");
        }
        String x1 = in.get(0);
        String x2 = in.get(1);
        if (a.length > 0 && a[0] != 0) {
            x1 = tmp("Transpose", List.of(x1), ints("perm", lastTwoSwapped(rank(x1))));
        }
        if (a.length > 1 && a[1] != 0) {
            x2 = quantized.containsKey(x2) ? transposed(x2)
                    : tmp("Transpose", List.of(x2), ints("perm", lastTwoSwapped(rank(x2))));
        }
        if (a.length > 2 && a[2] != 0) {
            String z = tmp("MatMul", List.of(x1, x2));
            node("Transpose", List.of(z), List.of(y), ints("perm", lastTwoSwapped(values.get(y).rank())));
        } else {
            node("MatMul", List.of(x1, x2), List.of(y));
        }
    }

    /**
     * ND4J's im2col ([N, C, H, W] to [N, C, kH, kW, oH, oW]) as a grouped convolution with one-hot kernels: output
     * channel {@code c kH kW + i kW + j} of group {@code c} has a single 1 at kernel position (i, j).
     */
    private void im2col(SameDiffOp op, DifferentialFunction f, String x, String y) {
        long[] a = iArgs(f);                      // kH kW sH sW pH pW dH dW same
        if (a[8] != 0) {
            throw unmapped(op, "SAME padding");
        }
        int kh = (int) a[0];
        int kw = (int) a[1];
        INDArray xs = values.get(x);
        int c = (int) xs.size(1);
        INDArray w = Nd4j.zeros(xs.dataType(), (long) c * kh * kw, 1, kh, kw);
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    w.putScalar(new long[] {(long) ch * kh * kw + (long) i * kw + j, 0, i, j}, 1.0);
                }
            }
        }
        String conv = tmp("Conv", List.of(x, constant(w)), attr("group", c), ints("kernel_shape", kh, kw),
                ints("strides", a[2], a[3]), ints("pads", a[4], a[5], a[4], a[5]), ints("dilations", a[6], a[7]));
        long[] ys = values.get(y).shape();
        node("Reshape", List.of(conv, longs(0, c, kh, kw, ys[4], ys[5])), List.of(y));
    }

    /** The name of a quantized weight's dequantized [in, out] form. */
    private static String transposed(String weight) {
        return weight + "/T";
    }

    private static long[] lastTwoSwapped(int rank) {
        long[] p = new long[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = i;
        }
        p[rank - 1] = rank - 2;
        p[rank - 2] = rank - 1;
        return p;
    }

    private int rank(String name) {
        INDArray v = slice.constants().containsKey(name) ? slice.constants().get(name) : values.get(name);
        return v.rank();
    }

    /** The op's integer arguments, or the values of its constant second input (reshape, permute). */
    private long[] intsOf(SameDiffOp op, DifferentialFunction f) {
        if (op.getInputsToOp().size() > 1) {
            INDArray c = slice.constants().get(slice.source(op.getInputsToOp().get(1)));
            if (c == null) {
                throw unmapped(op, "a shape computed from an input");
            }
            return c.castTo(DataType.LONG).toLongVector();
        }
        long[] a = iArgs(f);
        if (f.opName().equals("reshape") && a.length > 0 && (a[0] == -'c' || a[0] == -'f')) {
            if (a[0] == -'f') {
                throw unmapped(op, "Fortran order");
            }
            return Arrays.copyOfRange(a, 1, a.length);
        }
        return a;
    }

    private static long[] iArgs(DifferentialFunction f) {
        return f instanceof CustomOp c ? c.iArgs() : new long[0];
    }

    /** The scalar of a scalar op as a constant of the input's type. */
    private String scalar(DifferentialFunction f, String x) {
        double v = ((BaseScalarOp) f).scalar().getDouble(0);
        return constant(Nd4j.scalar(typeOf(x), v));
    }

    private DataType typeOf(String name) {
        INDArray v = slice.constants().containsKey(name) ? slice.constants().get(name) : values.get(name);
        return v.dataType();
    }

    private static KitException unmapped(SameDiffOp op, String what) {
        return new KitException("export: SameDiff op '" + op.getOp().opName() + "' (" + op.getName() + ") "
                + (what == null ? "has no ONNX mapping in org.m3sgg.deploy.OnnxWriter" : "with " + what
                        + " has no ONNX mapping"));
    }

    // ---- proto helpers -------------------------------------------------------------------------------------------

    private void node(String type, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(type).setName(type + "_" + counter++)
                .addAllInput(inputs).addAllOutput(outputs);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
    }

    /** A node with one fresh output; returns its name. */
    private String tmp(String type, List<String> inputs, AttributeProto... attrs) {
        String name = "_onnx/" + type + "_" + counter;
        node(type, inputs, List.of(name), attrs);
        return name;
    }

    private String constant(INDArray value) {
        String name = "_onnx/const_" + counter++;
        g.addInitializer(tensor(name, value));
        return name;
    }

    private String longs(long... v) {
        return constant(Nd4j.createFromArray(v));
    }

    private static AttributeProto attr(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto str(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    private static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    static ValueInfoProto valueInfo(String name, DataType type, long[] shape) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        if (shape != null) {
            for (int i = 0; i < shape.length; i++) {
                s.addDim(shape[i] >= 0 ? TensorShapeProto.Dimension.newBuilder().setDimValue(shape[i])
                        : TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_dim" + i));
            }
        }
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(onnxType(type));
        if (shape != null) {
            t.setShape(s);
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }

    static int onnxType(DataType t) {
        return switch (t) {
            case FLOAT -> TensorProto.DataType.FLOAT_VALUE;
            case DOUBLE -> TensorProto.DataType.DOUBLE_VALUE;
            case INT -> TensorProto.DataType.INT32_VALUE;
            case LONG -> TensorProto.DataType.INT64_VALUE;
            case BYTE -> TensorProto.DataType.INT8_VALUE;
            case BOOL -> TensorProto.DataType.BOOL_VALUE;
            default -> throw new KitException("export: data type " + t + " has no ONNX mapping here");
        };
    }

    /** A little-endian raw tensor. */
    static TensorProto tensor(String name, INDArray value) {
        INDArray a = value.dup('c');
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(onnxType(a.dataType()));
        for (long d : a.shape()) {
            t.addDims(d);
        }
        int n = (int) a.length();
        ByteBuffer b;
        switch (a.dataType()) {
            case FLOAT -> {
                b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : a.reshape(n).toFloatVector()) {
                    b.putFloat(v);
                }
            }
            case DOUBLE -> {
                b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (double v : a.reshape(n).toDoubleVector()) {
                    b.putDouble(v);
                }
            }
            case INT -> {
                b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (int v : a.reshape(n).toIntVector()) {
                    b.putInt(v);
                }
            }
            case LONG -> {
                b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
                for (long v : a.reshape(n).toLongVector()) {
                    b.putLong(v);
                }
            }
            case BYTE -> {
                b = ByteBuffer.allocate(n);
                for (int v : a.reshape(n).toIntVector()) {
                    b.put((byte) v);
                }
            }
            case BOOL -> {
                b = ByteBuffer.allocate(n);
                for (double v : a.reshape(n).castTo(DataType.DOUBLE).toDoubleVector()) {
                    b.put((byte) (v != 0 ? 1 : 0));
                }
            }
            default -> throw new KitException("export: data type " + a.dataType() + " has no ONNX mapping here");
        }
        b.flip();
        return t.setRawData(ByteString.copyFrom(b)).build();
    }
}
