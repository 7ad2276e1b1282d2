package org.m3sgg.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.ModelRegistry;

/**
 * Who a run is: its model, mode, seed and run folder, resolved once from the config and the command line, and
 * written back into the run's {@code config.yaml} ({@code model.name}, {@code run.mode}, {@code run.out},
 * {@code train.seed}) so that {@code --resume} and {@code eval --checkpoint} read it back without repeated flags.
 *
 * @param model  registered model name
 * @param mode   predcls, sgcls (or sgdet)
 * @param seed   {@code train.seed}: initialisation, video order and dropout masks
 * @param runDir the run folder
 */
public record RunSpec(String model, Mode mode, long seed, Path runDir) {

    /** The config section holding the mode and the run folder. */
    public static final String SECTION = "run";
    /** Where runs go when neither the command line nor the config names a folder: {@code runs/MODEL-MODE}. */
    public static final String RUNS = "runs";

    /**
     * The {@code run:} section of a config.
     *
     * @param mode predcls, sgcls or sgdet; absent: predcls
     * @param out  run folder; absent or empty: {@code runs/MODEL-MODE}
     */
    public record Section(String mode, String out) {}

    public RunSpec {
        if (model == null || model.isBlank()) {
            throw new KitException("a run needs a model name");
        }
        if (mode == null) {
            throw new KitException("a run needs a mode");
        }
        if (runDir == null) {
            throw new KitException("a run needs a run folder");
        }
    }

    /**
     * Resolves a new run. Each of {@code model}, {@code mode}, {@code out} (command-line values) may be null: the
     * model is then the config's {@code model.name} (both given and different is an error), the mode the config's
     * {@code run.mode} (else predcls), the folder the config's {@code run.out} (else {@code runs/MODEL-MODE}); the
     * seed is always {@code train.seed} (0 when absent).
     */
    public static RunSpec resolve(ConfigTree config, String model, Mode mode, Path out) {
        Section s = section(config);
        String name = ModelRegistry.resolveName(config, model);
        ModelRegistry.get(name);
        Mode m = mode != null ? mode : s.mode() != null ? parseMode(s.mode(), config) : Mode.PREDCLS;
        Path dir = out != null ? out : s.out() != null && !s.out().isBlank() ? Path.of(s.out())
                : defaultRunDir(name, m);
        return new RunSpec(name, m, seedOf(config), dir);
    }

    /**
     * The identity of the run in {@code runDir}, read back from its {@code config.yaml}. Runs written before the
     * mode was part of the config take it from their newest checkpoint. The folder is {@code runDir} (wherever
     * the run was moved to), not the {@code run.out} it was started with.
     */
    public static RunSpec ofRun(Path runDir) {
        ConfigTree config = savedConfig(runDir);
        Section s = section(config);
        Mode m = s.mode() != null ? parseMode(s.mode(), config)
                : Mode.parse(Checkpoint.readMeta(Trainer.latestCheckpoint(runDir)).mode());
        return new RunSpec(ModelRegistry.resolveName(config, null), m, seedOf(config), runDir);
    }

    /** The resolved config a run in {@code runDir} was started with. */
    public static ConfigTree savedConfig(Path runDir) {
        Path saved = runDir.resolve(Checkpoint.CONFIG);
        if (!Files.isRegularFile(saved)) {
            throw new KitException("nothing to resume: " + saved + " does not exist");
        }
        return ConfigTree.load(saved, List.of());
    }

    /** {@code runs/MODEL-MODE}. */
    public static Path defaultRunDir(String model, Mode mode) {
        return Path.of(RUNS, model + "-" + mode.name().toLowerCase(Locale.ROOT));
    }

    /** The mode as the config and checkpoints spell it: {@code predcls}, {@code sgcls}. */
    public String modeName() {
        return mode.name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code config} with this identity written in: {@code model.name}, {@code run.mode}, {@code run.out},
     * {@code train.seed}.
     */
    public ConfigTree applyTo(ConfigTree config) {
        List<String> o = new ArrayList<>();
        o.add("model.name=" + quote(model));
        o.add(SECTION + ".mode=" + modeName());
        o.add(SECTION + ".out=" + quote(runDir.toString()));
        o.add("train.seed=" + seed);
        return config.with(o);
    }

    /**
     * Checks command-line values given again on a resume (or eval) against the stored identity: null means not
     * given; a different value is an error (a run cannot change model or mode half-way).
     */
    public RunSpec check(String cliModel, Mode cliMode) {
        if (cliModel != null && !cliModel.equals(model)) {
            throw new KitException("--model " + cliModel + " but the run in " + runDir + " trains '" + model
                    + "' (drop --model: it is read from the run's config.yaml)");
        }
        if (cliMode != null && cliMode != mode) {
            throw new KitException("--mode " + cliMode.name().toLowerCase(Locale.ROOT) + " but the run in " + runDir
                    + " was trained in " + modeName() + " mode (drop --mode: it is read from the run's config.yaml)");
        }
        return this;
    }

    private static Section section(ConfigTree config) {
        return config.bind(SECTION, Section.class);
    }

    private static Mode parseMode(String text, ConfigTree config) {
        try {
            return Mode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new KitException("invalid config 'run.mode' " + config.where(SECTION + ".mode") + ": "
                    + e.getMessage());
        }
    }

    private static long seedOf(ConfigTree config) {
        return config.get("train.seed") == null ? 0 : config.get("train.seed").asLong();
    }

    /** A YAML single-quoted scalar: always a string, whatever the characters. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
