package org.m3sgg.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.Constraint;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingListener;
import org.m3sgg.train.TrainingResult;

/**
 * Fine-tuning across worlds: STTran trained on one synthetic world seed, then trained for one epoch on a world of
 * another seed, starting from those weights, reaches a higher validation recall after one epoch than training from
 * scratch does after one, and at least what it does after two.
 */
@Tag("slow")
class FineTuneTransferTest {

    private static Path world(Path dir, long seed) {
        WorldConfig cfg = new WorldConfig("transfer", 60, 1, 1, 3, 5, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
        WorldWriter.write(dir.resolve("world-" + seed), cfg, seed, true, false);
        return dir.resolve("world-" + seed);
    }

    private static ConfigTree config(Path world, int epochs, String... extra) {
        List<String> o = new ArrayList<>(List.of("data.path=" + world, "model.feature=16", "model.union_in=4",
                "model.union_out=4", "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2",
                "model.ffn=16", "model.dec_layers=1", "model.classifier_hidden=8", "model.pos_embed=4",
                "train.epochs=" + epochs, "train.lr=1e-3", "train.warmup_steps=0", "train.val_fraction=0.2",
                "train.checkpoint_every=0", "train.log_every=1000", "model.dropout=0.0"));
        o.addAll(List.of(extra));
        return ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), o);
    }

    /** Validation R@20 (with constraint) after every epoch. */
    private static List<Double> curve(Path run, ConfigTree cfg) {
        List<Double> recall = new ArrayList<>();
        Trainer.fromConfig(run, cfg, "sttran", Mode.PREDCLS).addListener(new TrainingListener() {
            @Override
            public void onValidation(Validation v) {
                recall.add(v.result().metric(Constraint.WITH, "R@20"));
            }
        }).run();
        return recall;
    }

    @Test
    void fineTuningRecoversFasterThanTrainingFromScratch(@TempDir Path tmp) throws Exception {
        Path a = world(tmp, 11);
        Path b = world(tmp, 12);
        TrainingResult pre = Trainer.fromConfig(tmp.resolve("pre"), config(a, 6), "sttran", Mode.PREDCLS).run();
        List<Double> scratch = curve(tmp.resolve("scratch"), config(b, 2));
        List<Double> tuned = curve(tmp.resolve("tuned"), config(b, 2, "finetune.init_from=" + pre.bestCheckpoint()));
        System.out.printf("validation R@20 per epoch on world 12: from scratch %s, fine-tuned from world 11 "
                + "(pre-trained there to R@20 %.4f) %s%n", scratch, pre.bestMetric(), tuned);
        assertTrue(Files.isRegularFile(tmp.resolve("tuned").resolve(FineTune.PROVENANCE)));
        assertTrue(tuned.get(0) > scratch.get(0), "after one epoch: fine-tuned " + tuned + " vs scratch " + scratch);
        assertTrue(tuned.get(0) >= scratch.get(1), "one fine-tuned epoch should reach what scratch reaches in two: "
                + tuned + " vs " + scratch);
    }
}
