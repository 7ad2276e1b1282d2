package org.m3sgg.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.SggModel;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;
import org.m3sgg.train.RunData;

/** Checkpoints of randomly initialised quick models on the bundled world, for the deployment tests. */
public final class DeployTesting {

    private DeployTesting() {}

    /** The quick config of {@code model} with {@code overrides}. */
    public static ConfigTree quick(String model, String... overrides) {
        return ConfigTree.load(KitHome.home().resolve("configs/quick/" + model + ".yaml"), List.of(overrides));
    }

    private static Path tiny;

    /** A 14-video synthetic world (16-d features, 4 union channels), written once per JVM. */
    public static synchronized Path tinyWorld() {
        if (tiny == null) {
            try {
                Path dir = Files.createTempDirectory("m3sgg-deploy-world");
                WorldConfig cfg = new WorldConfig("tiny", 14, 1, 1, 3, 5, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04,
                        0.1, 0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
                WorldWriter.write(dir.resolve("world"), cfg, 5, true, false);
                tiny = dir.resolve("world");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }

    /** STTran at tiny widths on {@link #tinyWorld()}, plus {@code extra} overrides. */
    public static ConfigTree tinySttran(String... extra) {
        List<String> o = new ArrayList<>(List.of("data.path=" + tinyWorld(), "model.feature=16",
                "model.union_in=4", "model.union_out=4", "model.pair_fc=8", "model.embedding=4", "model.d_model=32",
                "model.heads=2", "model.ffn=16", "model.dec_layers=1", "model.classifier_hidden=8",
                "model.pos_embed=4", "train.epochs=2", "train.lr=1e-3", "train.warmup_steps=0",
                "train.val_fraction=0.2", "train.checkpoint_every=0", "train.log_every=1", "model.dropout=0.0"));
        o.addAll(List.of(extra));
        return ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), o);
    }

    /** Writes {@code parent/name}: a kit checkpoint of a freshly initialised tiny STTran (seed 3). */
    public static Path checkpoint(Path parent, String name, Mode mode) {
        return checkpoint(parent, name, "sttran", mode, tinySttran());
    }

    /** Writes {@code parent/name}: a kit checkpoint of a freshly initialised {@code model} (seed 3). */
    public static Path checkpoint(Path parent, String name, String model, Mode mode, ConfigTree cfg) {
        SggModel m = ModelRegistry.build(cfg, model, mode, 3);
        RunData data = RunData.of(cfg, mode);
        return Checkpoint.write(parent, name, new Checkpoint.Meta(Checkpoint.FORMAT, model,
                mode.name().toLowerCase(Locale.ROOT), "init", 0, 0, 0, Map.of(), data.fingerprint(),
                null, Map.of(), java.time.Instant.now().toString()),
                cfg, m, null, null);
    }
}
