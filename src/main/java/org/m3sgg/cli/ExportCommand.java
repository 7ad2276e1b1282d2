package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.train.RunSpec;
import org.m3sgg.train.TensorExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code m3sgg export}: the tensors, split, epoch orders and initial weights of a run, for another framework. */
@Command(name = "export", mixinStandardHelpOptions = true, subcommands = ExportOnnxCommand.class,
        description = "Write what 'train' would feed the model (per-video .npz inputs and targets, the train/val/test "
                + "split, every epoch's video order) and the initialised model as a kit checkpoint, so that another "
                + "framework can train on the same tensors (tools/torch-reference/).")
public final class ExportCommand implements Callable<Integer>, Preflight {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", converter = Converters.ModelName.class,
            completionCandidates = Converters.ModelName.class,
            description = "Registered model: ${COMPLETION-CANDIDATES} (default: the config's model.name, else sttran).")
    String model;

    @Option(names = "--mode", paramLabel = "MODE", converter = Converters.FeatureMode.class,
            completionCandidates = Converters.FeatureMode.class,
            description = "${COMPLETION-CANDIDATES} (default: the config's run.mode, else predcls).")
    String mode;

    @Option(names = "--data-path", paramLabel = "DIR", converter = Converters.ExistingDir.class,
            description = "Action Genome folder (default: the bundled "
            + "synthetic world).")
    Path dataPath;

    @Mixin
    ConfigOptions configOptions;

    // not required by the parser: 'export onnx' has its own --out (checked in preflight for 'export' itself)
    @Option(names = "--out", paramLabel = "DIR", converter = Converters.OutDir.class,
            description = "Output folder (required).")
    Path out;

    /** The config the export would use, bound section by section before any data is read. */
    @Override
    public void preflight() {
        if (spec.commandLine().getParseResult() != null && spec.commandLine().getParseResult().subcommand() != null) {
            return;
        }
        ConfigCheck.overridesIn(configOptions.overrides, ConfigCheck.RUN_SECTIONS);
        ConfigTree config = configOptions.resolve(KitHome.home().resolve("configs/quick")
                .resolve((model != null ? model : "sttran") + ".yaml"));
        if (dataPath != null) {
            config = config.with(List.of("data.path=" + dataPath.toAbsolutePath()));
        }
        ConfigCheck.run(config, model);
        if (out == null) {
            throw new KitException("Missing required option: '--out=DIR'");
        }
    }

    @Override
    public Integer call() {
        String defName = model != null ? model : "sttran";
        if (configOptions.config == null) {
            ModelRegistry.get(defName);
        }
        Path def = KitHome.home().resolve("configs/quick").resolve(defName + ".yaml");
        ConfigTree config = configOptions.resolve(def);
        if (dataPath != null) {
            config = config.with(List.of("data.path=" + dataPath.toAbsolutePath()));
        }
        RunSpec run = RunSpec.resolve(config, model, mode == null ? null : Mode.parse(mode), out);
        if (run.mode() == Mode.SGDET) {
            throw new KitException("export supports predcls and sgcls");
        }
        TensorExport.Summary s = TensorExport.write(out, run.applyTo(config), run);
        PrintWriter w = spec.commandLine().getOut();
        w.printf("exported %s %s: %d training, %d validation, %d test videos, %d epochs of %d steps -> %s%n",
                run.model(), run.modeName(), s.train(), s.val(), s.test(), s.epochs(), s.stepsPerEpoch(), s.out());
        w.flush();
        return 0;
    }
}
