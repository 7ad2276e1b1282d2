package org.m3sgg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;

/**
 * The worked example of docs/METRICS.md ("Choosing the protocol"): one frame where the two protocols disagree
 * because of the box convention alone.
 */
class OedProtocolTest {

    /** Person, a cup (looking_at, in_front_of) and a phone (not_looking_at, holding): four relations. */
    static GroundTruthFrame groundTruth() {
        return new GroundTruthFrame("example.mp4", "000001.png", new Box(10, 10, 109, 209), List.of(
                new AgObject(11, new Box(120, 100, 159, 139), new int[] {0}, new int[] {2}, new int[0]),
                new AgObject(24, new Box(200, 100, 209, 109), new int[] {1}, new int[0], new int[] {5})));
    }

    /**
     * Every box exact except the phone's, which covers its top half: IoU 50 / 100 = 0.5 with STTran's +1 pixel
     * widths (a match), 36 / 81 = 0.44 continuous (a miss).
     */
    static FramePrediction prediction() {
        double[][] boxes = {{10, 10, 109, 209}, {120, 100, 159, 139}, {200, 100, 209, 104}};
        double[][] attention = {{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}};
        double[][] spatial = {{0.1, 0.1, 0.9, 0.1, 0.1, 0.1}, {0.6, 0.1, 0.1, 0.1, 0.1, 0.1}};
        double[][] contacting = new double[2][17];
        contacting[0][8] = 0.7;
        contacting[1][5] = 0.9;
        return new FramePrediction(boxes, new int[] {1, 11, 24}, new double[] {1.0, 0.9, 0.8},
                new int[][] {{0, 1}, {0, 2}}, attention, spatial, contacting);
    }

    @Test
    void theBoxConventionAloneSeparatesTheProtocols() {
        SceneGraphEvaluator sttran = new SceneGraphEvaluator();
        sttran.process(groundTruth(), prediction());
        EvaluationResult s = sttran.summarize();
        assertEquals(1.0, s.get(Constraint.WITH).recall(10), 1e-12);
        assertEquals(1.0, s.get(Constraint.NO).recall(10), 1e-12);

        OedProtocol oed = new OedProtocol(false, null);
        oed.process(groundTruth(), prediction());
        OedProtocol.Result o = oed.result();
        assertEquals(0.5, o.recall("with", 10), 1e-12);
        assertEquals(0.5, o.recall("no", 100), 1e-12);
        // class mean: looking_at and in_front_of found (1), not_looking_at and holding missed (0), 22 absent (0)
        assertEquals(2.0 / 26, o.meanRecall("with", 10), 1e-12);
    }

    @Test
    void normalisingByTheFrameSizeKeepsTheMatching() {
        OedProtocol oed = new OedProtocol(true, new double[] {480, 270});
        oed.process(groundTruth(), prediction());
        assertEquals(0.5, oed.result().recall("with", 10), 1e-12);
        assertEquals(0.5, oed.result().recall("no", 10), 1e-12);
    }

    @Test
    void theNmsFilterNeedsTheFrameSize() {
        KitException e = assertThrows(KitException.class, () -> new OedProtocol(true, null));
        assertEquals(true, e.getMessage().contains("--image-size"), e.getMessage());
        assertThrows(KitException.class, () -> new OedProtocol(false, null).result());
    }
}
