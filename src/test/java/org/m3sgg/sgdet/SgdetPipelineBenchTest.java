package org.m3sgg.sgdet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Time per frame of the SGDET test path at Action Genome scale: 20 frames, 20 detections per frame with a
 * detector distribution, 1024 x 38 x 67 maps (ResNet layer 3 of a 600 x 1067 blob). Prints the numbers; no
 * timed assertion. Run with {@code mvn -Pbench test -Dtest=SgdetPipelineBenchTest}.
 */
@Tag("bench")
class SgdetPipelineBenchTest {

    @Test
    void testPathTimePerFrame() {
        int frames = 20;
        int perFrame = 20;
        int c = 1024;
        int h = 38;
        int w = 67;
        float scale = 600f / 270f;
        Random rnd = new Random(1);
        float[] data = new float[frames * c * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextFloat();
        }
        float[] scales = new float[frames];
        java.util.Arrays.fill(scales, scale);
        FrameMaps maps = new FrameMaps(frames, c, h, w, data, scales, FrameMaps.STRIDE_16);
        int n = frames * perFrame;
        float[][] boxes = new float[n][];
        float[][] feats = new float[n][];
        float[][] dist = new float[n][];
        for (int i = 0; i < n; i++) {
            float x1 = rnd.nextFloat() * 400;
            float y1 = rnd.nextFloat() * 220;
            boxes[i] = new float[] {i / perFrame, x1, y1, x1 + 20 + rnd.nextFloat() * 200,
                y1 + 20 + rnd.nextFloat() * 150};
            feats[i] = new float[2048];
            float[] z = new float[37];
            for (int k = 0; k < 37; k++) {
                z[k] = (float) rnd.nextGaussian() * 3;
            }
            dist[i] = DetectorTail.distribution(z);
        }
        Detections det = new Detections(boxes, feats, dist, null);
        SgdetPipeline p = new SgdetPipeline(null, SgdetOptions.reference());
        p.test(det, maps); // warm-up
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                        .getOperatingSystemMXBean();
        int reps = 3;
        long best = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        long bestRoi = Long.MAX_VALUE;
        TestEntry e = null;
        for (int r = 0; r < reps; r++) {
            long c0 = os.getProcessCpuTime();
            long s = System.nanoTime();
            e = p.test(det, maps);
            best = Math.min(best, System.nanoTime() - s);
            bestCpu = Math.min(bestCpu, os.getProcessCpuTime() - c0);
            long c1 = os.getProcessCpuTime();
            RoiAlign.apply(maps, e.unionBoxes(), 7);
            bestRoi = Math.min(bestRoi, os.getProcessCpuTime() - c1);
        }
        System.out.printf("SGDET test path: %d frames, %d detections/frame, maps %dx%dx%d: %d boxes, %d pairs; "
                + "best of %d: wall %.1f ms/frame, CPU %.1f ms/frame (union RoIAlign %.1f ms/frame), %d CPUs, "
                + "load average %.1f%n", frames, perFrame, c, h, w, e.boxes().length, e.pairs().length, reps,
                best / 1e6 / frames, bestCpu / 1e6 / frames, bestRoi / 1e6 / frames,
                Runtime.getRuntime().availableProcessors(), os.getSystemLoadAverage());
        assertTrue(e.pairs().length > 0);
    }
}
