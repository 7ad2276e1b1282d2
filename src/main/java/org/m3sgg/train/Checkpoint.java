package org.m3sgg.train;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.api.Messages;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A checkpoint is a folder, written under a temporary name and renamed into place (so a killed run never leaves a
 * half-written one):
 * <pre>
 *   meta.json       model, mode, kind, epoch, step, metrics, dataset fingerprint, versions, git commit
 *   config.yaml     the run's resolved config (the model is rebuilt from its model: section)
 *   params.npz      every parameter and buffer of {@link SggModel#state()} (float32 .npy entries)
 *   optimizer.npz   resumable checkpoints: AdamW's moments (m/NAME, v/NAME)
 *   trainer.json    resumable checkpoints: where the loop stands (epoch, step, lr, scheduler, history)
 * </pre>
 * The 2 GB limit of SameDiff's own FlatBuffers save does not apply: each array is its own zip entry.
 */
public final class Checkpoint {

    public static final String FORMAT = "m3sgg-checkpoint/1";
    public static final String META = "meta.json";
    public static final String CONFIG = "config.yaml";
    public static final String PARAMS = "params.npz";
    public static final String OPTIMIZER = "optimizer.npz";
    public static final String TRAINER = "trainer.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param kind          {@code resume} (mid-run, with optimiser and loop state) or {@code best} (parameters only)
     * @param epoch         0-based epoch the loop is in (resume) or that produced the parameters (best)
     * @param stepInEpoch   steps of that epoch already taken
     * @param globalStep    optimiser updates so far
     */
    public record Meta(String format, String model, String mode, String kind, int epoch, int stepInEpoch,
            long globalStep, Map<String, Double> metrics, String datasetFingerprint, String gitCommit,
            Map<String, String> versions, String created) {}

    /** A checkpoint opened with its model rebuilt and its parameters loaded. */
    public record Loaded(Path dir, Meta meta, ConfigTree config, SggModel model) {}

    private Checkpoint() {}

    /** Writes {@code parent/name} atomically; {@code optimizer} and {@code trainerState} may be null. */
    public static Path write(Path parent, String name, Meta meta, ConfigTree config, SggModel model, AdamW optimizer,
            Object trainerState) {
        Path dir = parent.resolve(name);
        try {
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + name + ".tmp");
            Npz.write(tmp.resolve(PARAMS), toNpz(model.state()));
            if (optimizer != null) {
                Npz.write(tmp.resolve(OPTIMIZER), toNpz(optimizer.exportState()));
            }
            if (trainerState != null) {
                AtomicFiles.writeString(tmp.resolve(TRAINER), JSON.writeValueAsString(trainerState) + "\n");
            }
            config.write(tmp.resolve(CONFIG));
            AtomicFiles.writeString(tmp.resolve(META), JSON.writeValueAsString(meta) + "\n");
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            return dir;
        } catch (IOException e) {
            throw new KitException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    public static Meta readMeta(Path dir) {
        Path file = dir.resolve(META);
        if (!Files.isRegularFile(file)) {
            throw new KitException("not a checkpoint: " + dir + " has no " + META);
        }
        try {
            Meta m = JSON.readValue(file.toFile(), Meta.class);
            if (!FORMAT.equals(m.format())) {
                throw new KitException(file + ": format '" + m.format() + "', expected " + FORMAT);
            }
            if (m.model() == null || !ModelRegistry.all().containsKey(m.model())) {
                throw new KitException(file + ": model '" + m.model() + "', expected one of "
                        + String.join(", ", ModelRegistry.all().keySet()));
            }
            if (m.mode() == null || !List.of("predcls", "sgcls", "sgdet").contains(m.mode().toLowerCase(java.util.Locale.ROOT))) {
                throw new KitException(file + ": mode '" + m.mode() + "', expected predcls, sgcls or sgdet");
            }
            if (m.datasetFingerprint() == null || m.kind() == null) {
                throw new KitException(file + ": " + (m.kind() == null ? "kind" : "dataset_fingerprint")
                        + " is missing");
            }
            return m;
        } catch (IOException e) {
            throw new KitException(file + ": unreadable checkpoint metadata: " + oneLine(e), e);
        }
    }

    /**
     * Rebuilds the checkpoint's model from its config and loads its parameters. {@code expectModel} /
     * {@code expectMode} (null: any) guard against loading the wrong kind of checkpoint.
     */
    public static Loaded open(Path dir, String expectModel, Mode expectMode) {
        Meta meta = readMeta(dir);
        check(dir, meta, expectModel, expectMode);
        ConfigTree config = ConfigTree.load(dir.resolve(CONFIG), List.of());
        long seed = config.get("train.seed") == null ? 0 : config.get("train.seed").asLong();
        SggModel model = ModelRegistry.build(config, meta.model(), Mode.parse(meta.mode()), seed);
        loadParams(dir, model);
        return new Loaded(dir, meta, config, model);
    }

    /** Loads the parameters into an existing model, after checking its name and mode against the metadata. */
    public static Meta loadParams(Path dir, SggModel model) {
        Meta meta = readMeta(dir);
        check(dir, meta, model.name(), model.mode());
        Path params = dir.resolve(PARAMS);
        if (!Files.isRegularFile(params)) {
            throw new KitException("checkpoint " + dir + " has no " + PARAMS + " (its parameters)");
        }
        model.loadState(fromNpz(Npz.read(params), params), params.toString());
        return meta;
    }

    /** Restores AdamW's moments and step count from a resumable checkpoint. */
    public static void loadOptimizer(Path dir, AdamW optimizer, long steps) {
        Path file = dir.resolve(OPTIMIZER);
        if (!Files.isRegularFile(file)) {
            throw new KitException("checkpoint " + dir + " has no " + OPTIMIZER + ": it is not resumable");
        }
        try {
            optimizer.restoreState(fromNpz(Npz.read(file), file), steps);
        } catch (IllegalArgumentException e) {
            throw new KitException(file + ": " + e.getMessage(), e);
        }
    }

    public static <T> T readTrainerState(Path dir, Class<T> type) {
        Path file = dir.resolve(TRAINER);
        if (!Files.isRegularFile(file)) {
            throw new KitException("checkpoint " + dir + " has no " + TRAINER + ": it is not resumable");
        }
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new KitException(file + ": unreadable trainer state: " + oneLine(e), e);
        }
    }

    /** Jackson's message without its multi-line source excerpt, with the position when known. */
    private static String oneLine(IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? Messages.json(j, null)
                : Messages.firstLine(String.valueOf(e.getMessage()));
    }

    private static void check(Path dir, Meta meta, String expectModel, Mode expectMode) {
        if (expectModel != null && !expectModel.equals(meta.model())) {
            throw new KitException("checkpoint " + dir + " holds a '" + meta.model() + "' model, not '" + expectModel
                    + "'");
        }
        if (expectMode != null && !expectMode.name().equalsIgnoreCase(meta.mode())) {
            throw new KitException("checkpoint " + dir + " was trained in " + meta.mode().toLowerCase()
                    + " mode, not " + expectMode.name().toLowerCase() + " (the " + meta.model()
                    + " graph and its inputs differ between modes)");
        }
    }

    static Map<String, NdArray> toNpz(Map<String, INDArray> arrays) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
            INDArray a = e.getValue();
            int[] shape = Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
            INDArray c = a.dup('c');
            out.put(e.getKey(), a.dataType() == DataType.DOUBLE ? NdArray.of(c.data().asDouble(), shape)
                    : NdArray.of(c.castTo(DataType.FLOAT).data().asFloat(), shape));
        }
        return out;
    }

    static Map<String, INDArray> fromNpz(Map<String, NdArray> arrays, Path file) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
            NdArray a = e.getValue();
            if (a.dtype() != NdArray.DType.F4 && a.dtype() != NdArray.DType.F8) {
                throw new KitException(file + ": '" + e.getKey() + "' is " + a.dtype().descr
                        + ", expected float32 or float64 parameters");
            }
            long[] shape = Arrays.stream(a.shape()).asLongStream().toArray();
            INDArray x = a.dtype() == NdArray.DType.F8 ? Nd4j.createFromArray(a.doubles())
                    : Nd4j.createFromArray(a.floats());
            out.put(e.getKey(), shape.length == 0 ? x.reshape() : x.reshape('c', shape));
        }
        return out;
    }

    /** Deletes a folder and everything in it (nothing when absent). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
