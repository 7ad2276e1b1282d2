package org.m3sgg.sgdet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchTensor;

/** The stub box head against the fixture: SUPPLY features and the detector tail's distribution. */
class PooledHeadTest {

    private static final PooledHead LEGACY = PooledHead.load(SgdetFixture.DIR.resolve("sgdet_head.legacy.tar"),
            SgdetParity.HEAD_STRIDE);

    @Test
    void bothSerialisationsGiveTheSameNumbers() {
        float[][] rois = SgdetFixture.rows("roi_edge_rois");
        float[][] a = SgdetFixture.HEAD.features(SgdetFixture.IN.maps(), rois);
        float[][] b = LEGACY.features(SgdetFixture.IN.maps(), rois);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
            assertArrayEquals(SgdetFixture.HEAD.classLogits(a[i]), LEGACY.classLogits(b[i]));
        }
        assertEquals(64, SgdetFixture.HEAD.featureDim());
        assertEquals(16, SgdetFixture.HEAD.channels());
    }

    @Test
    void checkpointHoldsTheFixturesHeadWeights() {
        PooledHead fromNpy = new PooledHead(16, 64, SgdetFixture.npy("in_head_top_weight", 4).floats(),
                SgdetParity.HEAD_STRIDE, SgdetFixture.npy("in_cls_score_weight", 2).floats(),
                SgdetFixture.npy("in_cls_score_bias", 1).floats());
        float[][] rois = SgdetFixture.rows("roi_edge_rois");
        float[][] a = fromNpy.features(SgdetFixture.IN.maps(), rois);
        float[][] b = SgdetFixture.HEAD.features(SgdetFixture.IN.maps(), rois);
        for (int i = 0; i < a.length; i++) {
            assertArrayEquals(a[i], b[i]);
            assertArrayEquals(fromNpy.classLogits(a[i]), SgdetFixture.HEAD.classLogits(b[i]));
        }
    }

    @Test
    void suppliedRowsMatchTheReference() {
        // frame 2 supplies the person (its 8th row), frame 3 object 2 (its 11th row)
        float[][] ref = SgdetFixture.rows("train_features");
        float[][] boxes = SgdetFixture.rows("train_boxes");
        int[] starts = BoxSet.frameStarts(boxes, 6);
        int[] supplied = {starts[2] + 7, starts[3] + 10};
        float scale = SgdetFixture.IN.maps().scales()[0];
        for (int row : supplied) {
            float[] b = boxes[row];
            float[][] roi = {{b[0], b[1] * scale, b[2] * scale, b[3] * scale, b[4] * scale}};
            float[] f = SgdetFixture.HEAD.features(SgdetFixture.IN.maps(), roi)[0];
            for (int k = 0; k < f.length; k++) {
                assertEquals(ref[row][k], f[k], 1e-6, "row " + row + " feature " + k);
            }
        }
    }

    @Test
    void detectorTailDistributionMatchesTheReference() {
        BoxSet tail = DetectorTail.apply(SgdetFixture.IN.detections(), SgdetFixture.HEAD);
        float[][] ref = SgdetFixture.rows("test_det_distribution");
        for (int i = 0; i < ref.length; i++) {
            for (int k = 0; k < 36; k++) {
                assertEquals(ref[i][k], tail.distribution()[i][k], 1e-6);
            }
        }
        assertArrayEquals(SgdetFixture.ints("test_det_pred_labels", 1), tail.labels());
    }

    @Test
    void missingKeyAndWrongShapeAreNamed() {
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        sd.put("rcnn." + PooledHead.TOP_WEIGHT, tensor(8, 4, 1, 1));
        sd.put("rcnn." + PooledHead.CLS_WEIGHT, tensor(37, 8));
        KitException missing = assertThrows(KitException.class,
                () -> PooledHead.fromStateDict(sd, "rcnn.", 2, "head.tar"));
        assertEquals("head.tar: key 'rcnn.RCNN_cls_score.bias' missing (box head)", missing.getMessage());
        sd.put("rcnn." + PooledHead.CLS_BIAS, tensor(36));
        KitException shape = assertThrows(KitException.class,
                () -> PooledHead.fromStateDict(sd, "rcnn.", 2, "head.tar"));
        assertTrue(shape.getMessage().contains("'rcnn.RCNN_cls_score.bias' has shape [36], expected [37]"),
                shape.getMessage());
        sd.put("rcnn." + PooledHead.CLS_BIAS, tensor(37));
        PooledHead h = PooledHead.fromStateDict(sd, "rcnn.", 2, "head.tar");
        assertEquals(8, h.featureDim());
        assertEquals(4, h.channels());
    }

    private static TorchTensor tensor(long... shape) {
        return TorchTensor.float32(new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))],
                shape);
    }
}
