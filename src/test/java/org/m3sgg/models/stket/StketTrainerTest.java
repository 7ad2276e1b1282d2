package org.m3sgg.models.stket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingListener;
import org.m3sgg.train.TrainingResult;

/** STKET through the kit's Trainer on a tiny synthetic world: priors counted, loss down, checkpoint carries them. */
@Tag("slow")
class StketTrainerTest {

    @Test
    void trainsOnATinyWorldWithCountedPriors(@TempDir Path tmp) {
        WorldConfig world = new WorldConfig("tiny", 14, 1, 1, 3, 5, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
        WorldWriter.write(tmp.resolve("world"), world, 5, true, false);
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/stket.yaml"), List.of(
                "data.path=" + tmp.resolve("world"), "model.feature=16", "model.union_in=4", "model.union_out=4",
                "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2", "model.ffn=16",
                "model.dec_layers=1", "model.ensemble_layers=1", "model.classifier_hidden=8", "model.pos_embed=4",
                "train.epochs=3", "train.lr=3e-3", "train.warmup_steps=0", "train.val_fraction=0.2",
                "train.checkpoint_every=0", "train.log_every=1"));
        List<Double> losses = new ArrayList<>();
        Trainer t = Trainer.fromConfig(tmp.resolve("run"), cfg, "stket", Mode.PREDCLS);
        t.addListener(new TrainingListener() {
            @Override
            public void onEpoch(Epoch e) {
                losses.add(e.meanLoss());
            }
        });
        TrainingResult r = t.run();
        assertEquals(3, losses.size());
        assertTrue(losses.get(2) < losses.get(0), "epoch losses " + losses);
        assertTrue(Files.isRegularFile(tmp.resolve("run").resolve("test.scores.json")));
        Map<String, NdArray> params = Npz.read(r.bestCheckpoint().resolve(Checkpoint.PARAMS));
        assertEquals(1f, params.get(StketModel.COUNTED_FLAG).floats()[0], 0f);
        float sum = 0;
        for (float v : params.get(StketModel.COUNTED_INITIAL).floats()) {
            sum += v;
        }
        assertTrue(sum > 0, "counted priors are in the checkpoint");
    }
}
