package org.m3sgg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.train.DataConfig;
import org.m3sgg.train.RunSpec;
import org.m3sgg.train.TrainConfig;

/**
 * Binds every config section a command reads, up front, so that a wrong {@code --set} key or value, or a bad
 * {@code --config} file, is reported (naming the key or file) before any data is loaded or any training starts.
 */
final class ConfigCheck {

    /** The sections a training run reads. */
    static final Set<String> RUN_SECTIONS = Set.of(ModelRegistry.MODEL_SECTION, "train", "data", "eval",
            RunSpec.SECTION, org.m3sgg.deploy.FineTune.SECTION);

    private ConfigCheck() {}

    /**
     * {@code --set} keys must lie in one of {@code sections} (a key elsewhere would be silently ignored).
     */
    static void overridesIn(List<String> overrides, Set<String> sections) {
        for (String ov : overrides) {
            int eq = ov.indexOf('=');
            String key = (eq < 0 ? ov : ov.substring(0, eq)).trim();
            String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (!sections.contains(section) || !key.contains(".")) {
                throw new KitException("--set " + ov + ": unknown config key '" + key + "'; this command reads the "
                        + "sections " + String.join(", ", new TreeSet<>(sections)) + " (keys like "
                        + new TreeSet<>(sections).first() + ".KEY)");
            }
        }
    }

    /**
     * Binds a run's sections: the model's (the model named by {@code model} or {@code model.name}), train, data,
     * eval and run; an existing-folder check for {@code data.path}.
     */
    static void run(ConfigTree config, String model) {
        String inTree = config.getText(ModelRegistry.MODEL_SECTION + "." + ModelRegistry.NAME_KEY, null);
        if (model == null && inTree != null && !ModelRegistry.all().containsKey(inTree)) {
            throw new KitException("unknown model.name '" + inTree + "' " + config.where("model.name")
                    + "; valid models: " + String.join(", ", ModelRegistry.all().keySet()));
        }
        String name = ModelRegistry.resolveName(config, model);
        ModelRegistry.get(name).bindConfig(config);
        config.bind("train", TrainConfig.class);
        DataConfig data = config.bind("data", DataConfig.class);
        config.bind("eval", EvaluatorConfig.class);
        org.m3sgg.deploy.FineTune.of(config);
        RunSpec.resolve(config, model, null, null); // the run: section (mode, folder)
        if (data.path() != null && !Files.isDirectory(Path.of(data.path()))) {
            throw new KitException("data.path '" + data.path() + "' " + config.where("data.path")
                    + ": no such folder");
        }
    }
}
