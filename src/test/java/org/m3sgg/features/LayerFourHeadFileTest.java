package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.detector.DetectorSettings;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.detector.LayerFourHead;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.sgdet.BoxHead;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.testing.Fixtures;

/**
 * {@code head.npz} holding the detector's own head (layer 4, class scores, box deltas under their state-dict names),
 * as {@code features extract} writes it: it reads back as a {@link LayerFourHead} that pools and scores exactly as
 * the detector's, and a head of other widths or with a non-float array is refused with the file named.
 */
class LayerFourHeadFileTest {

    static final Path CKPT = Fixtures.file("detector-reference/faster_rcnn_ag.zip.tar");

    static DetectionsMeta meta(int f, int c) {
        return new DetectionsMeta(DetectionsMeta.FORMAT, f, c, 16, "float16", true, "test", null);
    }

    @Test
    void roundTripsThroughTheFile(@TempDir Path tmp) {
        Map<String, TorchTensor> sd = FasterRcnn.stateDict(CKPT);
        FasterRcnn det = FasterRcnn.fromStateDict(sd, "fixture", DetectorSettings.sttran());
        DetectionFolder.writeLayerFourHead(tmp, sd);
        BoxHead h = DetectionFolder.readHead(tmp.resolve(DetectionFolder.HEAD_FILE), meta(512, 256));
        assertInstanceOf(LayerFourHead.class, h);
        Random r = new Random(1);
        float[] map = new float[2 * 256 * 6 * 10];
        for (int i = 0; i < map.length; i++) {
            map[i] = Math.max(0, (float) r.nextGaussian());
        }
        FrameMaps maps = new FrameMaps(2, 256, 6, 10, map, new float[] {1f, 1f}, 1f / 16);
        float[][] rois = {{0, 3, 4, 90, 70}, {1, 0, 0, 159, 95}};
        float[][] want = det.head().features(maps, rois);
        float[][] got = h.features(maps, rois);
        for (int i = 0; i < rois.length; i++) {
            assertArrayEquals(want[i], got[i]);
            assertArrayEquals(det.head().classLogits(want[i]), h.classLogits(got[i]));
        }
    }

    @Test
    void otherWidthsAndTypesAreRefused(@TempDir Path tmp) {
        DetectionFolder.writeLayerFourHead(tmp, FasterRcnn.stateDict(CKPT));
        Path file = tmp.resolve(DetectionFolder.HEAD_FILE);
        KitException e = assertThrows(KitException.class, () -> DetectionFolder.readHead(file, meta(2048, 1024)));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("expected 1024 channels"),
                e.getMessage());
        Map<String, NdArray> a = new LinkedHashMap<>(Npz.read(file));
        a.put("RCNN_cls_score.bias", NdArray.of(new long[37], 37));
        Npz.write(file, a);
        e = assertThrows(KitException.class, () -> DetectionFolder.readHead(file, meta(512, 256)));
        assertTrue(e.getMessage().contains("'RCNN_cls_score.bias'") && e.getMessage().contains("expected float32"),
                e.getMessage());
        a.remove("RCNN_cls_score.bias");
        Npz.write(file, a);
        e = assertThrows(KitException.class, () -> DetectionFolder.readHead(file, meta(512, 256)));
        assertTrue(e.getMessage().contains("RCNN_cls_score.bias"), e.getMessage());
    }
}
