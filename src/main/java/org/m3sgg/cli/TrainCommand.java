package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.ObjectLabelStats;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.train.Baselines;
import org.m3sgg.train.SgdetCeiling;
import org.m3sgg.train.ConsoleProgress;
import org.m3sgg.train.RunSpec;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code m3sgg train}: trains a registered model, then scores it on the test split next to the frequency baseline. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model (default config: configs/quick/MODEL.yaml on the bundled world), select it on "
                + "held-out training videos, score it once on the test split next to the frequency baseline.")
public final class TrainCommand implements Callable<Integer>, Preflight {

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", converter = Converters.ModelName.class,
            completionCandidates = Converters.ModelName.class, description = "Registered model: "
            + "${COMPLETION-CANDIDATES} (default: the config's model.name, else sttran).")
    String model;

    @Option(names = "--mode", paramLabel = "MODE", converter = Converters.TrainMode.class,
            completionCandidates = Converters.TrainMode.class,
            description = "${COMPLETION-CANDIDATES} (default: the config's run.mode, else predcls; a resumed run keeps "
                    + "its own). sgdet trains on detections (data.detections: the synthetic world's detector, or a detections folder).")
    String mode;

    @Option(names = "--data-path", paramLabel = "DIR", converter = Converters.ExistingDir.class,
            description = "Action Genome folder (sets data.path; default: "
            + "the bundled synthetic world).")
    Path dataPath;

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--out", paramLabel = "DIR", converter = Converters.OutDir.class,
            description = "Run folder (default: the config's run.out, else runs/MODEL-MODE).")
    Path out;

    @Option(names = "--init-from", paramLabel = "CKPT", converter = Converters.AnyPath.class,
            description = "Fine-tune: start from these weights with a fresh optimiser (a kit checkpoint folder, a run "
                    + "folder, or an authors' PyTorch checkpoint file, imported on the way); the run records the "
                    + "source in init.json and config.yaml (finetune.init_from).")
    Path initFrom;

    @Option(names = "--freeze", paramLabel = "PREFIX", converter = Converters.NonBlank.class,
            description = "Fine-tune: leave the parameters whose names start with PREFIX out of the optimiser (e.g. "
                    + "object_classifier.); repeatable.")
    List<String> freeze = new ArrayList<>();

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint, with its own "
            + "config, model and mode.")
    boolean resume;

    /**
     * The config a new run would use, bound section by section (model, train, data, eval) before any data is read;
     * a resume reads the run's own config and is checked by {@link #call()}.
     */
    @Override
    public void preflight() {
        if (resume) {
            if (initFrom != null || !freeze.isEmpty()) {
                throw new KitException("--resume continues with the run's own weights: drop --init-from and --freeze");
            }
            return;
        }
        if (initFrom != null && !Files.exists(initFrom)) {
            throw new KitException("--init-from " + initFrom + ": does not exist");
        }
        ConfigCheck.overridesIn(configOptions.overrides, ConfigCheck.RUN_SECTIONS);
        String name = model != null ? model : "sttran";
        Path def = KitHome.home().resolve("configs/quick").resolve(name + ".yaml");
        if (configOptions.config == null && !Files.isRegularFile(def)) {
            throw new KitException("no default config " + def + " for --model " + name + ": pass --config");
        }
        ConfigTree config = configOptions.resolve(def);
        if (dataPath != null) {
            config = config.with(List.of("data.path=" + dataPath.toAbsolutePath()));
        }
        ConfigCheck.run(fineTuning(config), model);
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Mode cliMode = mode == null ? null : Mode.parse(mode);
        Trainer trainer = resume ? resumed(cliMode) : started(cliMode);
        RunSpec run = trainer.spec();
        trainer.addListener(new ConsoleProgress(w, ConsoleProgress.isTerminal(), trainer.trainConfig().logEvery()));
        TrainingResult r = resume ? trainer.resume() : trainer.run();
        if (r.interrupted()) {
            w.println("interrupted at step " + r.globalStep() + ": continue with --resume --out " + run.runDir());
            w.flush();
            return 1;
        }
        Mode m = run.mode();
        String name = run.model();
        Path runDir = run.runDir();
        ConfigTree config = trainer.config();

        EvaluationResult freq = Baselines.frequency(trainer.data(), m, config.bind("eval", EvaluatorConfig.class));
        Map<String, EvaluationResult> table = new LinkedHashMap<>();
        table.put("frequency", freq);
        table.put(name, r.test());
        w.println();
        w.printf(Locale.ROOT, "== test split (%s, %d videos, %d frames; scores in %%)%n", m.name().toLowerCase(Locale.ROOT),
                trainer.data().test().size(), r.test().frames());
        ScoreTable.compare(w, table);
        if (m != Mode.PREDCLS) {
            ObjectLabelStats o = ObjectLabelStats.of(runDir.resolve("test.predictions.json"));
            w.printf(Locale.ROOT, "objects: top-1 accuracy %.2f%% of %d, label consistency %.2f%% of %d consecutive "
                    + "appearances (%s)%n", 100 * o.accuracy(), o.objects(), 100 * o.consistency(), o.transitions(),
                    Trainer.OBJECT_STATS);
        }
        if (m == Mode.SGDET) {
            SgdetCeiling c = SgdetCeiling.of(trainer.data(), trainer.data().test());
            w.printf(Locale.ROOT, "detections: the pipeline's boxes cover %.2f%% of the %d ground-truth boxes at IoU 0.5 "
                    + "(%.2f%% with the right label); %.2f%% of the %d relations have both boxes covered (%.2f%% with "
                    + "the right labels): the ceiling of recall with constraint%n", 100 * c.boxRecall(), c.boxes(),
                    100 * c.labelledRecall(), 100 * c.relationCeiling(), c.relations(), 100 * c.labelledCeiling());
        }
        w.println();
        w.println("run folder: " + runDir + " (test.scores.json, test.predictions.json, history.csv, best checkpoint "
                + r.bestCheckpoint().getFileName() + ")");
        w.flush();
        return 0;
    }

    /** A new run: the config (--config, else configs/quick/MODEL.yaml) and overrides, then the run's identity. */
    private Trainer started(Mode cliMode) {
        String defName = model != null ? model : "sttran";
        Path def = KitHome.home().resolve("configs/quick").resolve(defName + ".yaml");
        if (configOptions.config == null) {
            ModelRegistry.get(defName);
            if (!Files.isRegularFile(def)) {
                throw new KitException("no default config " + def + " for model '" + defName + "': pass --config");
            }
        }
        ConfigTree config = configOptions.resolve(def);
        if (dataPath != null) {
            config = config.with(List.of("data.path=" + dataPath.toAbsolutePath()));
        }
        config = fineTuning(config);
        return Trainer.fromConfig(RunSpec.resolve(config, model, cliMode, out), config);
    }

    /** --init-from and --freeze as the config's finetune: keys (so that config.yaml records them). */
    private ConfigTree fineTuning(ConfigTree config) {
        List<String> o = new ArrayList<>();
        if (initFrom != null) {
            o.add("finetune.init_from=" + initFrom.toAbsolutePath().normalize());
        }
        if (!freeze.isEmpty()) {
            o.add("finetune.freeze=[" + String.join(", ", freeze) + "]");
        }
        return o.isEmpty() ? config : config.with(o);
    }

    /**
     * The run in --out (default: runs/MODEL-MODE of the flags given), with the model, mode, seed and config it
     * was started with; --model and --mode, when given, must agree with them.
     */
    private Trainer resumed(Mode cliMode) {
        Path runDir = out != null ? out
                : RunSpec.defaultRunDir(model != null ? model : "sttran", cliMode != null ? cliMode : Mode.PREDCLS);
        if (configOptions.config != null || !configOptions.overrides.isEmpty() || dataPath != null) {
            throw new KitException("--resume continues with the run's own " + runDir.resolve("config.yaml")
                    + ": drop --config, --set and --data-path");
        }
        RunSpec.ofRun(runDir).check(model, cliMode);
        return Trainer.ofRun(runDir);
    }
}
