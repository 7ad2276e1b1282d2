package org.m3sgg.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.m3sgg.config.ConfigTree;
import picocli.CommandLine.Option;

/** The {@code --config FILE} and {@code --set key=value} options shared by commands that read configs. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", converter = Converters.ExistingFile.class,
            description = "YAML config (its _base_ files are merged in first).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", converter = Converters.KeyValue.class,
            description = "Override a config value, e.g. --set train.epochs=3 (repeatable).")
    List<String> overrides = new ArrayList<>();

    /**
     * The resolved tree: {@code --config} (or {@code defaultFile} when not given) plus the overrides; a section
     * the kit does not have ({@code --set trian.epochs=1}) is refused.
     */
    public ConfigTree resolve(Path defaultFile) {
        Path file = config != null ? config : defaultFile;
        ConfigTree t = file == null ? ConfigTree.empty().with(overrides) : ConfigTree.load(file, overrides);
        t.requireSections(ConfigTree.SECTIONS);
        return t;
    }
}
