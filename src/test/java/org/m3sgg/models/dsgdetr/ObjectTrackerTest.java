package org.m3sgg.models.dsgdetr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectTrackerTest {

    /** A hand-made video: objects with a feature direction, a detector class and a box, per frame. */
    private static final class Video {
        final List<double[]> boxes = new ArrayList<>();
        final List<double[]> feats = new ArrayList<>();
        final List<double[]> dists = new ArrayList<>();
        final List<Integer> frames = new ArrayList<>();

        int add(int frame, int featureAxis, int cls, double x, double y) {
            double[] f = new double[8];
            f[featureAxis] = 1;
            f[(featureAxis + 1) % 8] = 0.05 * frame;          // a slowly drifting appearance
            double[] d = new double[10];
            d[cls] = 0.6;
            d[(cls + 1) % 10] = 0.4;
            boxes.add(new double[] {x, y, x + 40, y + 60});
            feats.add(f);
            dists.add(d);
            frames.add(frame);
            return boxes.size() - 1;
        }

        List<int[]> track(int maxGap) {
            return ObjectTracker.track(boxes.toArray(new double[0][]), feats.toArray(new double[0][]),
                    dists.toArray(new double[0][]), frames.stream().mapToInt(Integer::intValue).toArray(),
                    ObjectTracker.Params.reference(maxGap));
        }
    }

    @Test
    void objectsKeepTheirTrackThroughAClassFlipAndNewcomersStartTracks() {
        Video v = new Video();
        List<Integer> person = new ArrayList<>();
        List<Integer> cup = new ArrayList<>();
        List<Integer> phone = new ArrayList<>();
        int newcomer = -1;
        for (int t = 0; t < 5; t++) {
            person.add(v.add(t, 0, 0, 100 + 3 * t, 50));
            // the detector calls the cup class 9 in frame 2: its features still match (feature cost < 0.5)
            cup.add(v.add(t, 2, t == 2 ? 9 : 3, 200 + 5 * t, 120));
            phone.add(v.add(t, 4, 7, 20, 150 - 2 * t));
            if (t == 3) {
                newcomer = v.add(t, 6, 5, 300, 10);
            }
        }
        List<int[]> tracks = v.track(2);
        assertEquals(4, tracks.size());
        assertArrayEquals(person.stream().mapToInt(Integer::intValue).toArray(), tracks.get(0));
        assertArrayEquals(cup.stream().mapToInt(Integer::intValue).toArray(), tracks.get(1));
        assertArrayEquals(phone.stream().mapToInt(Integer::intValue).toArray(), tracks.get(2));
        assertArrayEquals(new int[] {newcomer}, tracks.get(3));
    }

    @Test
    void aTrackUnmatchedForMaxGapFramesEnds() {
        Video v = new Video();
        int first = v.add(0, 3, 4, 10, 10);
        for (int t = 0; t < 5; t++) {
            v.add(t, 0, 0, 100, 50);                        // a person in every frame
        }
        int back = v.add(4, 3, 4, 12, 10);                  // the object is back after frames 1-3
        // gap 2: at frame 2 the object's track is 2 frames old and ends; it comes back as a new track
        List<int[]> shortGap = v.track(2);
        assertEquals(3, shortGap.size());
        assertArrayEquals(new int[] {first}, shortGap.get(0));
        assertArrayEquals(new int[] {back}, shortGap.get(2));
        // gap 5: the track is still live at frame 4 and takes the box back
        List<int[]> longGap = v.track(5);
        assertEquals(2, longGap.size());
        assertArrayEquals(new int[] {first, back}, longGap.get(0));
    }

    @Test
    void aMatchWithDifferentClassAndFeatureIsRejected() {
        Video v = new Video();
        int a = v.add(0, 1, 2, 50, 50);
        // the only box of frame 1 sits where the first was, but looks and classifies differently: a new track
        int b = v.add(1, 5, 8, 50, 50);
        List<int[]> tracks = v.track(2);
        assertEquals(2, tracks.size());
        assertArrayEquals(new int[] {a}, tracks.get(0));
        assertArrayEquals(new int[] {b}, tracks.get(1));
    }

    @Test
    void oracleTracksGroupByLabelInAscendingOrder() {
        List<int[]> t = ObjectTracker.byLabel(new int[] {1, 5, 3, 1, 3, 5, 1});
        assertEquals(3, t.size());
        assertArrayEquals(new int[] {0, 3, 6}, t.get(0));
        assertArrayEquals(new int[] {2, 4}, t.get(1));
        assertArrayEquals(new int[] {1, 5}, t.get(2));
    }

    @Test
    void costPiecesMatchTheirDefinitions() {
        // identical boxes: GIoU 1; disjoint boxes: GIoU = 0 - (enclosing - union) / enclosing
        assertEquals(1.0, ObjectTracker.giou(new double[] {0, 0, 2, 2}, new double[] {0, 0, 2, 2}), 1e-12);
        assertEquals(-1.0 / 3, ObjectTracker.giou(new double[] {0, 0, 1, 1}, new double[] {2, 0, 3, 1}), 1e-12);
        assertEquals(0.0, ObjectTracker.cosineDistance(new double[] {1, 0}, new double[] {4, 0}, 2), 1e-9);
        assertEquals(1.0, ObjectTracker.cosineDistance(new double[] {1, 0}, new double[] {0, 3}, 3), 1e-9);
        assertArrayEquals(new double[] {0.25, 0.5, 0.5, 1.0},
                ObjectTracker.normCxcywh(new double[] {0, 0, 2, 4}, 4, 4), 1e-12);
    }

    @Test
    void labelConsistencyCountsConsecutiveAppearances() {
        int[] gt = {1, 4, 1, 4, 1, 4};
        int[] pred = {1, 4, 1, 7, 1, 7};
        LabelConsistency.Count c = LabelConsistency.of(gt, pred);
        assertEquals(4, c.total());
        assertEquals(3, c.agree());
        assertEquals(0.75, c.rate(), 1e-12);
    }

    /**
     * The reference normalises x by the image height and y by the width. Two tracks at (0, 0) and (100, 100), then
     * boxes at (100, 0) and (0, 100): the straight assignment moves both by 100 in x, the crossed one both by 100
     * in y (class, feature and GIoU costs are equal), so which one wins depends on which axis is divided by 320.
     */
    @Test
    void swappedNormalisationDecidesTheAssignmentAsTheReference() {
        double[][] boxes = {{0, 0, 10, 10}, {100, 100, 110, 110}, {100, 0, 110, 10}, {0, 100, 10, 110}};
        double[][] feats = {{1, 0}, {1, 0}, {1, 0}, {1, 0}};
        double[][] dist = {{1, 0}, {1, 0}, {1, 0}, {1, 0}};
        int[] frame = {0, 0, 1, 1};
        int[] time = {61, 97};
        ObjectTracker.Params p = ObjectTracker.Params.reference(50);
        List<int[]> swapped = ObjectTracker.track(boxes, feats, dist, frame, time, 320, 240, true, p);
        assertArrayEquals(new int[] {0, 3}, swapped.get(0));
        assertArrayEquals(new int[] {1, 2}, swapped.get(1));
        List<int[]> straight = ObjectTracker.track(boxes, feats, dist, frame, time, 320, 240, false, p);
        assertArrayEquals(new int[] {0, 2}, straight.get(0));
        assertArrayEquals(new int[] {1, 3}, straight.get(1));
    }

    /**
     * Ageing in frame numbers, checked at the end of a frame without the object: 50 after its last update retires
     * the track (the object's next box starts a new one), 49 does not.
     */
    @Test
    void tracksRetireAfterFiftyFrameNumbers() {
        double[][] boxes = {{0, 0, 10, 10}, {0, 0, 10, 10}, {50, 50, 60, 60}, {0, 0, 10, 10}};
        double[][] feats = {{1, 0}, {1, 0}, {0, 1}, {1, 0}};
        double[][] dist = {{1, 0}, {1, 0}, {0, 1}, {1, 0}};
        int[] frame = {0, 1, 2, 3};
        ObjectTracker.Params p = ObjectTracker.Params.reference(50);
        // boxes 0, 1 (one track, last update at 20); frame 2 has another object only; the object is back in frame 3
        List<int[]> kept = ObjectTracker.track(boxes, feats, dist, frame, new int[] {10, 20, 69, 80}, 320, 240, true, p);
        assertArrayEquals(new int[] {0, 1, 3}, kept.get(0));
        List<int[]> retired = ObjectTracker.track(boxes, feats, dist, frame, new int[] {10, 20, 70, 80}, 320, 240, true,
                p);
        assertArrayEquals(new int[] {0, 1}, retired.get(0));
        assertEquals(3, retired.size());
    }
}
