package org.m3sgg.models.sttran;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.ArrayPool;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Recycling the training session's buffers ({@link ArrayPool}) changes no value, bit for bit. */
class TrainingArrayPoolTest {

    @Test
    void trainingWithThePoolGivesTheSameParametersAsWithout() {
        SttranConfig cfg = SttranConfig.quick();
        // videos of different sizes, so pooled buffers also serve smaller requests (as views of their first elements)
        List<SyntheticVideo> videos = List.of(new SyntheticVideo(cfg, new int[] {3, 4, 2, 3}, 5),
                new SyntheticVideo(cfg, new int[] {3, 4, 2}, 6), new SyntheticVideo(cfg, new int[] {1, 2}, 7));
        ArrayPool pool = new ArrayPool(1L << 30, 0, true);
        Map<String, INDArray> pooled = train(cfg, videos, pool);
        Map<String, INDArray> plain = train(cfg, videos, null);
        assertTrue(pool.reused() > 100, "reused " + pool.reused());
        assertEquals(plain.keySet(), pooled.keySet());
        for (String k : plain.keySet()) {
            assertEquals(plain.get(k), pooled.get(k), k);
        }
    }

    private static Map<String, INDArray> train(SttranConfig cfg, List<SyntheticVideo> videos, ArrayPool pool) {
        SttranModel model = SttranModel.build(cfg, Mode.SGCLS, 4);
        model.setTrainingArrayPool(pool);
        AdamW opt = model.newOptimizer(1e-3);
        for (int step = 0; step < 7; step++) {
            SyntheticVideo v = videos.get(step % videos.size());
            Nd4j.getRandom().setSeed(100 + step); // as the Trainer does: the step's dropout masks
            model.trainStep(v.inputs, v.targets, opt);
        }
        return model.state();
    }
}
