package org.m3sgg.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void otherDepthAndWidthsLoadAndRun() {
        // stem 8, layers of 2, 1, 3, 2 bottlenecks with 4, 8, 12, 16 planes (layer 3: 48 channels, layer 4: 64)
        Map<String, TorchTensor> sd = RandomDetectorWeights.of(5, new int[] {2, 1, 3, 2}, 8,
                new long[] {4, 8, 12, 16}, 32, 37);
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
