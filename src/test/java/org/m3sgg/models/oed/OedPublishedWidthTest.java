package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The import path of the published OED checkpoints at their widths (ResNet-50, d 256, 6/6/6 layers, 100 queries,
 * PRM top-k 80/50/30), on a checkpoint with random weights built in Java ({@link PublishedWidths}): the config
 * comes from {@code args} and the shapes, backbone and transformer load strictly, and raw frames run through to
 * the temporal heads with the published output shapes. Small frames keep it to seconds of compute; the time at
 * 600 x 1000 is {@code OedForwardBenchTest}'s.
 */
@Tag("slow")
class OedPublishedWidthTest {

    @Test
    void publishedWidthsLoadAndRunFromPixels() {
        OedCheckpoint ck = PublishedWidths.checkpoint(true, 3);
        OedConfig cfg = OedConfig.from(ck, OedConfig.PUBLISHED_TOPK);
        assertEquals(new OedConfig(2048, 256, 8, 2048, 6, 6, 6, 100, 38, 4, 6, 17, true, 2, OedConfig.PUBLISHED_TOPK)
                .toString(), cfg.toString());
        OedBackbone backbone = OedBackbone.fromCheckpoint(ck, DataType.FLOAT);
        assertEquals(2048, backbone.c5Channels());
        OedModel model = OedModel.fromCheckpoint(ck, OedConfig.PUBLISHED_TOPK, false);

        Random r = new Random(5);
        List<OedImages.Rgb> frames = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            byte[] px = new byte[96 * 128 * 3];
            r.nextBytes(px);
            frames.add(new OedImages.Rgb(96, 128, px));
        }
        OedImages.Batch batch = OedImages.batch(frames);
        INDArray c5 = backbone.c5(batch.images());
        assertArrayEquals(new long[] {3, 2048, 3, 4}, c5.shape());
        List<OedModel.Frame> out = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            out.add(model.frame(c5.get(NDArrayIndex.point(f)).dup(), batch.mask()[f]));
        }
        assertArrayEquals(new long[] {100, 38}, out.get(0).get("pred_obj_logits").shape());
        assertEquals(5, model.auxCount());
        OedModel.Temporal t = model.temporal(out.get(0), out.subList(1, 3));
        assertEquals(160, t.topk()[0].length);
        assertEquals(60, t.topk()[2].length);
        assertArrayEquals(new long[] {100, 17}, t.heads().get("contacting_logits").shape());
        assertArrayEquals(new long[] {100, 4}, t.heads().get("sub_boxes").shape());
        for (double v : t.heads().get("obj_logits").dup().data().asDouble()) {
            assertTrue(Double.isFinite(v), "finite logits");
        }
    }

    @Test
    void settingsTheKitDoesNotImplementAreRefused() {
        OedCheckpoint ck = PublishedWidths.checkpoint(false, 4);
        for (String[] bad : new String[][] {{"dsgg_task", "predcls"}, {"pre_norm", "true"}, {"use_roi", "true"}}) {
            Map<String, Object> a = new LinkedHashMap<>(ck.args());
            a.put(bad[0], bad[0].equals("dsgg_task") ? bad[1] : Boolean.TRUE);
            OedCheckpoint edited = new OedCheckpoint(ck.stateDict(), a, "edited");
            KitException e = assertThrows(KitException.class, () -> OedConfig.from(edited, OedConfig.PUBLISHED_TOPK));
            assertTrue(e.getMessage().contains(bad[0]), e.getMessage());
        }
    }
}
