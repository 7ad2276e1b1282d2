package org.m3sgg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.testing.Fixtures;

/** The loader against what STTran's own loader reports on the shared fixture folder. */
class ActionGenomeFixtureTest {

    private static final Path FOLDER = Fixtures.path("ag-format");

    @Test
    void countersMatchStTranKeyByKey() throws Exception {
        JsonNode expected = new ObjectMapper().readTree(FOLDER.resolve("reference_counts.json").toFile());
        Map<String, LoaderCounts> stats = ActionGenome.open(FOLDER).stats(LoadOptions.DEFAULT);
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        assertEquals(names, List.copyOf(stats.keySet()));
        for (String split : names) {
            JsonNode want = expected.get(split);
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = want.fieldNames(); it.hasNext();) {
                keys.add(it.next());
            }
            assertEquals(keys, LoaderCounts.KEYS, split);
            Map<String, Long> got = stats.get(split).toMap();
            for (String k : keys) {
                assertEquals(want.get(k).asLong(), got.get(k), split + "." + k);
            }
        }
    }

    @Test
    void keptVideosAgreeWithTheirCounters() {
        AgSplit train = ActionGenome.open(FOLDER).load(Mode.PREDCLS, "train");
        assertEquals(train.counts().videos(), train.videos().size());
        long objects = 0;
        long relations = 0;
        for (AgVideo v : train.videos()) {
            assertTrue(v.frames().size() > 2, v.id());
            objects += v.objectCount();
            relations += v.relationCount();
            int previous = -1;
            for (AgFrame f : v.frames()) {
                assertEquals(v.id(), f.videoId());
                assertTrue(f.frameNumber() > previous, "frames in file order, which is time order here");
                previous = f.frameNumber();
                assertTrue(!f.objects().isEmpty());
                for (AgObject o : f.objects()) {
                    assertTrue(o.label() >= 2 && o.label() < Vocabulary.NUM_OBJECT_CLASSES);
                    assertTrue(o.box().isValid());
                }
            }
        }
        assertEquals(train.counts().objects(), objects);
        assertEquals(train.counts().relations(), relations);
    }

    @Test
    void keepingTwoFrameVideosAddsExactlyThem() {
        ActionGenome ag = ActionGenome.open(FOLDER);
        AgSplit sttran = ag.load("train", true, LoadOptions.DEFAULT);
        AgSplit keep = ag.load("train", true, new LoadOptions(true));
        List<AgVideo> added = new ArrayList<>(keep.videos());
        added.removeAll(sttran.videos());
        assertTrue(!added.isEmpty(), "the fixture has two-frame videos");
        for (AgVideo v : added) {
            assertEquals(2, v.frames().size());
        }
        assertEquals(sttran.counts().videosNoPersonOrTwoFrames() - added.size(),
                keep.counts().videosNoPersonOrTwoFrames());
        assertEquals(sttran.counts().frames(), keep.counts().frames());
    }

    @Test
    void recordsHoldConvertedBoxesAndLocalPredicateIds() throws Exception {
        // the expected values come from reading the fixture pickles in Python once (see the comment per value)
        AgSplit train = ActionGenome.open(FOLDER).load(Mode.PREDCLS, "train");
        AgFrame first = train.videos().get(0).frames().get(0);
        assertEquals(FIRST_KEY, first.key());
        assertArrayEquals(FIRST_PERSON, first.personBox().toArray(), 1e-4);
        AgObject o = first.objects().get(0);
        assertEquals(FIRST_OBJECT_LABEL, o.label());
        assertArrayEquals(FIRST_OBJECT_XYXY, o.box().toArray(), 1e-9);
        assertArrayEquals(FIRST_OBJECT_ATT, o.attention());
        assertArrayEquals(FIRST_OBJECT_SPA, o.spatial());
        assertArrayEquals(FIRST_OBJECT_CON, o.contacting());
    }

    // First kept PredCLS train frame, printed by STTran's loader logic in Python: 000009 has no person box.
    static final String FIRST_KEY = "OS0TG.mp4/000016.png";
    static final double[] FIRST_PERSON = {4.444132328033447, 63.67460250854492, 44.6840705871582, 184.07827758789062};
    static final int FIRST_OBJECT_LABEL = 16; // floor
    static final double[] FIRST_OBJECT_XYXY = {39.69028634730139, 155.47557413864405, 146.17701515076726,
        245.6051789358434};
    static final int[] FIRST_OBJECT_ATT = {2}; // unsure
    static final int[] FIRST_OBJECT_SPA = {};
    static final int[] FIRST_OBJECT_CON = {7}; // lying_on
}
