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
 * Time of OED's preprocessing and backbone per frame, and of its forward pass from the C5 map (transformer, heads,
 * PRM) at the fixture's widths and at
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

    /**
     * OED's preprocessing of a 480 x 270 frame (resize to 562 x 999, normalise) and the backbone on one 600 x 1000
     * frame: the fixture's reduced ResNet and a published-width ResNet-50 with random weights, float32 and float64.
     */
    @Test
    void backboneTimeAt600x1000() {
        java.util.Random r = new java.util.Random(1);
        byte[] px = new byte[270 * 480 * 3];
        r.nextBytes(px);
        OedImages.Rgb frame = new OedImages.Rgb(270, 480, px);
        OedImages.batch(List.of(OedImages.evalResize(frame)));
        long t0 = System.nanoTime();
        int reps = 3;
        OedImages.Batch b = null;
        for (int i = 0; i < reps; i++) {
            b = OedImages.batch(List.of(OedImages.evalResize(frame)));
        }
        System.out.printf("OED preprocessing, 480 x 270 -> %d x %d (PIL bilinear, normalise, pad): %.1f ms per frame%n",
                b.images().size(2), b.images().size(3), (System.nanoTime() - t0) / 1e6 / reps);
        byte[] big = new byte[600 * 1000 * 3];
        r.nextBytes(big);
        INDArray images = OedImages.batch(List.of(new OedImages.Rgb(600, 1000, big))).images();
        OedCheckpoint fixture = OedCheckpoint.load(org.m3sgg.testing.Fixtures.dir("oed-reference")
                .resolve("oed_sgdet_spatial.zip.tar"));
        OedCheckpoint published = PublishedWidths.checkpoint(false, 1);
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            backbone("fixture ResNet (blocks 1/1/1/1, C5 128)", OedBackbone.fromCheckpoint(fixture, type), images,
                    type);
            backbone("ResNet-50 (published)", OedBackbone.fromCheckpoint(published, type), images, type);
        }
    }

    private static void backbone(String label, OedBackbone bb, INDArray images, DataType type) {
        INDArray c5 = bb.c5(images);
        int reps = 2;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            c5 = bb.c5(images);
        }
        System.out.printf("OED backbone, %s, %s, 600 x 1000 frame -> C5 %s: %.0f ms per frame%n", label, type,
                java.util.Arrays.toString(c5.shape()), (System.nanoTime() - t0) / 1e6 / reps);
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
