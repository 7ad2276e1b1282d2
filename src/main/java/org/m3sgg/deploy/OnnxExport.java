package org.m3sgg.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.OnnxMl.ModelProto;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.models.GraphModel;
import org.m3sgg.models.SggModel;
import org.m3sgg.train.Collate;
import org.m3sgg.train.RunData;
import org.m3sgg.train.SgdetCollate;
import org.m3sgg.train.Inference;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A relation model's inference graph as ONNX files. The model's evaluation passes are traced on a few videos (the
 * kit's own collate and host-side preparation run as usual): each distinct pass, named by the outputs it asks for,
 * becomes one ONNX graph ({@link GraphSlice}, {@link OnnxWriter}). What happens between passes on the host
 * (SGCLS relabelling, a model's windows and memories) stays in the kit, so a deployment feeds each file the
 * placeholders the kit prepares.
 *
 * <p>Stages: {@code objects} (SGCLS: the object classifier, output {@code object_logits}), {@code relations} (the
 * pass whose outputs are the three relation distributions) and, for a model with an earlier relation pass (STKET),
 * {@code pass1}, ... in call order. SGDET builds the same graph as SGCLS, so it exports the same way.
 */
public final class OnnxExport {

    public static final String OBJECTS = "objects";
    public static final String RELATIONS = "relations";

    /** One exported pass. */
    public record Stage(String name, List<String> outputs, List<String> inputs, ModelProto model) {

        public byte[] bytes() {
            return model.toByteArray();
        }
    }

    /** Every pass of one model. */
    public record Exported(String model, Mode mode, List<Stage> stages) {

        /** The stage whose outputs are {@code outputs}, or null. */
        public Stage stageFor(List<String> outputs) {
            for (Stage s : stages) {
                if (s.outputs().equals(outputs)) {
                    return s;
                }
            }
            return null;
        }

        /** Total bytes of the ONNX files. */
        public long bytes() {
            long n = 0;
            for (Stage s : stages) {
                n += s.model().getSerializedSize();
            }
            return n;
        }

        /**
         * Writes the {@code relations} stage to {@code file}, every other stage beside it as
         * {@code <file without .onnx>.<stage>.onnx}, and {@code <file without .onnx>.json}: the stages with their
         * files, inputs and outputs (names, types, shapes).
         *
         * @return the files written, the manifest last
         */
        public List<Path> write(Path file) {
            String base = file.getFileName().toString().replaceFirst("\\.onnx$", "");
            List<Path> written = new ArrayList<>();
            List<Map<String, Object>> manifest = new ArrayList<>();
            for (Stage s : stages) {
                Path p = s.name().equals(RELATIONS) ? file : file.resolveSibling(base + "." + s.name() + ".onnx");
                AtomicFiles.write(p, out -> out.write(s.bytes()));
                written.add(p);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("stage", s.name());
                m.put("file", p.getFileName().toString());
                m.put("inputs", describe(s.model().getGraph().getInputList()));
                m.put("outputs", describe(s.model().getGraph().getOutputList()));
                manifest.add(m);
            }
            Map<String, Object> top = new LinkedHashMap<>();
            top.put("model", model);
            top.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
            top.put("opset", OnnxWriter.OPSET);
            top.put("stages", manifest);
            Path json = file.resolveSibling(base + ".json");
            try {
                AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(top) + "\n");
            } catch (IOException e) {
                throw new KitException("cannot write " + json + ": " + e.getMessage(), e);
            }
            written.add(json);
            return written;
        }

        private static List<String> describe(List<onnx.OnnxMl.ValueInfoProto> values) {
            List<String> out = new ArrayList<>();
            for (onnx.OnnxMl.ValueInfoProto v : values) {
                var t = v.getType().getTensorType();
                StringBuilder b = new StringBuilder(v.getName()).append(": ")
                        .append(onnx.OnnxMl.TensorProto.DataType.forNumber(t.getElemType()).name().toLowerCase());
                if (t.hasShape()) {
                    List<String> dims = new ArrayList<>();
                    for (var d : t.getShape().getDimList()) {
                        dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : "?");
                    }
                    b.append(" [").append(String.join(", ", dims)).append("]");
                }
                out.add(b.toString());
            }
            return out;
        }
    }

    private OnnxExport() {}

    /** How many videos with pairs the trace runs (every pass of every kit model shows on the first). */
    static final int TRACE_VIDEOS = 2;

    /**
     * Exports {@code model} by tracing its evaluation passes on the first videos of {@code videos} that have pairs.
     *
     * @param quantized int8 weights to store as such (see {@link Int8Weights#apply}); empty for float
     */
    public static Exported export(SggModel model, List<AgVideo> videos, RunData data,
            Map<String, Int8Weights.Quantized> quantized) {
        if (!(model instanceof GraphModel<?> g)) {
            throw new KitException("export: model '" + model.name() + "' has no graph to export (only SameDiff "
                    + "models do; the frequency baseline is a table)");
        }
        Map<List<String>, ModelProto> traced = new LinkedHashMap<>();
        Map<List<String>, List<String>> inputs = new HashMap<>();
        g.setEngine((ph, outs, own) -> {
            if (!traced.containsKey(outs)) {
                GraphSlice s = new GraphSlice(g.graph(), ph.keySet(), outs, own::apply);
                List<String> names = new ArrayList<>();
                for (SameDiffOp op : s.ops()) {
                    names.addAll(op.getOutputsOfOp());
                }
                Map<String, INDArray> values = new HashMap<>(ph);
                for (Map.Entry<String, INDArray> e : own.apply(ph, names).entrySet()) {
                    values.put(e.getKey(), e.getValue().dup());
                }
                Map<String, Int8Weights.Quantized> q = new LinkedHashMap<>();
                for (Map.Entry<String, Int8Weights.Quantized> e : quantized.entrySet()) {
                    if (s.constants().containsKey(e.getKey())) {
                        q.put(e.getKey(), e.getValue());
                    }
                }
                traced.put(List.copyOf(outs), OnnxWriter.write(s, values, q, model.name(), doc(model, s)));
                inputs.put(List.copyOf(outs), s.inputs());
            }
            return own.apply(ph, outs);
        });
        try {
            int done = 0;
            for (AgVideo video : videos) {
                VideoFeatures f = null;
                Collate.Video v;
                if (model.mode() == Mode.SGDET) {
                    v = SgdetCollate.test(video, data.sgdetVideo(video), data.sgdet());
                } else {
                    f = data.features().video(video.id());
                    v = Collate.of(video, f, model.mode());
                }
                if (v.inputs().numPairs() == 0) {
                    continue;
                }
                Inference.predict(model, v, f, data.features());
                if (++done == TRACE_VIDEOS) {
                    break;
                }
            }
        } finally {
            g.setEngine(null);
        }
        if (traced.isEmpty()) {
            throw new KitException("export: none of the " + videos.size() + " videos has a relation pair to trace");
        }
        List<List<String>> relationPasses = new ArrayList<>();
        for (List<String> outs : traced.keySet()) {
            if (!outs.contains(SggModel.OBJECT_LOGITS)) {
                relationPasses.add(outs);
            }
        }
        List<Stage> stages = new ArrayList<>();
        for (Map.Entry<List<String>, ModelProto> e : traced.entrySet()) {
            List<String> outs = e.getKey();
            String name = outs.contains(SggModel.OBJECT_LOGITS) ? OBJECTS
                    : outs.equals(relationPasses.get(relationPasses.size() - 1)) ? RELATIONS
                    : "pass" + (relationPasses.indexOf(outs) + 1);
            stages.add(new Stage(name, outs, inputs.get(outs), e.getValue()));
        }
        return new Exported(model.name(), model.mode(), stages);
    }

    private static String doc(SggModel model, GraphSlice s) {
        StringBuilder b = new StringBuilder("m3sgg-j ").append(model.name()).append(" (")
                .append(model.mode().name().toLowerCase(java.util.Locale.ROOT)).append(") inputs:");
        for (String in : s.inputs()) {
            SDVariable v = s.graph().getVariable(in);
            b.append(' ').append(in).append(java.util.Arrays.toString(v.getShape()));
        }
        return b.append("; outputs: ").append(String.join(", ", s.outputs())).append("; see docs/DEPLOY.md")
                .toString();
    }
}
