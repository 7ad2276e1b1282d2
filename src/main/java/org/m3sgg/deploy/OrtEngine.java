package org.m3sgg.deploy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.m3sgg.api.KitException;
import org.m3sgg.models.GraphModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a model's evaluation passes on ONNX Runtime: installed with {@link GraphModel#setEngine}, each pass the
 * model asks for is answered by the exported stage with the same outputs, fed the placeholders the kit prepared.
 * With {@code compare} the model's own SameDiff pass runs too and the largest absolute difference of every output
 * is kept ({@link #maxDifferences()}); the model continues with ONNX Runtime's values either way.
 */
public final class OrtEngine implements GraphModel.Engine, AutoCloseable {

    private final OnnxExport.Exported exported;
    private final OrtEnvironment env;
    private final Map<String, OrtSession> sessions = new LinkedHashMap<>();
    private final boolean compare;
    private final Map<String, Double> maxDiff = new LinkedHashMap<>();
    private long ortNanos;
    private int runs;

    public OrtEngine(OnnxExport.Exported exported, boolean compare) {
        this.exported = exported;
        this.compare = compare;
        this.env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "m3sgg");
        try {
            for (OnnxExport.Stage s : exported.stages()) {
                OrtSession.SessionOptions o = new OrtSession.SessionOptions();
                o.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
                o.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
                sessions.put(s.name(), env.createSession(s.bytes(), o));
            }
        } catch (OrtException e) {
            close();
            throw new KitException("ONNX Runtime refused the exported " + exported.model() + " graph: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Map<String, INDArray> run(Map<String, INDArray> placeholders, List<String> outputs,
            BiFunction<Map<String, INDArray>, List<String>, Map<String, INDArray>> own) {
        OnnxExport.Stage stage = exported.stageFor(outputs);
        if (stage == null) {
            throw new KitException("ONNX: the exported " + exported.model() + " has no stage with outputs "
                    + outputs);
        }
        Map<String, INDArray> out = run(stage, placeholders);
        if (compare) {
            Map<String, INDArray> mine = own.apply(placeholders, outputs);
            for (String name : outputs) {
                INDArray a = mine.get(name).castTo(DataType.DOUBLE);
                INDArray b = out.get(name).castTo(DataType.DOUBLE);
                double d = a.length() == 0 ? 0 : a.sub(b).amaxNumber().doubleValue();
                maxDiff.merge(name, d, Math::max);
            }
        }
        return out;
    }

    /** One stage on ONNX Runtime; {@code placeholders} may hold more than the stage's inputs. */
    public Map<String, INDArray> run(OnnxExport.Stage stage, Map<String, INDArray> placeholders) {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (String in : stage.inputs()) {
                INDArray a = placeholders.get(in);
                if (a == null) {
                    throw new KitException("ONNX stage '" + stage.name() + "' needs input '" + in + "', which the "
                            + "pass did not prepare");
                }
                feed.put(in, tensor(a));
            }
            long t0 = System.nanoTime();
            try (OrtSession.Result r = sessions.get(stage.name()).run(feed)) {
                ortNanos += System.nanoTime() - t0;
                runs++;
                Map<String, INDArray> out = new LinkedHashMap<>();
                for (String name : stage.outputs()) {
                    out.put(name, array((OnnxTensor) r.get(name).orElseThrow()));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new KitException("ONNX Runtime failed on stage '" + stage.name() + "': " + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxValue::close);
        }
    }

    /** Largest absolute difference to SameDiff per output (with {@code compare}). */
    public Map<String, Double> maxDifferences() {
        return maxDiff;
    }

    /** Seconds spent inside ONNX Runtime's run calls, and their count. */
    public double ortSeconds() {
        return ortNanos / 1e9;
    }

    public int runs() {
        return runs;
    }

    private OnnxTensor tensor(INDArray a) throws OrtException {
        INDArray c = a.dup('c');
        long[] shape = c.shape();
        int n = (int) c.length();
        INDArray flat = c.reshape(n);
        return switch (c.dataType()) {
            case FLOAT -> OnnxTensor.createTensor(env, FloatBuffer.wrap(flat.toFloatVector()), shape);
            case DOUBLE -> OnnxTensor.createTensor(env, DoubleBuffer.wrap(flat.toDoubleVector()), shape);
            case INT -> OnnxTensor.createTensor(env, IntBuffer.wrap(flat.toIntVector()), shape);
            case LONG -> OnnxTensor.createTensor(env, LongBuffer.wrap(flat.toLongVector()), shape);
            default -> throw new KitException("ONNX: placeholders of type " + c.dataType() + " are not supported");
        };
    }

    private static INDArray array(OnnxTensor t) {
        long[] shape = t.getInfo().getShape();
        return switch (t.getInfo().type) {
            case FLOAT -> {
                FloatBuffer b = t.getFloatBuffer();
                float[] v = new float[b.remaining()];
                b.get(v);
                yield Nd4j.create(v, shape, 'c');
            }
            case DOUBLE -> {
                DoubleBuffer b = t.getDoubleBuffer();
                double[] v = new double[b.remaining()];
                b.get(v);
                yield Nd4j.create(v, shape, 'c');
            }
            default -> throw new KitException("ONNX: outputs of type " + t.getInfo().type + " are not supported");
        };
    }

    @Override
    public void close() {
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                // a session that cannot be closed has nothing left to release here
            }
        }
        sessions.clear();
    }
}
