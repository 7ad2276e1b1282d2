package org.m3sgg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;

/** A 14-video synthetic world (16-d features, 4 union channels) written once per JVM, and a tiny STTran config. */
final class TinyWorld {

    private static Path dir;

    private TinyWorld() {}

    static synchronized Path path() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("m3sgg-tiny-world");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            WorldConfig cfg = new WorldConfig("tiny", 14, 1, 1, 3, 5, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                    0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
            WorldWriter.write(dir.resolve("world"), cfg, 5, true, false);
            dir = dir.resolve("world");
        }
        return dir;
    }

    /** The quick STTran config at tiny widths on the tiny world, plus {@code extra} overrides. */
    static ConfigTree config(String... extra) {
        List<String> o = new ArrayList<>(List.of("data.path=" + path(), "model.feature=16", "model.union_in=4",
                "model.union_out=4", "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2",
                "model.ffn=16", "model.dec_layers=1", "model.classifier_hidden=8", "model.pos_embed=4",
                "train.epochs=2", "train.lr=1e-3", "train.warmup_steps=0", "train.val_fraction=0.2",
                "train.checkpoint_every=0", "train.log_every=1", "model.dropout=0.0"));
        o.addAll(List.of(extra));
        return ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), o);
    }
}
