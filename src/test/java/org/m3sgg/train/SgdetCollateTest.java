package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.sgdet.TestEntry;

/** SGDET collation on the bundled world: detections in, never ground-truth boxes at test time. */
class SgdetCollateTest {

    private static RunData data;

    @BeforeAll
    static void load() {
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), List.of(
                "data.max_train_videos=6", "data.max_test_videos=4", "train.val_fraction=0.2"));
        data = RunData.of(cfg, Mode.SGDET);
    }

    @Test
    void testInputsAreThePipelinesDetections() {
        AgVideo v = data.test().get(0);
        VideoDetections det = data.sgdetVideo(v);
        Collate.Video c = SgdetCollate.test(v, det, data.sgdet());
        SgdetCollate.Selected s = SgdetCollate.select(v, det);
        TestEntry e = data.sgdet().test(s.detections(), s.maps());
        assertEquals(e.boxes().length, c.inputs().numBoxes());
        for (int i = 0; i < e.boxes().length; i++) {
            assertArrayEquals(new double[] {e.boxes()[i][1], e.boxes()[i][2], e.boxes()[i][3], e.boxes()[i][4]},
                    c.inputs().boxes()[i]);
        }
        assertArrayEquals(e.labels(), c.inputs().labels());
        assertNull(c.targets());
        assertNotNull(c.scores());
        assertArrayEquals(e.frameStart(), c.frameBox());
        // every pair's subject is its frame's human
        for (int k = 0; k < c.inputs().numPairs(); k++) {
            assertEquals(1, c.inputs().labels()[c.inputs().pairs()[k][0]]);
        }
    }

    @Test
    void trainingPairsCarryTheirGroundTruthObjectsLabels() {
        AgVideo v = data.train().get(0);
        Collate.Video c = SgdetCollate.train(v, data.sgdetVideo(v), data.sgdet());
        assertNotNull(c.targets());
        assertEquals(c.inputs().numPairs(), c.targets().attention().length);
        int objects = 0;
        for (AgFrame f : v.frames()) {
            objects += f.objects().size();
        }
        // one pair per matched or supplied object (SUPPLY is on): every annotated object once
        assertEquals(objects, c.inputs().numPairs());
        int k = 0;
        for (AgFrame f : v.frames()) {
            for (AgObject o : f.objects()) {
                assertEquals(o.attention()[0], c.targets().attention()[k]);
                assertArrayEquals(o.spatial(), c.targets().spatial()[k]);
                k++;
            }
        }
        // object targets are the assigned labels (0 = background allowed)
        assertArrayEquals(c.inputs().labels(), c.targets().objectLabels());
        assertTrue(Arrays.stream(c.targets().objectLabels()).allMatch(l -> l >= 0 && l <= 36));
    }

    @Test
    void anAnnotatedFrameWithoutDetectionsIsNamed() {
        AgVideo v = data.test().get(0);
        VideoDetections det = data.sgdetVideo(v);
        long[] frames = det.frames().clone();
        long missing = v.frames().get(1).frameNumber();
        for (int i = 0; i < frames.length; i++) {
            if (frames[i] == missing) {
                frames[i] = missing + 1; // still ascending: the next annotated frame is further on
            }
        }
        VideoDetections other = new VideoDetections(det.videoId(), "test-source", data.detections().meta(), frames,
                det.scales(), det.imageHeight(), det.imageWidth(), det.boxes(), det.features(), det.distribution(),
                det.scores(), det.labels(), det.maps().data(), det.maps().height(), det.maps().width());
        KitException e = assertThrows(KitException.class, () -> SgdetCollate.test(v, other, data.sgdet()));
        assertTrue(e.getMessage().contains(v.id()) && e.getMessage().contains(v.frames().get(1).key()),
                e.getMessage());
    }

    @Test
    void ceilingsAreSharesOfTheGroundTruth() {
        SgdetCeiling c = SgdetCeiling.of(data, data.test());
        assertTrue(c.boxes() > 0 && c.relations() > 0);
        assertTrue(c.boxRecall() >= c.labelledRecall() && c.labelledRecall() > 0 && c.boxRecall() <= 1, c.toString());
        assertTrue(c.relationCeiling() >= c.labelledCeiling() && c.labelledCeiling() > 0, c.toString());
    }
}
