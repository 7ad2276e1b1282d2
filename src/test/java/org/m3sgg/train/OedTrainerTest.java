package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;
import org.m3sgg.api.KitHome;

/** OED through the kit's Trainer on the tiny world at tiny widths: resume after a kill, the two-stage schedule. */
class OedTrainerTest {

    static ConfigTree config(String... extra) {
        List<String> o = new ArrayList<>(List.of("data.path=" + TinyWorld.path(), "data.max_train_videos=4",
                "data.max_test_videos=1", "train.val_fraction=0.25", "model.c5_channels=6", "model.d_model=8",
                "model.heads=2",
                "model.ffn=16", "model.hopd_layers=2", "model.inter_layers=1", "model.queries=4", "model.map_pool=4",
                "model.prm_topk=[2, 1]", "model.class_vector_dim=4", "train.log_every=1", "train.checkpoint_every=1"));
        o.addAll(List.of(extra));
        return ConfigTree.load(KitHome.home().resolve("configs/quick/oed.yaml"), o);
    }

    @Test
    void anInterruptedAndResumedRunEndsWithTheStraightRunsBits(@TempDir Path tmp) {
        ConfigTree cfg = config("train.epochs=1");
        TrainingResult straight = Trainer.fromConfig(tmp.resolve("a"), cfg, "oed", Mode.SGDET).run();
        TrainingResult stopped = Trainer.fromConfig(tmp.resolve("b"), cfg, "oed", Mode.SGDET).stopAfter(2).run();
        assertTrue(stopped.interrupted());
        TrainingResult resumed = Trainer.fromConfig(tmp.resolve("b"), cfg, "oed", Mode.SGDET).resume();
        Map<String, NdArray> a = Npz.read(Trainer.latestCheckpoint(tmp.resolve("a")).resolve(Checkpoint.PARAMS));
        Map<String, NdArray> b = Npz.read(Trainer.latestCheckpoint(tmp.resolve("b")).resolve(Checkpoint.PARAMS));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).doubles(), b.get(k).doubles(), 0.0, k);
        }
        assertEquals(straight.test(), resumed.test());
        assertEquals(straight.history().get(0).trainLoss(), resumed.history().get(0).trainLoss(), 0.0);
    }

    /** Two runs back to back (about 30 s on 2 cores): {@code mvn -Pslow test}. */
    @Test
    @Tag("slow")
    void theTemporalStageStartsFromTheSpatialRunAndKeepsItFrozen(@TempDir Path tmp) {
        Path spatial = tmp.resolve("spatial");
        Trainer.fromConfig(spatial, config("train.epochs=1"), "oed", Mode.PREDCLS).run();
        ConfigTree second = config("train.epochs=1", "model.temporal=true", "finetune.init_from=" + spatial);
        TrainingResult r = Trainer.fromConfig(tmp.resolve("prm"), second, "oed", Mode.PREDCLS).run();
        assertTrue(r.test().frames() > 0);
        Map<String, NdArray> s = Npz.read(Trainer.latestCheckpoint(spatial).resolve(Checkpoint.PARAMS));
        Map<String, NdArray> t = Npz.read(Trainer.latestCheckpoint(tmp.resolve("prm")).resolve(Checkpoint.PARAMS));
        for (String k : s.keySet()) {
            assertArrayEquals(s.get(k).doubles(), t.get(k).doubles(), 0.0, "frozen " + k);
        }
        assertTrue(t.containsKey("temporal_obj_class_embed.weight"));
        assertTrue(t.containsKey("transformer.temporal_query_layer1.linear1.weight"));
    }
}
