package org.m3sgg.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldGenerator;
import org.m3sgg.synth.WorldWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code m3sgg data generate}: writes the synthetic Action Genome world (annotations + features). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate the synthetic Action Genome world: annotations in the released layout, feature "
            + "files and world.json. Written into a temporary folder, then renamed to --out.",
            "The bundled datasets/synthetic-ag is 'small' with the default seed."})
public final class DataGenerateCommand implements Callable<Integer>, Preflight {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, converter = Converters.OutDir.class,
            description = "folder to create (must not exist unless --force)")
    Path out;

    @Option(names = "--preset", defaultValue = "small", converter = Converters.Preset.class,
            completionCandidates = Converters.Preset.class,
            description = "${COMPLETION-CANDIDATES}: small (~120 videos, bundled) or ag-scale (~9,600 videos, "
                    + "~288,000 frames); default ${DEFAULT-VALUE}")
    String preset;

    @Option(names = "--seed", defaultValue = "" + WorldGenerator.BUNDLED_SEED, description = "random seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--no-features", description = "write the annotations only (no features/ folder)")
    boolean noFeatures;

    @Option(names = "--detections", description = "also write the SGDET detections folder (detections/: painted "
            + "feature maps, the world's box head, the synthetic detector's boxes; datasets/README.md)")
    boolean detections;

    @Option(names = "--force", description = "replace --out if it exists")
    boolean force;

    @Mixin
    ConfigOptions config = new ConfigOptions();

    /** The world config (preset or --config, with the overrides) binds, and --out is free unless --force. */
    @Override
    public void preflight() {
        ConfigCheck.overridesIn(config.overrides, Set.of("world"));
        worldConfig();
        if (Files.exists(out) && !force) {
            throw new KitException("--out " + out + " already exists: choose another --out, remove it "
                    + "or pass --force");
        }
    }

    private WorldConfig worldConfig() {
        ConfigTree tree = config.config != null ? config.resolve(null)
                : ConfigTree.of("world", WorldConfig.preset(preset), "preset " + preset).with(config.overrides);
        return tree.bind("world", WorldConfig.class);
    }

    @Override
    public Integer call() {
        // --config FILE (a YAML with a 'world:' section, e.g. configs/data/synthetic-small.yaml) replaces the
        // preset; --set world.videos=200 overrides either
        ConfigTree tree = config.config != null ? config.resolve(null)
                : ConfigTree.of("world", WorldConfig.preset(preset), "preset " + preset).with(config.overrides);
        tree.requireSections(java.util.List.of("world"));
        WorldConfig cfg = tree.bind("world", WorldConfig.class);
        long t0 = System.nanoTime();
        WorldWriter.Summary s = WorldWriter.write(out, cfg, seed, !noFeatures, detections, force);
        double secs = (System.nanoTime() - t0) / 1e9;
        spec.commandLine().getOut().printf("wrote %s (preset %s, seed %d, features %s, detections %s) in %.1f s%n",
                s.out(), cfg.preset(), seed, noFeatures ? "no" : "yes", detections ? "yes" : "no", secs);
        for (Map.Entry<String, Object> e : s.counts().entrySet()) {
            spec.commandLine().getOut().printf("  %-22s %s%n", e.getKey(), e.getValue());
        }
        return 0;
    }
}
