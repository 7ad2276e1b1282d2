package org.m3sgg.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.Box;
import org.m3sgg.data.RawAnnotations;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.data.pickle.PickleIO;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.synth.WorldGenerator.FrameTruth;
import org.m3sgg.synth.WorldGenerator.ObjectTruth;
import org.m3sgg.synth.WorldGenerator.VideoTruth;
import org.m3sgg.synth.WorldGenerator.World;

class WorldGeneratorTest {

    static World world;

    @BeforeAll
    static void generate() {
        world = WorldGenerator.generate(WorldConfig.small(), WorldGenerator.BUNDLED_SEED);
    }

    @Test
    void tablesCoverEveryObjectClassOnceInLabelOrder() {
        assertEquals(35, WorldTables.labels().size());
        for (int label = 2; label <= 36; label++) {
            assertEquals(label, WorldTables.objectClass(label).label());
        }
        for (WorldTables.Mode m : WorldTables.MODES) {
            for (String c : m.contacting()) {
                assertTrue(Vocabulary.CONTACTING.contains(c), c);
            }
        }
    }

    @Test
    void theReleasedFormatsQuirksArePresentInSmallNumbers() {
        Map<String, Object> c = WorldWriter.counts(world);
        int frames = (int) c.get("frames");
        int entries = (int) c.get("object_entries");
        assertEquals(120, c.get("videos"));
        assertEquals(24, c.get("test_videos"));
        assertTrue(frames > 1000 && frames < 1600, "frames " + frames);
        assertBetween((int) c.get("frames_without_person"), 0.005 * frames, 0.06 * frames, "no-person frames");
        assertBetween((int) c.get("invisible_entries"), 0.01 * entries, 0.08 * entries, "invisible entries");
        assertBetween((int) c.get("small_boxes"), 0.01 * entries, 0.08 * entries, "small boxes");
        long one = world.videos().stream().filter(v -> v.frames().size() == 1).count();
        long two = world.videos().stream().filter(v -> v.frames().size() == 2).count();
        assertEquals(2, one);
        assertEquals(2, two);
        assertTrue(world.videos().stream().allMatch(v -> v.frames().size() <= 16));
        double perFrame = (double) entries / frames;
        assertTrue(perFrame > 2 && perFrame < 3.2, "entries per frame like Action Genome's 2.55: " + perFrame);
    }

    @Test
    void framesFollowTheReleasedConventions() {
        Set<String> ids = new HashSet<>();
        for (VideoTruth v : world.videos()) {
            assertTrue(v.id().matches("[0-9A-Z]{5}\\.mp4"), v.id());
            assertTrue(ids.add(v.id()), "video ids are unique");
            int last = 0;
            for (FrameTruth f : v.frames()) {
                assertTrue(f.key().matches(v.id().replace(".", "\\.") + "/\\d{6}\\.png"), f.key());
                assertTrue(f.frameNumber() > last, "frame numbers increase within a video");
                last = f.frameNumber();
                Set<Integer> labels = new HashSet<>();
                for (ObjectTruth o : f.objects()) {
                    assertTrue(labels.add(o.label()), "a class occurs at most once per frame");
                    Box b = o.box();
                    assertTrue(b.x1() >= 0 && b.y1() >= 0 && b.x2() <= v.width() && b.y2() <= v.height()
                            && b.width() >= 1.99 && b.height() >= 1.99, "box inside the frame: " + b);
                }
            }
        }
        for (RawAnnotations.Frame f : world.frames()) {
            String set = null;
            for (RawAnnotations.ObjectEntry o : f.objects()) {
                set = set == null ? o.set() : set;
                assertEquals(set, o.set(), "one split per frame");
                if (o.visible()) {
                    assertEquals(1, o.attention().size());
                    assertFalse(o.spatial().isEmpty());
                    assertFalse(o.contacting().isEmpty());
                    assertTrue(o.spatial().size() <= 5 && o.contacting().size() <= 4);
                } else {
                    assertEquals(null, o.xywh());
                    assertEquals(null, o.attention());
                }
            }
        }
    }

    @Test
    void statesPersistAndSpatialLabelsFollowTheBoxes() {
        int same = 0;
        int steps = 0;
        int spatialAgrees = 0;
        int visible = 0;
        Map<String, RawAnnotations.Frame> byKey = new java.util.HashMap<>();
        world.frames().forEach(f -> byKey.put(f.key(), f));
        for (VideoTruth v : world.videos()) {
            for (int i = 0; i < v.frames().size(); i++) {
                FrameTruth f = v.frames().get(i);
                for (int o = 0; o < f.objects().size(); o++) {
                    ObjectTruth t = f.objects().get(o);
                    if (i > 0) {
                        same += v.frames().get(i - 1).objects().get(o).mode() == t.mode() ? 1 : 0;
                        steps++;
                    }
                    if (t.visible()) {
                        visible++;
                        List<String> rule = WorldGenerator.spatialLabels(t.box(), f.person(), t.depth());
                        List<String> gt = byKey.get(f.key()).objects().get(o).spatial();
                        spatialAgrees += gt.containsAll(rule) ? 1 : 0;
                    }
                }
            }
        }
        double persistence = (double) same / steps;
        assertTrue(persistence > 0.8 && persistence < 0.95, "modes persist but change: " + persistence);
        assertTrue(spatialAgrees == visible, "spatial labels hold the geometry rule (noise only adds)");
    }

    @Test
    void predicatesAreLongTailed() {
        int[] counts = new int[Vocabulary.NUM_PREDICATES];
        for (RawAnnotations.Frame f : world.frames()) {
            for (RawAnnotations.ObjectEntry o : f.objects()) {
                if (o.visible()) {
                    o.attention().forEach(p -> counts[Vocabulary.PREDICATES.indexOf(p)]++);
                    o.spatial().forEach(p -> counts[Vocabulary.PREDICATES.indexOf(p)]++);
                    o.contacting().forEach(p -> counts[Vocabulary.PREDICATES.indexOf(p)]++);
                }
            }
        }
        int[] sorted = java.util.Arrays.stream(counts).sorted().toArray();
        assertTrue(sorted[0] > 0, "every predicate occurs");
        assertTrue(sorted[25] > 100 * sorted[0], "head / tail ratio > 100: " + java.util.Arrays.toString(sorted));
        int top5 = sorted[25] + sorted[24] + sorted[23] + sorted[22] + sorted[21];
        assertTrue(top5 > 0.6 * java.util.Arrays.stream(counts).sum(), "five predicates dominate");
    }

    @Test
    void sameSeedSameWorldOtherSeedOtherWorld() {
        World again = WorldGenerator.generate(WorldConfig.small(), WorldGenerator.BUNDLED_SEED);
        assertEquals(world.videos(), again.videos());
        World other = WorldGenerator.generate(WorldConfig.small(), 7);
        assertNotEquals(world.videos().get(0).id(), other.videos().get(0).id());
    }

    @Test
    void writtenFilesReadBackAsTheSameAnnotationsAndFeatures(@TempDir Path tmp) {
        WorldConfig cfg = WorldConfig.small();
        World w = WorldGenerator.generate(cfg, 11);
        WorldWriter.writeInto(tmp, w, true);
        @SuppressWarnings("unchecked")
        Map<String, Object> persons = (Map<String, Object>) PickleIO.read(
                tmp.resolve("annotations/person_bbox.pkl"));
        @SuppressWarnings("unchecked")
        Map<String, List<Map<String, Object>>> objects = (Map<String, List<Map<String, Object>>>) PickleIO.read(
                tmp.resolve("annotations/object_bbox_and_relationship.pkl"));
        assertEquals(w.frames().size(), persons.size());
        assertEquals(List.copyOf(persons.keySet()), List.copyOf(objects.keySet()));
        FeatureSource fs = FeatureSource.open(tmp.resolve("features"));
        assertEquals(64, fs.meta().featureDim());
        int boxes = 0;
        int correct = 0;
        for (VideoTruth v : w.videos()) {
            VideoFeatures vf = fs.video(v.id());
            for (FrameTruth f : v.frames()) {
                assertEquals(f.personDetected(), vf.hasBox(f.frameNumber(), 1));
                for (ObjectTruth o : f.objects()) {
                    assertEquals(o.visible(), vf.hasBox(f.frameNumber(), o.label()));
                    assertEquals(o.visible() && f.personDetected(), vf.hasUnion(f.frameNumber(), o.label(), 1));
                    if (o.visible()) {
                        float[] d = vf.distribution(f.frameNumber(), o.label());
                        int arg = 0;
                        for (int i = 1; i < d.length; i++) {
                            arg = d[i] > d[arg] ? i : arg;
                        }
                        correct += arg + 1 == o.label() ? 1 : 0;
                        boxes++;
                    }
                }
            }
        }
        double accuracy = (double) correct / boxes;
        // the detector is right unless a frame is corrupted or a box occluded: SGCLS has something to fix
        assertTrue(accuracy > 0.75 && accuracy < 0.95, "detector top-1 accuracy " + accuracy);
    }

    @Test
    void annotationsDoNotDependOnTheFeatureSwitch(@TempDir Path tmp) throws Exception {
        WorldConfig cfg = new WorldConfig("tiny", 6, 1, 1, 3, 5, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                0.04, 0.25, 8, 3, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
        WorldWriter.write(tmp.resolve("a"), cfg, 3, true, false);
        WorldWriter.write(tmp.resolve("b"), cfg, 3, false, false);
        assertFalse(Files.exists(tmp.resolve("b/features")));
        for (String f : List.of("person_bbox.pkl", "object_bbox_and_relationship.pkl",
                "object_bbox_and_relationship_filtersmall.pkl", "frame_list.txt")) {
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(tmp.resolve("a/annotations").resolve(f)),
                    Files.readAllBytes(tmp.resolve("b/annotations").resolve(f))), f);
        }
        try (var s = Files.list(tmp)) {
            assertEquals(2, s.count(), "no temporary folders left behind");
        }
    }

    @Test
    void boxNoiseMovesTheAnnotatedBoxesButNotTheSpatialLabels() {
        // share of visible entries whose spatial labels differ from the rule applied to the annotated box: only the
        // rare extra-label noise without box noise, far more with it (the labels follow the true box)
        double[] mismatch = new double[2];
        double[] noise = {0.0, 0.3};
        for (int k = 0; k < 2; k++) {
            WorldConfig cfg = new WorldConfig("tiny", 40, 1, 1, 6, 8, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                    0.04, 0.25, 8, 3, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, noise[k], 1.0, false);
            WorldGenerator.World w = WorldGenerator.generate(cfg, 11);
            java.util.Map<String, RawAnnotations.Frame> frames = new java.util.HashMap<>();
            w.frames().forEach(f -> frames.put(f.key(), f));
            int n = 0;
            int differ = 0;
            for (WorldGenerator.VideoTruth v : w.videos()) {
                for (WorldGenerator.FrameTruth f : v.frames()) {
                    List<RawAnnotations.ObjectEntry> entries = frames.get(f.key()).objects();
                    for (int i = 0; i < entries.size(); i++) {
                        RawAnnotations.ObjectEntry e = entries.get(i);
                        if (!e.visible()) {
                            continue;
                        }
                        n++;
                        Box annotated = f.objects().get(i).box();
                        if (!new java.util.HashSet<>(e.spatial()).equals(new java.util.HashSet<>(
                                WorldGenerator.spatialLabels(annotated, f.person(), f.objects().get(i).depth())))) {
                            differ++;
                        }
                    }
                }
            }
            mismatch[k] = (double) differ / n;
        }
        assertTrue(mismatch[0] < 0.05, "without box noise the labels follow the annotated box: " + mismatch[0]);
        assertTrue(mismatch[1] > mismatch[0] + 0.1, "with box noise they follow the true box: " + mismatch[1]);
    }

    @Test
    void hiddenEvidenceLeavesOnlyNoiseInTheInteractionChannels() {
        // mean square of the union feature's interaction channels (2..C-1): noise^2 alone when no frame shows its
        // evidence, clearly more when every frame does
        double[] meanSquare = new double[2];
        double[] rate = {0.0, 1.0};
        for (int k = 0; k < 2; k++) {
            WorldConfig cfg = new WorldConfig("tiny", 20, 1, 1, 6, 8, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04,
                    0.1, 0.04, 0.25, 8, 3, 3, 2, 1.2, 1, 0.7, 0, 0.15, 0, 0.35, 2.5, 0, 0, rate[k], false);
            World w = WorldGenerator.generate(cfg, 11);
            FeatureSynth synth = new FeatureSynth(cfg, 11);
            double sum = 0;
            long n = 0;
            for (int v = 0; v < w.videos().size(); v++) {
                float[] u = synth.build(w.videos().get(v), v).arrays(synth.meta()).get("union_feat").floats();
                int cells = FeatureSynth.UNION_SIZE * FeatureSynth.UNION_SIZE;
                int per = cfg.unionChannels() * cells;
                for (int p = 0; p < u.length / per; p++) {
                    for (int i = 2 * cells; i < per; i++) {
                        sum += (double) u[p * per + i] * u[p * per + i];
                        n++;
                    }
                }
            }
            meanSquare[k] = sum / n;
        }
        assertTrue(Math.abs(meanSquare[0] - 0.49) < 0.03, "hidden evidence: noise only, got " + meanSquare[0]);
        assertTrue(meanSquare[1] > meanSquare[0] + 0.1, "shown evidence: " + meanSquare[1]);
    }

    @Test
    void alternatingEvidenceShowsOnEveryOtherFrameAndKeepsTheOtherDraws() {
        WorldConfig random = new WorldConfig("tiny", 20, 1, 1, 6, 8, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04,
                0.1, 0.04, 0.25, 8, 3, 3, 2, 1.2, 1, 0.7, 0, 0.15, 0, 0.35, 2.5, 0, 0, 0.5, false);
        WorldConfig alternate = new WorldConfig("tiny", 20, 1, 1, 6, 8, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04,
                0.1, 0.04, 0.25, 8, 3, 3, 2, 1.2, 1, 0.7, 0, 0.15, 0, 0.35, 2.5, 0, 0, 0.5, true);
        World w = WorldGenerator.generate(alternate, 11);
        assertEquals(WorldGenerator.generate(random, 11).videos().size(), w.videos().size());
        FeatureSynth a = new FeatureSynth(alternate, 11);
        FeatureSynth r = new FeatureSynth(random, 11);
        int cells = FeatureSynth.UNION_SIZE * FeatureSynth.UNION_SIZE;
        int per = alternate.unionChannels() * cells;
        int same = 0;
        for (int v = 0; v < w.videos().size(); v++) {
            VideoTruth video = w.videos().get(v);
            List<boolean[]> ea = a.evidence(video, v);
            List<boolean[]> er = r.evidence(video, v);
            float[] ua = a.build(video, v).arrays(a.meta()).get("union_feat").floats();
            float[] ur = r.build(video, v).arrays(r.meta()).get("union_feat").floats();
            assertEquals(ur.length, ua.length);
            int row = 0;
            for (int f = 0; f < video.frames().size(); f++) {
                FrameTruth fr = video.frames().get(f);
                for (int j = 0; j < fr.objects().size(); j++) {
                    int label = fr.objects().get(j).label();
                    assertEquals((f + label) % 2 == 0, ea.get(f)[j], "video " + v + " frame " + f + " object " + j);
                    if (!fr.objects().get(j).visible() || !fr.personDetected()) {
                        continue;
                    }
                    if (ea.get(f)[j] == er.get(f)[j]) {
                        // the same draws: where the two worlds agree on the flag, the union feature is the same
                        assertArrayEquals(java.util.Arrays.copyOfRange(ur, row * per, (row + 1) * per),
                                java.util.Arrays.copyOfRange(ua, row * per, (row + 1) * per));
                        same++;
                    }
                    row++;
                }
            }
        }
        assertTrue(same > 50, "entries where both worlds agree: " + same);
    }

    @Test
    void evidenceFlagsTellWhichUnionFeaturesCarryTheInteraction() {
        // FeatureSynth.evidence replays the draws of build: hidden entries have noise-only interaction channels
        WorldConfig cfg = new WorldConfig("tiny", 20, 1, 1, 6, 8, 0.2, List.of(1.0, 1.0), 8, 40, 0.03, 0.04,
                0.1, 0.04, 0.25, 8, 3, 3, 2, 1.2, 1, 0.7, 0, 0.15, 0, 0.35, 2.5, 0, 0, 0.5, false);
        World w = WorldGenerator.generate(cfg, 11);
        FeatureSynth synth = new FeatureSynth(cfg, 11);
        int cells = FeatureSynth.UNION_SIZE * FeatureSynth.UNION_SIZE;
        double[] sum = new double[2];
        long[] n = new long[2];
        int shown = 0;
        int total = 0;
        for (int v = 0; v < w.videos().size(); v++) {
            VideoTruth video = w.videos().get(v);
            List<boolean[]> evidence = synth.evidence(video, v);
            assertEquals(video.frames().size(), evidence.size());
            float[] u = synth.build(video, v).arrays(synth.meta()).get("union_feat").floats();
            int per = cfg.unionChannels() * cells;
            int row = 0;
            for (int f = 0; f < video.frames().size(); f++) {
                FrameTruth fr = video.frames().get(f);
                for (int j = 0; j < fr.objects().size(); j++) {
                    total++;
                    shown += evidence.get(f)[j] ? 1 : 0;
                    if (!fr.objects().get(j).visible() || !fr.personDetected()) {
                        continue; // no union row
                    }
                    int k = evidence.get(f)[j] ? 1 : 0;
                    for (int i = 2 * cells; i < per; i++) {
                        sum[k] += (double) u[row * per + i] * u[row * per + i];
                        n[k]++;
                    }
                    row++;
                }
            }
            assertEquals(u.length / per, row, "one union row per visible object of a frame with a person");
        }
        double rate = (double) shown / total;
        assertTrue(rate > 0.4 && rate < 0.6, "evidence shown for about half the entries: " + rate);
        assertTrue(Math.abs(sum[0] / n[0] - 0.49) < 0.03, "hidden: noise only, got " + sum[0] / n[0]);
        assertTrue(sum[1] / n[1] > sum[0] / n[0] + 0.1, "shown: " + sum[1] / n[1]);
    }

    private static void assertBetween(int value, double lo, double hi, String what) {
        assertTrue(value >= lo && value <= hi, what + " = " + value + ", expected in [" + lo + ", " + hi + "]");
    }
}
