package org.m3sgg.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.SggModel;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingResult;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A fine-tuning run of a pruned model that is interrupted and resumed keeps its masks. */
class PruningResumeTest {

    @Test
    void masksSurviveAnInterruptedAndResumedRun(@TempDir Path tmp) {
        Path source = DeployTesting.checkpoint(tmp, "source", Mode.PREDCLS);
        Checkpoint.Loaded c = Checkpoint.open(source, null, null);
        Map<String, INDArray> masks = Pruning.prune(c.model(), 0.5);
        Path pruned = Checkpoint.write(tmp, "pruned", c.meta(), c.config(), c.model(), null, null);
        Pruning.write(pruned.resolve(Pruning.MASKS), masks);

        Path run = tmp.resolve("run");
        ConfigTree cfg = DeployTesting.tinySttran("train.epochs=2", "train.checkpoint_every=2",
                "finetune.init_from=" + pruned);
        TrainingResult first = Trainer.fromConfig(run, cfg, "sttran", Mode.PREDCLS).stopAfter(3).run();
        assertTrue(first.interrupted());
        TrainingResult done = Trainer.ofRun(run).resume();
        assertTrue(!done.interrupted());
        SggModel model = Checkpoint.open(Trainer.latestCheckpoint(run), null, null).model();
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray w = model.graph().getVariable(e.getKey()).getArr();
            assertEquals(0.0, w.mul(e.getValue().rsub(1.0)).amaxNumber().doubleValue(), e.getKey());
        }
        assertEquals(0.5, Pruning.sparsity(model), 0.01);
    }
}
