package org.m3sgg.models.sttran;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.factory.Nd4j;

/** Paper widths, 200 pairs (20 frames x 10): prints forward and training-step times and RSS. Minutes; slow. */
@Tag("bench")
class SttranPaperTimingTest {

    @Test
    void paperWidthsForwardAndTrainingStep() throws Exception {
        Nd4j.getRandom().setSeed(1);
        SttranConfig cfg = SttranConfig.paper();
        long t0 = System.nanoTime();
        SttranModel model = SttranModel.build(cfg, Mode.PREDCLS, 1);
        double build = (System.nanoTime() - t0) / 1e9;
        assertEquals(103_398_359L, model.parameterCount());
        int[] perFrame = new int[20];
        java.util.Arrays.fill(perFrame, 10);
        SyntheticVideo v = new SyntheticVideo(cfg, perFrame, 3);
        assertEquals(200, v.inputs.numPairs());
        double[] fwd = new double[3];
        for (int i = 0; i < fwd.length; i++) {
            long s = System.nanoTime();
            model.forward(v.inputs);
            fwd[i] = (System.nanoTime() - s) / 1e9;
        }
        AdamW opt = model.newOptimizer(1e-5);
        double[] step = new double[3];
        for (int i = 0; i < step.length; i++) {
            long s = System.nanoTime();
            double loss = model.trainStep(v.inputs, v.targets, opt);
            step[i] = (System.nanoTime() - s) / 1e9;
            assertTrue(Double.isFinite(loss));
        }
        String rss = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")
                || l.startsWith("VmRSS")).reduce((a, b) -> a + "; " + b).orElse("?");
        System.out.printf("TIMING build %.2fs forward %s train-step %s (%s)%n", build, java.util.Arrays.toString(fwd),
                java.util.Arrays.toString(step), rss.replaceAll("\\s+", " "));
    }
}
