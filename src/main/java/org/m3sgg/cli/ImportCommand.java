package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.train.CheckpointImport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code m3sgg import}: an authors' PyTorch checkpoint (STTran, TEMPURA, DSG-DETR) as a kit checkpoint folder. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Turn the authors' released PyTorch checkpoint of STTran, TEMPURA or DSG-DETR into a kit "
                + "checkpoint folder that 'm3sgg eval --checkpoint DIR' scores.",
            "",
            "The model is built from the config (default configs/models/KIND.yaml, the paper widths; --config or "
                + "--set model.KEY=VALUE for other widths) and the checkpoint is loaded strictly: a missing or extra "
                + "key, or a shape that differs from the config's widths, is one error naming the key, and nothing "
                + "is written. The folder is written atomically; its meta.json has kind 'imported' and "
                + "dataset_fingerprint 'imported:FILE:sha256:HEX', its config.yaml the model and mode.",
            "",
            "Example:",
            "  m3sgg import --kind sttran --checkpoint sttran.tar --out runs/sttran-authors",
            "  m3sgg eval --checkpoint runs/sttran-authors --data-path data/ag",
            ""},
        sortOptions = false)
public final class ImportCommand implements Callable<Integer>, Preflight {

    @Spec
    CommandSpec spec;

    @Option(names = "--kind", paramLabel = "KIND", required = true, converter = Converters.ImportKind.class,
            completionCandidates = Converters.ImportKind.class,
            description = "Whose checkpoint: ${COMPLETION-CANDIDATES}.")
    String kind;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, converter = Converters.ExistingFile.class,
            description = "The PyTorch checkpoint (torch.save output, zip or legacy format; TEMPURA's with its "
                    + "state_dict, object_memory and rel_memory).")
    Path checkpoint;

    @Option(names = "--mode", paramLabel = "MODE", converter = Converters.TrainMode.class,
            completionCandidates = Converters.TrainMode.class,
            description = "Mode the checkpoint was trained for: ${COMPLETION-CANDIDATES} (default: the config's "
                    + "run.mode, else predcls).")
    String mode;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--out", paramLabel = "DIR", required = true, converter = Converters.NewDir.class,
            description = "Checkpoint folder to create; it must not exist.")
    Path out;

    private Path defaultConfig() {
        return KitHome.home().resolve("configs/models").resolve(kind + ".yaml");
    }

    private ConfigTree config() {
        ConfigTree config = configOptions.resolve(defaultConfig());
        String inTree = config.getText("model.name", null);
        if (inTree != null && !inTree.equals(kind)) {
            throw new org.m3sgg.api.KitException("--kind " + kind + " but the config's model.name is '" + inTree
                    + "' " + config.where("model.name"));
        }
        return config;
    }

    private Mode resolvedMode(ConfigTree config) {
        if (mode != null) {
            return Mode.parse(mode);
        }
        String m = config.getText("run.mode", null);
        return m == null ? Mode.PREDCLS : Mode.parse(m);
    }

    /** The config and its overrides, bound before the checkpoint is read. */
    @Override
    public void preflight() {
        ConfigCheck.overridesIn(configOptions.overrides, ConfigCheck.RUN_SECTIONS);
        ConfigTree config = config();
        ConfigCheck.run(config, kind);
        if (resolvedMode(config) == Mode.SGDET) {
            throw new org.m3sgg.api.KitException("import supports predcls and sgcls");
        }
    }

    @Override
    public Integer call() {
        ConfigTree config = config();
        Mode m = resolvedMode(config);
        Path dir = CheckpointImport.run(kind, checkpoint, m, config, out);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("imported %s %s from %s -> %s%n", kind, m.name().toLowerCase(java.util.Locale.ROOT), checkpoint,
                dir);
        w.flush();
        return 0;
    }
}
