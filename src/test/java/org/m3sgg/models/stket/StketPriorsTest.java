package org.m3sgg.models.stket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;

class StketPriorsTest {

    private static final StketConfig CFG = StketConfig.quick();
    private static final Box B = new Box(0, 0, 10, 10);

    private static AgObject obj(int cls, int att, int spa, int... con) {
        return new AgObject(cls, B, new int[] {att}, new int[] {spa}, con);
    }

    private static AgFrame frame(String key, AgObject... objects) {
        return new AgFrame(key, B, List.of(objects));
    }

    private static double[] vec(int att, int spa, int... con) {
        double[] v = new double[26];
        v[att] = 1;
        v[3 + spa] = 1;
        for (int c : con) {
            v[9 + c] = 1;
        }
        return v;
    }

    @Test
    void spatialAndTransitionPriorsCountedByHand() {
        // video 1: cup (class 5) holds (5) -> holds (5) -> drinks (2); table (7) once
        AgVideo v1 = new AgVideo("v1", List.of(
                frame("v1.mp4/000001.png", obj(5, 0, 1, 5), obj(7, 1, 2, 8)),
                frame("v1.mp4/000002.png", obj(5, 0, 1, 5)),
                frame("v1.mp4/000003.png", obj(5, 2, 3, 2, 5))), 100, 100);
        // video 2: cup holds -> not contacting
        AgVideo v2 = new AgVideo("v2", List.of(
                frame("v2.mp4/000001.png", obj(5, 1, 0, 5, 5)),
                frame("v2.mp4/000002.png", obj(5, 1, 0, 8))), 100, 100);
        StketPriors p = StketPriors.count(List.of(v1, v2), CFG);

        // initial[cup] = mean of its 5 rows (a duplicated label counts once)
        double[] expected = new double[26];
        for (double[] row : List.of(vec(0, 1, 5), vec(0, 1, 5), vec(2, 3, 2, 5), vec(1, 0, 5), vec(1, 0, 8))) {
            for (int j = 0; j < 26; j++) {
                expected[j] += row[j] / 5;
            }
        }
        assertArrayEquals(expected, p.initial()[5], 1e-12);
        assertArrayEquals(vec(1, 2, 8), p.initial()[7], 1e-12);
        assertArrayEquals(new double[26], p.initial()[3], 0);

        // specific[cup][holding=5]: video 1 rows after a holding row = rows 2 and 3 -> mean; video 2 -> row 2;
        // then the mean over the two videos
        double[] m1 = new double[26];
        for (int j = 0; j < 26; j++) {
            m1[j] = (vec(0, 1, 5)[j] + vec(2, 3, 2, 5)[j]) / 2;
        }
        double[] spec = new double[26];
        for (int j = 0; j < 26; j++) {
            spec[j] = (m1[j] + vec(1, 0, 8)[j]) / 2;
        }
        assertArrayEquals(spec, p.specific()[5][5], 1e-12);
        // drinking_from (2) only occurs on the last row: no transition, zero
        assertArrayEquals(new double[26], p.specific()[5][2], 0);
        // the table has a single row: no transition at all
        assertArrayEquals(new double[26], p.specific()[7][8], 0);
        assertEquals(37, p.initial().length);
        assertEquals(17, p.specific()[0].length);
    }

    @Test
    void outOfRangeClassNamesVideoAndFrame() {
        AgVideo bad = new AgVideo("vx", List.of(frame("vx.mp4/000001.png", obj(5, 0, 1, 20))), 10, 10);
        KitException e = assertThrows(KitException.class, () -> StketPriors.count(List.of(bad), CFG));
        assertEquals(true, e.getMessage().contains("vx.mp4/000001.png") && e.getMessage().contains("contacting"),
                e.getMessage());
    }
}
