package org.m3sgg.sgdet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;

/** Both paths of the pipeline on the fixture, its quirks, its switches and frames without detections. */
class SgdetPipelineTest {

    private static final Detections DET = SgdetFixture.IN.detections();
    private static final FrameMaps MAPS = SgdetFixture.IN.maps();
    private static final SgdetPipeline REF = new SgdetPipeline(SgdetFixture.HEAD, SgdetOptions.reference());

    @Test
    void testPathHumansLabelsAndPairsAreTheReferences() {
        TestEntry e = REF.test(DET, MAPS);
        assertArrayEquals(SgdetFixture.ints("test_human_idx", 2), e.humanIdx());
        assertArrayEquals(SgdetFixture.ints("test_pred_labels", 1), e.labels());
        assertArrayEquals(SgdetFixture.ints("test_pair_idx", 2), SgdetParity.flat(e.pairs()));
        assertEquals(48, e.pairs().length);
        assertArrayEquals(SgdetParity.flat(SgdetFixture.rows("test_boxes")), SgdetParity.flat(e.boxes()));
        assertEquals(-1, SgdetFixture.firstBitDifference(SgdetFixture.npy("test_spatial_masks", 4).floats(),
                e.masks()), "masks bit for bit");
        // frame 2 has no person detection: its human is the box with the largest (tiny) person probability
        int h = e.humanIdx()[2];
        assertEquals(1, e.labels()[h]);
        assertTrue(e.scores()[h] < 0.5f);
        // boxes stay frame-contiguous and frameStart says where each frame begins
        for (int t = 0; t < 6; t++) {
            for (int i = e.frameStart()[t]; i < e.frameStart()[t + 1]; i++) {
                assertEquals(t, (int) e.boxes()[i][0]);
            }
        }
        assertEquals(e.boxes().length, e.frameStart()[6]);
    }

    /**
     * Boxes beyond the frame's right/bottom edge, as STTran's detector leaves them in frames 1..9 of a chunk, go
     * through both paths: union features are RoIAlign's (bins beyond the map pool zeros, torchvision's rule), masks
     * stay in the mask's range.
     */
    @Test
    void boxesBeyondTheRightBottomEdgeGoThroughBothPaths() {
        float[][] boxes = new float[DET.size()][];
        int moved = 0;
        for (int i = 0; i < boxes.length; i++) {
            boxes[i] = DET.boxes()[i].clone();
            if (DET.frame(i) == 1) {
                boxes[i][3] += 2000;
                boxes[i][4] += 2000;
                moved++;
            }
        }
        assertTrue(moved > 0);
        Detections beyond = new Detections(boxes, DET.features(), null, DET.scores());
        TestEntry e = REF.test(beyond, MAPS);
        TrainEntry tr = REF.train(beyond, MAPS, SgdetFixture.IN.truth());
        int c = MAPS.channels();
        int checked = 0;
        for (float[][] u : List.of(e.unionBoxes(), tr.unionBoxes())) {
            float[] feats = u == e.unionBoxes() ? e.unionFeatures() : tr.unionFeatures();
            float[] masks = u == e.unionBoxes() ? e.masks() : tr.masks();
            assertEquals((long) u.length * c * 49, feats.length);
            for (float m : masks) {
                assertTrue(m >= -0.5f && m <= 0.5f, "mask value " + m);
            }
            for (int p = 0; p < u.length; p++) {
                if ((int) u[p][0] != 1) {
                    continue;
                }
                float[] one = RoiAlign.apply(MAPS, new float[][] {u[p]}, 7);
                assertArrayEquals(one, Arrays.copyOfRange(feats, p * c * 49, (p + 1) * c * 49), "union " + p);
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < 7; y++) {
                        assertEquals(0f, one[ch * 49 + y * 7 + 6], "the last bin column lies beyond the map");
                    }
                }
                checked++;
            }
        }
        assertTrue(checked > 0, "pairs in frame 1");
    }

    @Test
    void givenDistributionIsUsedAsIs() {
        BoxSet tail = DetectorTail.apply(DET, SgdetFixture.HEAD);
        Detections withDist = new Detections(DET.boxes(), DET.features(), tail.distribution(), DET.scores());
        TestEntry a = new SgdetPipeline(null, SgdetOptions.reference()).test(withDist, MAPS);
        TestEntry b = REF.test(DET, MAPS);
        assertArrayEquals(SgdetParity.flat(b.distribution()), SgdetParity.flat(a.distribution()));
        assertArrayEquals(SgdetParity.flat(b.pairs()), SgdetParity.flat(a.pairs()));
    }

    @Test
    void trainPathReproducesTheSelfPairQuirkByDefault() {
        TrainEntry e = REF.train(DET, MAPS, SgdetFixture.IN.truth());
        assertArrayEquals(SgdetFixture.ints("train_pair_idx", 2), SgdetParity.flat(e.pairs()));
        assertTrue(Arrays.stream(e.pairs()).anyMatch(p -> p[0] == 22 && p[1] == 22), "frame 2's self-pair [22, 22]");
        assertArrayEquals(SgdetFixture.ints("train_labels", 1), e.labels());
        assertArrayEquals(SgdetFixture.ints("train_pair_gt", 2), SgdetParity.flat(e.pairGt()));
    }

    @Test
    void matchedPersonSubjectUsesTheSuppliedPersonBox() {
        TrainEntry ref = REF.train(DET, MAPS, SgdetFixture.IN.truth());
        TrainEntry e = new SgdetPipeline(SgdetFixture.HEAD,
                SgdetOptions.reference().withSubject(SgdetOptions.Subject.MATCHED_PERSON))
                .train(DET, MAPS, SgdetFixture.IN.truth());
        assertEquals(ref.pairs().length, e.pairs().length);
        for (int p = 0; p < e.pairs().length; p++) {
            int t = e.imIdx()[p];
            RelationAssigner.Assignment a = e.assignments()[t];
            int person = a.found()[indexOf(a.gt(), 0)] + e.frameStart()[t];
            assertEquals(person, e.pairs()[p][0], "pair " + p);
            assertEquals(ref.pairs()[p][1], e.pairs()[p][1], "objects do not change");
            assertTrue(e.pairs()[p][0] != e.pairs()[p][1], "no self-pairs");
        }
        // frame 2's person was supplied: the subject is the supplied box (label 1, score 1)
        int s = e.pairs()[Arrays.stream(e.imIdx()).boxed().toList().indexOf(2)][0];
        assertEquals(1, e.labels()[s]);
        assertEquals(1f, e.scores()[s]);
    }

    @Test
    void supplyOffKeepsOnlyDetectionsAndSkipsFramesWithoutAMatchedPerson() {
        SgdetOptions o = new SgdetOptions(0.6, new int[] {5, 8, 17}, 0.5, false, SgdetOptions.Subject.REFERENCE);
        TrainEntry e = new SgdetPipeline(SgdetFixture.HEAD, o).train(DET, MAPS, SgdetFixture.IN.truth());
        assertEquals(DET.size(), e.boxes().length);
        assertFalse(Arrays.stream(e.imIdx()).anyMatch(t -> t == 2), "frame 2's person matched nothing");
        assertEquals(17 - 3 - 1, e.pairs().length, "frame 2's three pairs and frame 3's supplied object are gone");
    }

    @Test
    void framesWithoutDetectionsHaveNoHumanAndNoTestPairs() {
        Detections d = withoutFrame(2);
        TestEntry e = REF.test(d, MAPS);
        assertEquals(-1, e.humanIdx()[2]);
        assertEquals(e.frameStart()[2], e.frameStart()[3]);
        assertFalse(Arrays.stream(e.imIdx()).anyMatch(t -> t == 2));
        assertTrue(e.pairs().length > 0);
        TrainEntry tr = REF.train(d, MAPS, SgdetFixture.IN.truth());
        // every ground truth of frame 2 is supplied; its pairs use supplied boxes only
        RelationAssigner.Assignment a = tr.assignments()[2];
        assertArrayEquals(new int[] {0, 1, 2, 3}, a.supply());
        assertEquals(4, tr.frameStart()[3] - tr.frameStart()[2]);
        assertEquals(3, Arrays.stream(tr.imIdx()).filter(t -> t == 2).count());
    }

    @Test
    void videoWithoutAnyDetectionGivesEmptyTestEntry() {
        Detections none = new Detections(new float[0][], new float[0][], null, new float[0]);
        TestEntry e = REF.test(none, MAPS);
        assertEquals(0, e.boxes().length);
        assertEquals(0, e.pairs().length);
        assertEquals(0, e.unionFeatures().length);
        assertArrayEquals(new int[] {-1, -1, -1, -1, -1, -1}, e.humanIdx());
    }

    @Test
    void badInputsAreOneLineErrors() {
        KitException order = assertThrows(KitException.class, () -> new Detections(
                new float[][] {{1, 0, 0, 1, 1}, {0, 0, 0, 1, 1}}, new float[][] {{0}, {0}}, null, null));
        assertTrue(order.getMessage().contains("grouped by frame"), order.getMessage());
        KitException frame = assertThrows(KitException.class, () -> REF.test(new Detections(
                new float[][] {{6, 0, 0, 1, 1}}, new float[][] {new float[64]}, null, null), MAPS));
        assertTrue(frame.getMessage().contains("frame 6 of a video with 6 frame maps"), frame.getMessage());
        KitException width = assertThrows(KitException.class, () -> REF.test(new Detections(
                new float[][] {{0, 0, 0, 1, 1}}, new float[][] {new float[3]}, null, null), MAPS));
        assertTrue(width.getMessage().contains("box head 64"), width.getMessage());
        assertThrows(KitException.class, () -> REF.train(DET, MAPS, SgdetFixture.IN.truth().subList(0, 5)));
    }

    @Test
    void optionsAreValidated() {
        assertEquals(SgdetOptions.reference(), new SgdetOptions(0.6, new int[] {5, 8, 17}, 0.5, true,
                SgdetOptions.Subject.REFERENCE));
        assertThrows(KitException.class, () -> new SgdetOptions(1.5, new int[0], 0.5, true,
                SgdetOptions.Subject.REFERENCE));
        assertThrows(KitException.class, () -> new SgdetOptions(0.6, new int[] {0}, 0.5, true,
                SgdetOptions.Subject.REFERENCE));
        assertThrows(KitException.class, () -> new SgdetOptions(0.6, new int[0], 1.0, true,
                SgdetOptions.Subject.REFERENCE));
        assertThrows(KitException.class, () -> new SgdetOptions(0.6, new int[0], 0.5, true, null));
    }

    private static Detections withoutFrame(int t) {
        List<Integer> keep = new ArrayList<>();
        for (int i = 0; i < DET.size(); i++) {
            if (DET.frame(i) != t) {
                keep.add(i);
            }
        }
        float[][] b = new float[keep.size()][];
        float[][] f = new float[keep.size()][];
        float[] s = new float[keep.size()];
        for (int k = 0; k < b.length; k++) {
            b[k] = DET.boxes()[keep.get(k)];
            f[k] = DET.features()[keep.get(k)];
            s[k] = DET.scores()[keep.get(k)];
        }
        return new Detections(b, f, null, s);
    }

    private static int indexOf(int[] a, int v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        return -1;
    }
}
