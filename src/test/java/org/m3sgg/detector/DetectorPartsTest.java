package org.m3sgg.detector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npy;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.testing.Fixtures;

/**
 * The detector's host-side steps, each fed the reference's own inputs from the fixture (so a difference is this
 * step's), and the loading rules.
 */
class DetectorPartsTest {

    private static final Path DIR = Fixtures.dir("detector-reference");
    private static final DetectorSettings S = DetectorSettings.sttran();

    private static NdArray npy(String name) {
        return Npy.read(DIR.resolve(name + ".npy"));
    }

    private static float[][] rows(NdArray a, int width) {
        float[] d = a.floats();
        float[][] out = new float[d.length / width][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(d, i * width, (i + 1) * width);
        }
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    @Test
    void anchorsAreTheReferenceAnchorsExactly() {
        float[][] a = Anchors.base(16, S.anchorRatios(), S.anchorScales());
        assertArrayEquals(npy("out_anchors").floats(), org.m3sgg.sgdet.SgdetParity.flat(a));
        // ratio 0.5: ws = round(sqrt(512)) = 23, hs = round(11.5) = 12 (half to even); times scale 4
        assertArrayEquals(new float[] {-38f, -16f, 53f, 31f}, a[0]);
        float[][] s = Anchors.shifted(a, 2, 3, 16);
        assertArrayEquals(new float[] {a[5][0] + 32, a[5][1] + 16, a[5][2] + 32, a[5][3] + 16}, s[(3 + 2) * 12 + 5]);
    }

    @Test
    void zeroDeltasMoveTheFarCornerOnePixelOut() {
        float[] b = BoxTransform.decode(new float[] {10, 20, 29, 59}, new float[4]);
        assertArrayEquals(new float[] {10, 20, 30, 60}, b);
        float[] c = {-3, 5, 200, 90};
        BoxTransform.clip(c, 80, 160);
        assertArrayEquals(new float[] {0, 5, 159, 79}, c);
    }

    /** The reference's RPN outputs through the proposal layer: its proposals, scores and RoIs. */
    @Test
    void proposalLayerOnTheReferenceRpnOutputs() {
        float[] prob = npy("out_rpn_cls_prob").floats();
        float[] deltas = npy("out_rpn_bbox_pred").floats();
        float[][] anchors = Anchors.shifted(Anchors.base(16, S.anchorRatios(), S.anchorScales()), 6, 10, 16);
        float[] all = npy("out_proposals_all").floats();
        float[] scores = npy("out_proposal_scores_all").floats();
        float[] rois = npy("out_rois").floats();
        int a = 12;
        int hw = 60;
        for (int i = 0; i < 2; i++) {
            float[] fg = Arrays.copyOfRange(prob, (i * 2 * a + a) * hw, (i * 2 + 2) * a * hw);
            float[] d = Arrays.copyOfRange(deltas, i * 4 * a * hw, (i + 1) * 4 * a * hw);
            ProposalLayer.Result p = ProposalLayer.apply(fg, d, anchors, a, 6, 10, 96, 160, i, 6000, 100, 0.7);
            assertArrayEquals(Arrays.copyOfRange(scores, i * 720, (i + 1) * 720), p.scores());
            assertTrue(maxDiff(org.m3sgg.sgdet.SgdetParity.flat(p.all()), Arrays.copyOfRange(all, i * 2880, (i + 1) * 2880))
                    <= 3e-5);
            assertTrue(maxDiff(org.m3sgg.sgdet.SgdetParity.flat(p.rois()), Arrays.copyOfRange(rois, i * 500, (i + 1) * 500))
                    <= 3e-5);
        }
    }

    @Test
    void proposalsBeyondTheNmsSurvivorsAreZeroRowsOfTheFrame() {
        float[][] anchors = {{0, 0, 15, 15}, {1, 1, 16, 16}};
        // one cell, two anchors, both zero deltas: the second overlaps the first (IoU > 0.7) and is suppressed
        ProposalLayer.Result p = ProposalLayer.apply(new float[] {0.9f, 0.8f}, new float[8], anchors, 2, 1, 1, 100,
                100, 3, 6000, 4, 0.7);
        assertArrayEquals(new float[] {3, 0, 0, 16, 16}, p.rois()[0]);
        for (int r = 1; r < 4; r++) {
            assertArrayEquals(new float[] {3, 0, 0, 0, 0}, p.rois()[r]);
        }
    }

    /** clip_boxes(..., batch_size=1): the chunk's first frame is clipped, the others are not. */
    @Test
    void onlyTheFirstFrameOfAChunkIsClipped() {
        float[][] rois = {{0, 0, 0, 170, 100}, {1, 0, 0, 170, 100}};
        float[][] deltas = {{0, 0, 0, 0, 5, 5, 1, 1}, {0, 0, 0, 0, 5, 5, 1, 1}};
        float[][] pb = DetectionLoop.predictedBoxes(rois, deltas, 1, S.deltaStds(), 96, 160, 2f);
        assertArrayEquals(new float[] {0, 0, 79.5f, 47.5f}, Arrays.copyOf(pb[0], 4));
        assertEquals(159 / 2f, pb[0][6]);
        assertTrue(pb[1][6] > 80 && pb[1][7] > 48, Arrays.toString(pb[1])); // frame 1 of the chunk: beyond the edge
        assertArrayEquals(new float[] {0, 0, 85.5f, 50.5f}, Arrays.copyOf(pb[1], 4));

        // the fixture's two frames: the reference's RoIs and deltas give its boxes; frame 1 leaves the image
        float[][] refRois = rows(npy("out_rois"), 5);
        float[][] refDeltas = rows(npy("out_bbox_pred"), 148);
        float[][] mine = DetectionLoop.predictedBoxes(refRois, refDeltas, 100, S.deltaStds(), 96, 160, 1.6f);
        assertTrue(maxDiff(org.m3sgg.sgdet.SgdetParity.flat(mine), npy("out_pred_boxes").floats()) <= 3e-5);
        assertEquals(0, beyond(mine, 0));
        assertEquals(1518, beyond(mine, 1)); // x beyond (W-1)/scale or y beyond (H-1)/scale, as the reference's
    }

    /** Coordinates of frame {@code t}'s boxes beyond the clipping limits (in original pixels). */
    private static long beyond(float[][] boxes, int t) {
        long n = 0;
        for (int r = t * 100; r < (t + 1) * 100; r++) {
            for (int k = 0; k < 148; k++) {
                n += boxes[r][k] > (k % 2 == 0 ? 159 : 95) / 1.6f ? 1 : 0;
            }
        }
        return n;
    }

    /** The reference's class probabilities and boxes through the loop: its detections, labels and feature rows. */
    @Test
    void detectionLoopOnTheReferenceHeadOutputs() {
        float[][] prob = rows(npy("out_cls_prob"), 37);
        float[][] boxes = rows(npy("out_pred_boxes"), 148);
        float[][] feats = rows(npy("out_roi_features"), 512);
        DetectionLoop.Found f = new DetectionLoop.Found();
        for (int i = 0; i < 2; i++) {
            DetectionLoop.frame(prob, boxes, i * 100, 100, i, 0.1, 0.4, f);
        }
        long[] labels = npy("out_final_labels").longs();
        assertEquals(labels.length, f.labels().size());
        for (int i = 0; i < labels.length; i++) {
            assertEquals(labels[i], (long) f.labels().get(i));
        }
        float[] refBoxes = npy("out_final_boxes").floats();
        float[] refFeats = npy("out_final_features").floats();
        for (int i = 0; i < labels.length; i++) {
            float[] b = f.boxes().get(i);
            for (int k = 0; k < 5; k++) {
                assertEquals(refBoxes[i * 5 + k], Math.max(b[k], 0f), 0f, "box " + i);
            }
            assertArrayEquals(Arrays.copyOfRange(refFeats, i * 512, (i + 1) * 512), feats[f.rows().get(i)]);
        }
        assertEquals(2, f.labels().stream().filter(l -> l == 1).count()); // one person per frame
    }

    private static Map<String, TorchTensor> stateDict() {
        Object root = TorchCheckpoint.load(DIR.resolve("faster_rcnn_ag.zip.tar"));
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        ((Map<?, ?>) ((Map<?, ?>) root).get("model")).forEach((k, v) -> out.put((String) k, (TorchTensor) v));
        return out;
    }

    @Test
    void batchNormsWithoutNumBatchesTrackedLoadTheSame() {
        Map<String, TorchTensor> full = stateDict();
        Map<String, TorchTensor> old = new LinkedHashMap<>(full);
        old.keySet().removeIf(k -> k.endsWith("num_batches_tracked"));
        assertTrue(old.size() < full.size());
        float[] im = npy("in_im_data").floats();
        float[] one = Arrays.copyOf(im, 3 * 96 * 160);
        float[] a = FasterRcnn.fromStateDict(full, "full", S).base(one, 1, 96, 160, new float[] {1.6f}).maps().data();
        float[] b = FasterRcnn.fromStateDict(old, "old", S).base(one, 1, 96, 160, new float[] {1.6f}).maps().data();
        assertArrayEquals(a, b);
    }

    @Test
    void doublePrecisionConvolutionsGiveTheSameMap() {
        float[] one = Arrays.copyOf(npy("in_im_data").floats(), 3 * 96 * 160);
        FasterRcnn d = FasterRcnn.load(DIR.resolve("faster_rcnn_ag.zip.tar"),
                S.withPrecision(org.nd4j.linalg.api.buffer.DataType.DOUBLE));
        float[] map = d.base(one, 1, 96, 160, new float[] {1.6f}).maps().data();
        float[] ref = Arrays.copyOf(npy("out_base_feat").floats(), map.length);
        assertTrue(maxDiff(map, ref) <= 1e-4, "" + maxDiff(map, ref));
        assertThrows(KitException.class, () -> S.withPrecision(org.nd4j.linalg.api.buffer.DataType.HALF));
        KitException e = assertThrows(KitException.class, () -> d.detect(one, 1, 96, 160, new float[][] {{96, 160}}));
        assertTrue(e.getMessage().contains("im_info row 0"), e.getMessage());
        float[][] two = {{96, 160, 1}, {96, 160, 1}};
        e = assertThrows(KitException.class, () -> d.detect(one, 2, 96, 160, two));
        assertTrue(e.getMessage().contains("input values, expected B*3*H*W"), e.getMessage());
    }

    @Test
    void loadingIsStrict() {
        Map<String, TorchTensor> extra = new LinkedHashMap<>(stateDict());
        extra.put("RCNN_base.0.extra", extra.get("RCNN_cls_score.bias"));
        KitException e = assertThrows(KitException.class, () -> FasterRcnn.fromStateDict(extra, "x.pth", S));
        assertTrue(e.getMessage().contains("unknown state_dict key 'RCNN_base.0.extra'"), e.getMessage());

        Map<String, TorchTensor> missing = new LinkedHashMap<>(stateDict());
        missing.remove("RCNN_bbox_pred.bias");
        e = assertThrows(KitException.class, () -> FasterRcnn.fromStateDict(missing, "x.pth", S));
        assertTrue(e.getMessage().contains("missing state_dict key 'RCNN_bbox_pred.bias'"), e.getMessage());

        Map<String, TorchTensor> shape = new LinkedHashMap<>(stateDict());
        shape.put("RCNN_rpn.RPN_cls_score.bias", shape.get("RCNN_cls_score.bias"));
        e = assertThrows(KitException.class, () -> FasterRcnn.fromStateDict(shape, "x.pth", S));
        assertTrue(e.getMessage().contains("'RCNN_rpn.RPN_cls_score.bias' has shape [37], expected [24]"),
                e.getMessage());
    }
}
