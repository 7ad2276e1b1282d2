package org.m3sgg.models.stket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.models.SggModel;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Regression: with dropout on, STKET's first (contacting-set) pass of a training step runs the graph in training
 * mode; SameDiff's session kept that pass's dropout masks, and the next evaluation pass's Merge picked the stale,
 * released mask ("You can't use DataBuffer once it was released").
 */
class StketDropoutTest {

    private static final int[][] VIDEO = {{5, 7}, {5}, {}, {5, 5}, {5}};

    private static StketConfig withDropout(double p) {
        StketConfig q = StketConfig.quick();
        return StketConfig.of(q.feature(), q.unionIn(), q.unionOut(), q.pairFc(), q.embedding(), q.heads(), q.ffn(),
                q.encLayers(), q.decLayers(), q.windowSize(), p, q.classifierHidden(), q.posEmbed());
    }

    @Test
    void evaluationAfterTrainingWithDropoutRunsAndIgnoresTrainingMasks() {
        for (Mode mode : List.of(Mode.PREDCLS, Mode.SGCLS)) {
            StketConfig cfg = withDropout(0.5);
            StketVideo v = new StketVideo(cfg, VIDEO, 5);
            Nd4j.getRandom().setSeed(11);
            StketModel model = StketModel.build(cfg, mode, 3);
            AdamW opt = model.newOptimizer(1e-3);
            assertTrue(Double.isFinite(model.trainStep(List.of(v.inputs, v.inputs), List.of(v.targets, v.targets),
                    opt)));
            Map<String, INDArray> a = model.forward(v.inputs);
            assertTrue(Double.isFinite(model.evaluateLoss(v.inputs, v.targets).get(SggModel.LOSS)));
            // no mask of the training passes leaks into evaluation: a copy that never trained gives the same outputs
            StketModel copy = StketModel.build(cfg, mode, 4);
            copy.loadState(model.state(), "test");
            assertEquals(copy.forward(v.inputs).get(SggModel.ATTENTION), a.get(SggModel.ATTENTION), mode.toString());
        }
    }
}
