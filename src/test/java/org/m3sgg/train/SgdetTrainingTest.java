package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.EvaluatorConfig;

/**
 * Every registered model trains and scores in SGDET through the generic trainer, on the bundled world's
 * on-the-fly detections (a few videos, one epoch: the wiring, not the recall).
 */
class SgdetTrainingTest {

    /** STTran through the CLI: {@code org.m3sgg.cli.TrainSgdetCommandTest}; the others here (slow tier). */
    @org.junit.jupiter.api.Tag("slow")
    @ParameterizedTest
    @ValueSource(strings = {"sttran", "tempura", "stket", "dsg-detr"})
    void trainsAndScoresInSgdet(String model, @TempDir Path tmp) throws Exception {
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/" + model + ".yaml"), List.of(
                "data.max_train_videos=4", "data.max_test_videos=2", "train.val_fraction=0.25", "train.epochs=1",
                "train.checkpoint_every=0", "train.log_every=1"));
        TrainingResult r = Trainer.fromConfig(tmp.resolve("run"), cfg, model, Mode.SGDET).run();
        assertEquals(Mode.SGDET, r.model().mode());
        assertTrue(r.test().frames() > 0);
        assertTrue(Files.isRegularFile(tmp.resolve("run/test.objects.json")));
        String saved = Files.readString(tmp.resolve("run/config.yaml"));
        assertTrue(saved.contains("mode: sgdet"), saved);
    }

    @org.junit.jupiter.api.Test
    void frequencyBaselineScoresDetections() {
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), List.of(
                "data.max_train_videos=6", "data.max_test_videos=3", "train.val_fraction=0.2"));
        RunData data = RunData.of(cfg, Mode.SGDET);
        var sgdet = Baselines.frequency(data, Mode.SGDET, EvaluatorConfig.DEFAULT);
        assertTrue(sgdet.frames() > 0);
        double r20 = sgdet.metric(org.m3sgg.eval.Constraint.WITH, "R@20");
        assertTrue(r20 > 0 && r20 < 1, "R@20 " + r20);
    }
}
