package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.data.Mode;
import org.m3sgg.models.FrameModel;
import org.m3sgg.nn.AdamW;
import org.m3sgg.sgdet.FrameMaps;

/**
 * Time of one OED training step (matching forward pass, loss and gradients, AdamW) with random weights, on a video
 * of one frame and (quick widths) of 10 frames run through the graph together: the quick config on a world-sized map (8 channels,
 * 38 x 67 pooled 2 x 2, and the two coordinate channels) and the published widths (C5 2048, d 256, 8 heads, FFN
 * 2048, 6/6/6 layers, 100 queries, a 19 x 32 C5 map). Prints the numbers, no timed assertion.
 * Run with {@code mvn -Pbench test -Dtest=OedTrainStepBenchTest}.
 */
@Tag("bench")
class OedTrainStepBenchTest {

    @Test
    void quickWidths() {
        OedRunConfig quick = new OedRunConfig(10, 2, true, 32, 4, 64, 1, 2, 2, 12, 37, 3, 6, 17, false, 2,
                List.of(8, 5, 3), 32, 1, 1, 2.5, 1, 1, 2, 2.5, 1, 0.1, 0.5);
        for (int frames : new int[] {1, 10}) {
            run("quick widths, sgdet", quick, Mode.SGDET, 38, 67, frames, 3);
            run("quick widths, predcls", quick, Mode.PREDCLS, 38, 67, frames, 3);
        }
    }

    @Test
    void publishedWidths() {
        OedRunConfig published = new OedRunConfig(2048, 1, false, 256, 8, 2048, 6, 6, 6, 100, 37, 3, 6, 17, false, 2,
                List.of(80, 50, 30), 200, 1, 1, 2.5, 1, 1, 2, 2.5, 1, 0.1, 0.5);
        // one frame a run at these widths (OedKitModel.CHUNK_SCORES)
        run("published widths, sgdet", published, Mode.SGDET, 19, 32, 1, 2);
    }

    private static void run(String label, OedRunConfig cfg, Mode mode, int h, int w, int frames, int reps) {
        OedKitModel m = OedKitModel.build(cfg, mode, 0);
        FrameModel.Clip clip = clip(cfg.c5Channels() - (cfg.mapCoords() ? 2 : 0), h, w, frames);
        AdamW opt = new AdamW(m.graph(), m.trainableParameters(), 1e-4, 0.9, 0.999, 1e-8, 1e-4, 0.1);
        m.trainStep(List.of(clip), opt);
        long t0 = System.nanoTime();
        for (int r = 0; r < reps; r++) {
            assertTrue(Double.isFinite(m.trainStep(List.of(clip), opt)));
        }
        double s = (System.nanoTime() - t0) / 1e9 / reps;
        System.out.printf("OED training step, %s (%,d parameters, %d x %d map), a video of %d frames: %.2f s a step,"
                + " %.2f s per frame%n", label, m.parameterCount(), h, w, frames, s, s / frames);
    }

    private static FrameModel.Clip clip(int channels, int h, int w, int frames) {
        AgObject cup = new AgObject(5, new Box(400, 300, 520, 420), new int[] {0}, new int[] {1}, new int[] {3});
        AgObject chair = new AgObject(9, new Box(100, 350, 400, 600), new int[] {2}, new int[] {0}, new int[] {5});
        List<AgFrame> fs = new java.util.ArrayList<>();
        for (int t = 0; t < frames; t++) {
            fs.add(new AgFrame(String.format("v.mp4/%06d.png", t + 1), new Box(200, 100, 500, 600),
                    t % 2 == 0 ? List.of(cup, chair) : List.of(chair)));
        }
        AgVideo v = new AgVideo("v.mp4", fs, 1000, 600);
        Random r = new Random(1);
        float[] data = new float[frames * channels * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        float[] scales = new float[frames];
        java.util.Arrays.fill(scales, 1f);
        return new FrameModel.Clip(v, new FrameMaps(frames, channels, h, w, data, scales, 1f / 32));
    }
}
