package org.m3sgg.models.frequency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.eval.GroundTruthFrame;
import org.m3sgg.eval.SceneGraphEvaluator;
import org.m3sgg.eval.Constraint;

class FrequencyBaselineTest {

    private static final Box PERSON = new Box(0, 0, 50, 100);

    private static AgObject obj(int label, int att, int[] spa, int[] con) {
        return new AgObject(label, new Box(60, 10, 90, 40), new int[] {att}, spa, con);
    }

    @Test
    void countsPerClassAndFallsBackForUnseenClasses() {
        AgFrame f1 = new AgFrame("v.mp4/000001.png", PERSON, List.of(
                obj(8, 0, new int[] {2}, new int[] {10}), obj(32, 1, new int[] {0, 2}, new int[] {8})));
        AgFrame f2 = new AgFrame("v.mp4/000002.png", PERSON, List.of(
                obj(8, 0, new int[] {2}, new int[] {14}), obj(32, 2, new int[] {}, new int[] {8})));
        FrequencyBaseline b = FrequencyBaseline.fit(List.of(new AgVideo("v.mp4", List.of(f1, f2), 480, 270)));
        assertArrayEquals(new double[] {1, 0, 0}, b.attention(8));
        assertArrayEquals(new double[] {0, 0.5, 0.5}, b.attention(32));
        assertArrayEquals(new double[] {0.5, 0, 0.5, 0, 0, 0}, b.spatial(32));
        assertEquals(0.5, b.contacting(8)[10]);
        assertEquals(0.5, b.contacting(8)[14]);
        // class 5 (book) never seen: all-class frequencies
        assertArrayEquals(new double[] {0.5, 0.25, 0.25}, b.attention(5));
        assertEquals(0, b.objectCount(5));

        FramePrediction p = b.predictPredCls(f1);
        assertEquals(3, p.boxCount());
        assertArrayEquals(new int[] {0, 2}, p.pairs()[1]);
        // the prior gives every ground-truth pair candidates; recall is a real fraction
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        ev.process(GroundTruthFrame.of(f1), p);
        double r = ev.summarize().metric(Constraint.WITH, "R@10");
        assertEquals(true, r > 0 && r <= 1);
    }
}
