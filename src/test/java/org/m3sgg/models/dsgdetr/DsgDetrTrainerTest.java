package org.m3sgg.models.dsgdetr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingResult;

/** The generic trainer runs DSG-DETR end to end on a tiny synthetic world (train, select, score, checkpoint). */
class DsgDetrTrainerTest {

    /** The same 14-video world as the trainer's tests (16-d features, 4 union channels). */
    private static Path world(Path tmp) {
        WorldConfig cfg = new WorldConfig("tiny", 14, 1, 1, 3, 5, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
        WorldWriter.write(tmp.resolve("world"), cfg, 5, true, false);
        return tmp.resolve("world");
    }

    @Test
    void sgclsTrainsAndScoresThroughTheTrainer(@TempDir Path tmp) throws IOException {
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/dsg-detr.yaml"), List.of(
                "data.path=" + world(tmp), "model.feature=16", "model.union_in=4", "model.union_out=4",
                "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2", "model.ffn=16",
                "model.global_layers=1", "model.object_layers=1", "model.object_heads=2", "model.object_ffn=16",
                "model.classifier_hidden=8", "model.pos_embed=4", "train.epochs=1", "train.lr=1e-3",
                "train.warmup_steps=0", "train.val_fraction=0.2", "train.checkpoint_every=0", "train.log_every=1"));
        TrainingResult r = Trainer.fromConfig(tmp.resolve("run"), cfg, null, Mode.SGCLS).run();
        assertEquals("dsg-detr", r.model().name());
        assertEquals(Mode.SGCLS, r.model().mode());
        assertTrue(r.test().frames() > 0);
        assertTrue(Files.isDirectory(r.bestCheckpoint()), r.bestCheckpoint().toString());
    }
}
