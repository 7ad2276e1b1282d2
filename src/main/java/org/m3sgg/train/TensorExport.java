package org.m3sgg.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes what the {@link Trainer} would feed a model, so that another framework can train on exactly the same
 * tensors and hand its weights back as a kit checkpoint (see {@code tools/torch-reference/}):
 * <pre>
 *   OUT/export.json        model, mode, the config's model and train sections, the train/val/test video ids,
 *                          the training order of every epoch (the Trainer's seeded shuffle) and steps per epoch
 *   OUT/videos/ID.npz      one video: features [N,F] f4, boxes [N,4] f8 (x1,y1,x2,y2), box_frame [N], labels [N],
 *                          frame_box [T+1], pairs [P,2], pair_frame [P], union [P,C,7,7] f4, masks [P,2,27,27] f4,
 *                          attention [P], spatial [P,S] and contacting [P,K] multi-hot f4; SGCLS adds
 *                          distribution [N,classes-1] f4 and object_labels [N]
 *   OUT/init/              a kit checkpoint of the model as the Trainer initialises it from train.seed
 * </pre>
 * Integer arrays are int32. Nothing here runs a model or scores anything.
 */
public final class TensorExport {

    /** What was written. */
    public record Summary(Path out, int train, int val, int test, int epochs, int stepsPerEpoch) {}

    public static final String INIT = "init";

    private TensorExport() {}

    /**
     * Exports the run the config describes (data, split, seed) for {@code modelName} (null: the config's
     * {@code model.name}) in {@code mode} (null: the config's {@code run.mode}, else predcls).
     */
    public static Summary write(Path out, ConfigTree config, String modelName, Mode mode) {
        RunSpec spec = RunSpec.resolve(config, modelName, mode, out);
        return write(out, spec.applyTo(config), spec);
    }

    /** Exports the run of {@code spec} (its folder is not used: nothing is trained) to {@code out}. */
    public static Summary write(Path out, ConfigTree config, RunSpec spec) {
        String modelName = spec.model();
        Mode mode = spec.mode();
        RunData data = RunData.of(config, mode);
        TrainConfig t = config.bind("train", TrainConfig.class);
        int stepsPerEpoch = data.stepsPerEpoch(t.videosPerStep());
        try {
            Files.createDirectories(out.resolve("videos"));
            for (List<AgVideo> part : List.of(data.train(), data.val(), data.test())) {
                for (AgVideo v : part) {
                    Collate.Video c = Collate.of(v, data.features().video(v.id()), mode);
                    Path file = out.resolve("videos").resolve(v.id() + ".npz");
                    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                    Npz.write(tmp, arrays(c, mode));
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
            SggModel model = ModelRegistry.build(config, modelName, mode, spec.seed());
            Checkpoint.write(out, INIT, new Checkpoint.Meta(Checkpoint.FORMAT, modelName,
                    mode.name().toLowerCase(java.util.Locale.ROOT), INIT, 0, 0, 0, Map.of(), data.fingerprint(),
                    Trainer.Provenance.gitCommit(), Trainer.Provenance.versions(), java.time.Instant.now().toString()),
                    config, model, null, null);

            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = json.createObjectNode();
            root.put("model", modelName);
            root.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
            root.put("fingerprint", data.fingerprint());
            root.set("model_config", config.get("model"));
            root.set("train_config", config.get("train"));
            root.put("steps_per_epoch", stepsPerEpoch);
            root.set("train", ids(json, data.train()));
            root.set("val", ids(json, data.val()));
            root.set("test", ids(json, data.test()));
            ArrayNode orders = root.putArray("epoch_orders");
            for (int e = 0; e < t.epochs(); e++) {
                orders.add(ids(json, data.epochOrder(spec.seed(), e)));
            }
            AtomicFiles.writeString(out.resolve("export.json"), json.writeValueAsString(root) + "\n");
            return new Summary(out, data.train().size(), data.val().size(), data.test().size(), t.epochs(),
                    stepsPerEpoch);
        } catch (IOException e) {
            throw new KitException("cannot write the export under " + out + ": " + e.getMessage(), e);
        }
    }

    private static ArrayNode ids(ObjectMapper json, List<AgVideo> videos) {
        ArrayNode a = json.createArrayNode();
        videos.forEach(v -> a.add(v.id()));
        return a;
    }

    static Map<String, NdArray> arrays(Collate.Video c, Mode mode) {
        RelationInputs in = c.inputs();
        RelationTargets tg = c.targets();
        int n = in.numBoxes();
        int p = in.numPairs();
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("features", floats(in.features()));
        double[] boxes = new double[n * 4];
        for (int i = 0; i < n; i++) {
            System.arraycopy(in.boxes()[i], 0, boxes, 4 * i, 4);
        }
        m.put("boxes", NdArray.of(boxes, n, 4));
        m.put("box_frame", NdArray.of(in.boxFrame().clone(), n));
        m.put("labels", NdArray.of(in.labels().clone(), n));
        m.put("frame_box", NdArray.of(c.frameBox().clone(), c.frameBox().length));
        int[] pairs = new int[p * 2];
        for (int i = 0; i < p; i++) {
            pairs[2 * i] = in.pairs()[i][0];
            pairs[2 * i + 1] = in.pairs()[i][1];
        }
        m.put("pairs", NdArray.of(pairs, p, 2));
        m.put("pair_frame", NdArray.of(in.pairFrame().clone(), p));
        m.put("union", floats(in.unionFeatures()));
        m.put("masks", floats(in.spatialMasks()));
        m.put("attention", NdArray.of(tg.attention().clone(), p));
        m.put("spatial", multiHot(tg.spatial(), org.m3sgg.data.Vocabulary.NUM_SPATIAL));
        m.put("contacting", multiHot(tg.contacting(), org.m3sgg.data.Vocabulary.NUM_CONTACTING));
        if (mode == Mode.SGCLS) {
            m.put("distribution", floats(in.distribution()));
            m.put("object_labels", NdArray.of(tg.objectLabels().clone(), n));
        }
        return m;
    }

    private static NdArray floats(INDArray a) {
        int[] shape = java.util.Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
        return NdArray.of(a.dup('c').castTo(DataType.FLOAT).data().asFloat(), shape);
    }

    private static NdArray multiHot(int[][] rows, int classes) {
        float[] out = new float[rows.length * classes];
        for (int i = 0; i < rows.length; i++) {
            for (int k : rows[i]) {
                if (k < 0 || k >= classes) {
                    throw new KitException("relation targets: class " + k + " outside 0.." + (classes - 1));
                }
                out[i * classes + k] = 1f;
            }
        }
        return NdArray.of(out, rows.length, classes);
    }
}
