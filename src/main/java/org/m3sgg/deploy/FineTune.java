package org.m3sgg.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.models.SggModel;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.CheckpointImport;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Fine-tuning, the {@code finetune:} section of a run's config: a new run starts from another checkpoint's weights
 * ({@code init_from}: a kit checkpoint folder, a run folder (its selected checkpoint), or an authors' PyTorch
 * checkpoint file, imported on the way as {@code bin/m3sgg import} would) with a fresh optimiser, on whatever data
 * and mode the run's config names; parameters whose names start with a {@code freeze} prefix are not optimised. A
 * pruned source ({@link Pruning#MASKS} beside its parameters) keeps its masks: they are re-applied after every
 * step, and kept in the run folder so that a resumed run and its checkpoints keep them too.
 *
 * <p>Where the weights came from is recorded in the run folder as {@value #PROVENANCE} (source folder, its model,
 * mode, dataset fingerprint, epoch and kind; how many parameters were copied and which were left at their fresh
 * initialisation because the source has no value of that name and shape, e.g. PredCLS weights into an SGCLS model
 * whose object classifier the source never had) and in {@code config.yaml} ({@code finetune.init_from}).
 */
public final class FineTune {

    public static final String SECTION = "finetune";
    public static final String PROVENANCE = "init.json";

    /**
     * @param initFrom where the initial weights come from (null: a run from scratch)
     * @param freeze   parameter name prefixes left out of the optimiser (e.g. {@code object_classifier.})
     */
    public record Config(String initFrom, List<String> freeze) {

        public Config {
            freeze = freeze == null ? List.of() : List.copyOf(freeze);
            if (initFrom != null && initFrom.isBlank()) {
                initFrom = null;
            }
            for (String f : freeze) {
                if (f == null || f.isBlank()) {
                    throw new KitException("finetune.freeze: empty prefix");
                }
            }
        }
    }

    private final Config config;
    private Map<String, INDArray> masks;

    private FineTune(Config config) {
        this.config = config;
    }

    /** The run's {@code finetune:} section (absent: a plain run). */
    public static FineTune of(ConfigTree tree) {
        return new FineTune(tree.bind(SECTION, Config.class));
    }

    public Config config() {
        return config;
    }

    /**
     * A new run: loads the initial weights and masks into {@code model} and records them in {@code runDir}.
     * Nothing happens for a run without {@code init_from}.
     */
    public void initialise(SggModel model, Path runDir, ConfigTree runConfig) {
        if (config.initFrom() == null) {
            trainable(model);           // checks the freeze prefixes
            return;
        }
        Path src = Path.of(config.initFrom()).toAbsolutePath().normalize();
        if (!Files.exists(src)) {
            throw new KitException("finetune.init_from '" + config.initFrom() + "': no such file or folder");
        }
        String kind = "kit";
        Path dir = src;
        if (Files.isRegularFile(src)) {
            if (!CheckpointImport.KINDS.contains(model.name())) {
                throw new KitException("finetune.init_from " + src + " is a file (a PyTorch checkpoint), but model '"
                        + model.name() + "' has no importer; importable: " + String.join(", ", CheckpointImport.KINDS));
            }
            dir = CheckpointImport.run(model.name(), src, model.mode(), runConfig, runDir.resolve("init-imported"));
            kind = "imported";
        } else if (!Files.isRegularFile(dir.resolve(Checkpoint.META))
                && Files.isRegularFile(dir.resolve(org.m3sgg.train.Trainer.BEST))) {
            try {
                dir = dir.resolve(Files.readString(dir.resolve(org.m3sgg.train.Trainer.BEST)).trim());
            } catch (IOException e) {
                throw new KitException("finetune.init_from " + src + ": " + e.getMessage(), e);
            }
        }
        Checkpoint.Loaded source = Checkpoint.open(dir, null, null);
        if (!source.meta().model().equals(model.name())) {
            throw new KitException("finetune.init_from " + dir + " holds a " + source.meta().model()
                    + " checkpoint; this run trains " + model.name());
        }
        Map<String, INDArray> theirs = source.model().state();
        Map<String, INDArray> mine = model.state();
        List<String> fresh = new ArrayList<>();
        int copied = 0;
        for (Map.Entry<String, INDArray> e : mine.entrySet()) {
            INDArray v = theirs.get(e.getKey());
            String alias = v == null ? model.initAlias(e.getKey()) : null;
            if (alias != null) {
                v = theirs.get(alias);
            }
            if (v != null && Arrays.equals(v.shape(), e.getValue().shape())) {
                e.getValue().assign(v.castTo(e.getValue().dataType()));
                copied++;
            } else {
                fresh.add(e.getKey());
            }
        }
        if (copied == 0) {
            throw new KitException("finetune.init_from " + dir + ": no parameter of this " + model.name()
                    + " model has a value of the same name and shape there (other widths?)");
        }
        masks = findMasks(dir);
        if (masks != null) {
            Pruning.apply(model, masks);
            Pruning.write(runDir.resolve(Pruning.MASKS), masks);
        }
        List<String> frozen = new ArrayList<>(model.trainableParameters());
        frozen.removeAll(trainable(model));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("init_from", src.toString());
        p.put("kind", kind);
        p.put("checkpoint", dir.toString());
        p.put("source_model", source.meta().model());
        p.put("source_mode", source.meta().mode());
        p.put("source_kind", source.meta().kind());
        p.put("source_epoch", source.meta().epoch());
        p.put("source_dataset_fingerprint", source.meta().datasetFingerprint());
        p.put("source_git_commit", source.meta().gitCommit());
        p.put("copied_parameters", copied);
        p.put("fresh_parameters", fresh);
        p.put("frozen_parameters", frozen);
        p.put("pruning_masks", masks == null ? 0 : masks.size());
        p.put("sparsity", Pruning.sparsity(model));
        try {
            Files.createDirectories(runDir);
            AtomicFiles.writeString(runDir.resolve(PROVENANCE), new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(p) + "\n");
        } catch (IOException e) {
            throw new KitException("cannot write " + runDir.resolve(PROVENANCE) + ": " + e.getMessage(), e);
        }
    }

    /** A resumed run: the masks it started with (its weights come from its own checkpoint). */
    public void restore(SggModel model, Path runDir) {
        masks = Pruning.read(runDir.resolve(Pruning.MASKS));
        if (masks != null) {
            Pruning.apply(model, masks);
        }
    }

    /** The parameters the optimiser updates: the model's, less the frozen prefixes (each must match one). */
    public List<String> trainable(SggModel model) {
        List<String> out = new ArrayList<>(model.trainableParameters());
        for (String prefix : config.freeze()) {
            boolean any = out.removeIf(n -> n.startsWith(prefix));
            if (!any) {
                List<String> names = model.trainableParameters();
                throw new KitException("finetune.freeze '" + prefix + "' matches no parameter of this "
                        + model.name() + " model (names look like " + names.get(0) + ", "
                        + names.get(names.size() - 1) + ")");
            }
        }
        if (out.isEmpty()) {
            throw new KitException("finetune.freeze leaves no parameter to train");
        }
        return out;
    }

    /** After every optimiser step: pruned weights back to zero. */
    public void afterStep(SggModel model) {
        if (masks != null) {
            Pruning.apply(model, masks);
        }
    }

    /** The masks of a checkpoint folder, or of the run folder it lies in. */
    private static Map<String, INDArray> findMasks(Path checkpointDir) {
        Path p = checkpointDir;
        for (int up = 0; up < 3 && p != null; up++, p = p.getParent()) {
            Map<String, INDArray> m = Pruning.read(p.resolve(Pruning.MASKS));
            if (m != null) {
                return m;
            }
        }
        return null;
    }
}
