package org.m3sgg.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.m3sgg.nn.torch.TorchTensor;

/**
 * Depth and widths come from the state dict: a Faster R-CNN with another block count per layer and other widths
 * (random weights, faster-rcnn.pytorch's key names) loads strictly and runs a frame.
 */
class ArchitectureFromCheckpointTest {

    private final Random rnd = new Random(5);
    private final Map<String, TorchTensor> sd = new LinkedHashMap<>();

    private void put(String key, double scale, double mean, long... shape) {
        float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + scale * rnd.nextGaussian());
        }
        sd.put(key, TorchTensor.float32(v, shape));
    }

    private void bn(String p, long c) {
        put(p + ".weight", 0.1, 1, c);
        put(p + ".bias", 0.1, 0, c);
        put(p + ".running_mean", 0.1, 0, c);
        put(p + ".running_var", 0.05, 1, c);
    }

    private long layer(String p, int blocks, long in, long planes) {
        for (int b = 0; b < blocks; b++) {
            String q = p + "." + b;
            put(q + ".conv1.weight", 1.0 / Math.sqrt(in), 0, planes, in, 1, 1);
            bn(q + ".bn1", planes);
            put(q + ".conv2.weight", 1.0 / Math.sqrt(planes * 9), 0, planes, planes, 3, 3);
            bn(q + ".bn2", planes);
            put(q + ".conv3.weight", 1.0 / Math.sqrt(planes), 0, planes * 4, planes, 1, 1);
            bn(q + ".bn3", planes * 4);
            if (b == 0) {
                put(q + ".downsample.0.weight", 1.0 / Math.sqrt(in), 0, planes * 4, in, 1, 1);
                bn(q + ".downsample.1", planes * 4);
            }
            in = planes * 4;
        }
        return in;
    }

    @Test
    void otherDepthAndWidthsLoadAndRun() {
        put("RCNN_base.0.weight", 0.05, 0, 8, 3, 7, 7);
        bn("RCNN_base.1", 8);
        long c = layer("RCNN_base.4", 2, 8, 4);
        c = layer("RCNN_base.5", 1, c, 8);
        c = layer("RCNN_base.6", 3, c, 12); // 48 channels
        long f = layer("RCNN_top.0", 2, c, 16); // 64 features
        put("RCNN_rpn.RPN_Conv.weight", 0.05, 0, 32, c, 3, 3);
        put("RCNN_rpn.RPN_Conv.bias", 0.01, 0, 32);
        put("RCNN_rpn.RPN_cls_score.weight", 0.1, 0, 24, 32, 1, 1);
        put("RCNN_rpn.RPN_cls_score.bias", 0.01, 0, 24);
        put("RCNN_rpn.RPN_bbox_pred.weight", 0.01, 0, 48, 32, 1, 1);
        put("RCNN_rpn.RPN_bbox_pred.bias", 0.01, 0, 48);
        put("RCNN_cls_score.weight", 0.3, 0, 37, f);
        put("RCNN_cls_score.bias", 0.01, 0, 37);
        put("RCNN_bbox_pred.weight", 0.01, 0, 148, f);
        put("RCNN_bbox_pred.bias", 0.01, 0, 148);

        FasterRcnn det = FasterRcnn.fromStateDict(sd, "synthetic", DetectorSettings.sttran());
        assertEquals(48, det.baseChannels());
        assertEquals(64, det.head().featureDim());
        float[] im = new float[2 * 3 * 80 * 128];
        for (int i = 0; i < im.length; i++) {
            im[i] = (float) (50 * rnd.nextGaussian());
        }
        FasterRcnn.Pass p = det.detect(im, 2, 80, 128, new float[][] {{80, 128, 2f}, {80, 128, 2f}});
        assertEquals(5, p.base().maps().height()); // 80 -> 40 -> 20 (ceil pool) -> 20 -> 10 -> 5
        assertEquals(8, p.base().maps().width());
        assertEquals(2 * 100, p.rois().length);
        assertEquals(64, p.head().features()[0].length);
        FasterRcnn.Final fin = p.detections();
        assertEquals(fin.labels().length, fin.features().length);
        for (float[] b : fin.boxes()) {
            assertTrue(b[0] == 0 || b[0] == 1);
        }
    }
}
