package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.Constraint;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.PairModel;
import org.m3sgg.nn.Linear;
import org.nd4j.autodiff.samediff.SDVariable;

/** A notebook-style PairModel registered by name and trained by the Trainer on the tiny world. */
class PairModelTrainingTest {

    public record MlpConfig(int feature, int unionIn, int hidden) implements PairModel.Widths {}

    static final class PairMlp extends PairModel<MlpConfig> {
        PairMlp(MlpConfig c, Mode mode, long seed) {
            super("pair-mlp-trainer-test", c, mode, seed);
        }

        @Override
        protected Logits logits(Pair p) {
            MlpConfig c = config();
            SDVariable x = graph().concat(1, p.subject(), p.object(), p.union(), p.subjectClass(), p.objectClass());
            int in = 2 * c.feature() + c.unionIn() + 2 * OBJECT_CLASSES;
            return heads(graph().nn().relu(new Linear(scope(), "mlp.0", in, c.hidden()).apply(x), 0), c.hidden());
        }
    }

    @Test
    void aRegisteredPairModelTrainsAndIsScoredThroughTheTrainer(@TempDir Path tmp) throws Exception {
        String name = "pair-mlp-trainer-test";
        ModelRegistry.register(name, MlpConfig.class, PairMlp::new, "test MLP");
        try {
            ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/custom-model.yaml"),
                    List.of("data.path=" + TinyWorld.path(), "model.name=" + name, "model.feature=16",
                            "model.union_in=4", "model.hidden=16", "train.epochs=3", "train.lr=3e-3",
                            "train.warmup_steps=0", "train.val_fraction=0.2", "train.checkpoint_every=0"));
            List<Double> epochLoss = new java.util.ArrayList<>();
            Trainer t = Trainer.fromConfig(tmp.resolve("run"), cfg, null, Mode.PREDCLS).addListener(
                    new TrainingListener() {
                        @Override
                        public void onEpoch(Epoch e) {
                            epochLoss.add(e.meanLoss());
                        }
                    });
            TrainingResult r = t.run();
            assertEquals(3, epochLoss.size());
            assertTrue(epochLoss.get(2) < epochLoss.get(0), epochLoss.toString());
            double r20 = r.test().metric(Constraint.WITH, "R@20");
            assertTrue(r20 > 0 && r20 <= 1, "R@20 " + r20);
            assertTrue(Files.isRegularFile(tmp.resolve("run/test.scores.json")));
        } finally {
            ModelRegistry.unregister(name);
        }
    }
}
