package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Time of OED's forward pass from the C5 map (transformer, heads, PRM; no backbone) at the fixture's widths and at
 * the published widths (C5 2048, d 256, 8 heads, FFN 2048, 6/6/6 layers, 100 queries, top-k 80/50/30, a 19 x 32
 * C5 map: a 600 x 1000 frame at stride 32). Seeded weights; prints the numbers, no timed assertion. Run with
 * {@code mvn -Pbench test -Dtest=OedForwardBenchTest}.
 */
@Tag("bench")
class OedForwardBenchTest {

    @Test
    void forwardTimeFromC5() {
        run("fixture widths", new OedConfig(128, 64, 4, 128, 2, 2, 2, 20, 38, 4, 6, 17, true, 2, new int[] {16, 10, 6}),
                5, 8);
        run("published widths", new OedConfig(2048, 256, 8, 2048, 6, 6, 6, 100, 38, 4, 6, 17, true, 2,
                OedConfig.PUBLISHED_TOPK), 19, 32);
    }

    private static void run(String label, OedConfig cfg, int h, int w) {
        OedModel m = OedModel.build(cfg, 1);
        Nd4j.getRandom().setSeed(1);
        INDArray c5 = Nd4j.rand(DataType.DOUBLE, cfg.c5Channels(), h, w);
        boolean[][] mask = new boolean[h * 32][w * 32];
        for (int warm = 0; warm < 2; warm++) {
            clip(m, c5, mask);
        }
        int reps = 5;
        long spatial = 0;
        long prm = 0;
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            List<OedModel.Frame> fs = clip(m, c5, mask);
            long t1 = System.nanoTime();
            OedModel.Temporal t = m.temporal(fs.get(0), fs.subList(1, 3));
            long t2 = System.nanoTime();
            assertEquals(cfg.queries(), t.heads().get("obj_logits").size(0));
            spatial += t1 - t0;
            prm += t2 - t1;
        }
        System.out.printf("OED forward from C5, %s (%d x %d map, %d queries): %.1f ms per frame (encoder, decoders, "
                + "heads), %.1f ms for the PRM step of a key frame with 2 reference frames%n", label, h, w,
                cfg.queries(), spatial / 1e6 / reps / 3, prm / 1e6 / reps);
    }

    private static List<OedModel.Frame> clip(OedModel m, INDArray c5, boolean[][] mask) {
        List<OedModel.Frame> fs = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            fs.add(m.frame(c5, mask));
        }
        return fs;
    }
}
