package org.m3sgg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;

class ObjectLabelStatsTest {

    private static final Box PERSON = new Box(0, 0, 50, 100);
    private static final Box CUP = new Box(60, 10, 80, 30);
    private static final Box BOOK = new Box(100, 50, 140, 90);

    private static GroundTruthFrame gt(String video, String frame, AgObject... objects) {
        return new GroundTruthFrame(video, frame, PERSON, List.of(objects));
    }

    private static AgObject obj(int label, Box box) {
        return new AgObject(label, box, new int[] {0}, new int[] {0}, new int[] {0});
    }

    /** Person plus the given boxes with the given predicted labels; one pair per object. */
    private static FramePrediction pred(Box[] boxes, int[] labels) {
        int n = boxes.length + 1;
        double[][] b = new double[n][];
        int[] l = new int[n];
        double[] s = new double[n];
        int[][] pairs = new int[n - 1][];
        b[0] = PERSON.toArray();
        l[0] = 1;
        s[0] = 1;
        for (int i = 1; i < n; i++) {
            b[i] = boxes[i - 1].toArray();
            l[i] = labels[i - 1];
            s[i] = 1;
            pairs[i - 1] = new int[] {0, i};
        }
        return new FramePrediction(b, l, s, pairs, new double[n - 1][3], new double[n - 1][6], new double[n - 1][17]);
    }

    @Test
    void countsAccuracyAndConsistencyPerObjectAcrossFramesOfAVideo(@TempDir Path tmp) throws Exception {
        var acc = new ObjectLabelStats.Accumulator();
        // video a: cup (10) predicted 10, 12, 12; book (20) predicted 20, then unmatched (box far away), then 20
        acc.add(gt("a", "1", obj(10, CUP), obj(20, BOOK)), pred(new Box[] {CUP, BOOK}, new int[] {10, 20}));
        acc.add(gt("a", "2", obj(10, CUP), obj(20, BOOK)), pred(new Box[] {CUP}, new int[] {12}));
        acc.add(gt("a", "3", obj(10, CUP), obj(20, BOOK)), pred(new Box[] {CUP, BOOK}, new int[] {12, 20}));
        // video b starts a new chain for the cup: no transition across videos
        acc.add(gt("b", "1", obj(10, CUP)), pred(new Box[] {CUP}, new int[] {12}));
        ObjectLabelStats s = acc.result();
        assertEquals(7, s.objects());
        assertEquals(3, s.correct());           // cup 1, book 1, book 3 (not the unmatched book 2)
        assertEquals(2, s.transitions());       // cup 1->2, cup 2->3 (the book's chain was broken by the miss)
        assertEquals(1, s.consistent());        // 12 -> 12
        assertEquals(3.0 / 7, s.accuracy(), 1e-12);
        assertEquals(0.5, s.consistency(), 1e-12);

        Path file = tmp.resolve("p.json");
        PredictionsFile.write(file, List.of(
                new PredictionsFile.Entry(gt("a", "1", obj(10, CUP)), pred(new Box[] {CUP}, new int[] {10})),
                new PredictionsFile.Entry(gt("a", "2", obj(10, CUP)), pred(new Box[] {CUP}, new int[] {10}))));
        ObjectLabelStats f = ObjectLabelStats.of(file);
        assertEquals(new ObjectLabelStats(2, 2, 1, 1), f);
        f.writeJson(tmp.resolve("o.json"));
        assertTrue(java.nio.file.Files.readString(tmp.resolve("o.json")).contains("\"label_consistency\" : 1.0"));
    }
}
