package org.m3sgg.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.LegacyIou;
import org.m3sgg.features.DetectionFolder;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.synth.WorldGenerator.FrameTruth;
import org.m3sgg.synth.WorldGenerator.ObjectTruth;
import org.m3sgg.synth.WorldGenerator.VideoTruth;
import org.m3sgg.testing.Fixtures;

/** The synthetic world's maps, head and detector on the bundled world. */
class WorldDetectionsTest {

    static WorldDetections source;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        source = WorldDetections.open(Fixtures.repoRoot().resolve("datasets/synthetic-ag"));
    }

    /** Recall at IoU 0.5 (+1 convention) and class accuracy of matched boxes on the test split; printed. */
    @Test
    void detectorRecallAndClassAccuracyOnTheTestSplit() {
        int gt = 0;
        int found = 0;
        int correct = 0;
        int objGt = 0;
        int objFound = 0;
        int objCorrect = 0;
        int dets = 0;
        int videos = 0;
        long t0 = System.nanoTime();
        for (int v = 0; v < source.world().videos().size(); v++) {
            VideoTruth truth = source.world().videos().get(v);
            if (!truth.set().equals("test")) {
                continue;
            }
            videos++;
            VideoDetections d = source.synth().detect(truth, v);
            dets += d.boxCount();
            for (int t = 0; t < d.frameCount(); t++) {
                FrameTruth fr = truth.frames().get(t);
                assertEquals(fr.frameNumber(), d.frameNumber(t));
                java.util.List<Box> boxes = new java.util.ArrayList<>();
                java.util.List<Integer> labels = new java.util.ArrayList<>();
                if (fr.personDetected()) {
                    boxes.add(fr.person());
                    labels.add(Vocabulary.PERSON);
                }
                for (ObjectTruth o : fr.objects()) {
                    if (o.visible()) {
                        boxes.add(o.box());
                        labels.add(o.label());
                    }
                }
                for (int g = 0; g < boxes.size(); g++) {
                    double best = 0;
                    int bestRow = -1;
                    for (int r = d.firstBox(t); r < d.firstBox(t + 1); r++) {
                        float[] b = d.box(r);
                        double iou = LegacyIou.iou(boxes.get(g), new Box(b[1], b[2], b[3], b[4]));
                        if (iou > best) {
                            best = iou;
                            bestRow = r;
                        }
                    }
                    boolean hit = best >= 0.5;
                    boolean right = hit && d.labels()[bestRow] == labels.get(g);
                    gt++;
                    found += hit ? 1 : 0;
                    correct += right ? 1 : 0;
                    if (labels.get(g) != Vocabulary.PERSON) {
                        objGt++;
                        objFound += hit ? 1 : 0;
                        objCorrect += right ? 1 : 0;
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "synthetic detector, test split (%d videos): %d GT boxes, %d detections; "
                + "recall@0.5 %.3f (objects %.3f), class accuracy of matched %.3f (objects %.3f); %.1f ms per video%n",
                videos, gt, dets, (double) found / gt, (double) objFound / objGt, (double) correct / found,
                (double) objCorrect / objFound, 1000 * secs / videos);
        assertTrue((double) found / gt > 0.8, "recall " + found + "/" + gt);
        assertTrue((double) correct / found > 0.5, "class accuracy " + correct + "/" + found);
    }

    /** A small world of the bundled config: 10 videos, so that writing its detections takes a second. */
    static WorldConfig tiny(WorldConfig.Sgdet sgdet) {
        WorldConfig s = WorldConfig.small();
        return new WorldConfig("tiny", 10, 1, 1, 3, 6, 0.2, s.objectsPerVideo(), s.minFrameStep(),
                s.maxFrameStep(), s.noPersonRate(), s.invisibleRate(), s.attentionResample(), s.labelNoise(),
                s.sizeSpread(), s.featureDim(), s.unionChannels(), s.classSignal(), s.stateSignal(),
                s.attentionSignal(), s.unionSignal(), s.noise(), s.corruptFrameRate(), s.corruptSignal(),
                s.occludedBoxRate(), s.occludedSignal(), s.detectorSharpness(), s.quantum(), s.boxNoise(),
                s.evidenceRate(), s.evidenceAlternate(), sgdet);
    }

    @Test
    void onTheFlyEqualsWrittenThenReadBitForBit() {
        Path dir = tmp.resolve("w");
        WorldWriter.write(dir, tiny(null), 11, false, true, false);
        DetectionFolder folder = DetectionFolder.open(dir.resolve(WorldWriter.DETECTIONS));
        WorldDetections fly = WorldDetections.open(dir);
        assertEquals(fly.meta(), folder.meta());
        int boxes = 0;
        for (VideoTruth v : fly.world().videos()) {
            VideoDetections a = fly.video(v.id());
            VideoDetections b = folder.video(v.id());
            assertEquals(a.arrays(fly.meta()), b.arrays(folder.meta()), v.id());
            assertArrayEquals(a.maps().data(), b.maps().data(), v.id());
            boxes += a.boxCount();
            // the folder's head.npz is the world's head: same features for the same boxes
            float[][] rois = new float[a.boxCount()][];
            for (int r = 0; r < rois.length; r++) {
                float[] box = a.box(r);
                float s = a.scales()[(int) box[0]];
                rois[r] = new float[] {box[0], box[1] * s, box[2] * s, box[3] * s, box[4] * s};
            }
            float[][] f1 = fly.head().features(a.maps(), rois);
            float[][] f2 = folder.head().features(b.maps(), rois);
            for (int r = 0; r < rois.length; r++) {
                assertArrayEquals(f1[r], f2[r]);
                assertArrayEquals(a.feature(r), f1[r], "features = head(RoIAlign(map, box * scale))");
                assertArrayEquals(fly.head().classLogits(f1[r]), folder.head().classLogits(f2[r]));
            }
        }
        assertTrue(boxes > 50, "boxes " + boxes);
    }

    @Test
    void sgdetParametersLeaveAnnotationsAndFeaturesAlone() {
        WorldConfig.Sgdet other = new WorldConfig.Sgdet(400, 1, 1, 1, 3, 1, 0.2, 0.5, 0, 1, 1, 0.2, 0.5, 0.5, 10,
                0.5, 0.5, 1, 0.5, 1, 0.9, 0.9);
        WorldGenerator.World a = WorldGenerator.generate(tiny(null), 3);
        WorldGenerator.World b = WorldGenerator.generate(tiny(other), 3);
        assertEquals(a.videos(), b.videos()); // the latent truth, hence the annotations
        FeatureSynth fa = new FeatureSynth(a.config(), 3);
        FeatureSynth fb = new FeatureSynth(b.config(), 3);
        for (int v = 0; v < a.videos().size(); v++) {
            assertEquals(fa.build(a.videos().get(v), v).arrays(fa.meta()), fb.build(b.videos().get(v), v).arrays(fb.meta()));
        }
        VideoDetections da = new DetectionSynth(a.config(), 3).detect(a.videos().get(0), 0);
        VideoDetections db = new DetectionSynth(b.config(), 3).detect(b.videos().get(0), 0);
        assertTrue(da.maps().height() != db.maps().height(), "a shorter blob side gives smaller maps");
    }

    @Test
    void mapsFollowTheDocumentedSizeRule() {
        // AG's 480x270 -> blob 1067x600 -> 67x38 cells; 480x360 -> 800x600 -> 50x38; 270x480 -> 600x1067 -> 38x67
        assertEquals(67, DetectionSynth.cells(480, DetectionSynth.scale(480, 270, 600)));
        assertEquals(38, DetectionSynth.cells(270, DetectionSynth.scale(480, 270, 600)));
        assertEquals(50, DetectionSynth.cells(480, DetectionSynth.scale(480, 360, 600)));
        for (VideoTruth v : source.world().videos().subList(0, 6)) {
            FrameMaps m = source.video(v.id()).maps();
            float s = DetectionSynth.scale(v.width(), v.height(), 600);
            assertEquals(DetectionSynth.cells(v.height(), s), m.height());
            assertEquals(DetectionSynth.cells(v.width(), s), m.width());
            assertEquals(8, m.channels());
        }
    }

    @Test
    void aWorldJsonOfAnotherGeneratorIsRefused() throws Exception {
        Path dir = tmp.resolve("w2");
        java.nio.file.Files.createDirectories(dir);
        String json = java.nio.file.Files.readString(Fixtures.repoRoot().resolve("datasets/synthetic-ag/world.json"))
                .replace("\"frames\" : 1236", "\"frames\" : 1237");
        java.nio.file.Files.writeString(dir.resolve("world.json"), json);
        org.m3sgg.api.KitException e = org.junit.jupiter.api.Assertions.assertThrows(org.m3sgg.api.KitException.class,
                () -> WorldDetections.open(dir));
        assertTrue(e.getMessage().contains("counts.frames"), e.getMessage());
        java.nio.file.Files.writeString(dir.resolve("world.json"), json.replace("\"shortSide\"", "\"shortSid\""));
        e = org.junit.jupiter.api.Assertions.assertThrows(org.m3sgg.api.KitException.class, () -> WorldDetections.open(dir));
        assertTrue(e.getMessage().contains("world.json") && e.getMessage().lines().count() == 1, e.getMessage());
    }

    /**
     * What the maps carry, judged by nearest centroids fitted on the train split per (class, mode): the interaction
     * mode of a test object, given its class, from the head feature of its ground-truth box and from RoIAlign of the
     * person-object union box, on boxes whose evidence shows and on those whose evidence is hidden; the prior is the
     * class's most frequent mode. Printed.
     */
    @Test
    void headFeaturesAndUnionBoxesCarryTheInteractionWhenItShows() {
        int modes = WorldTables.MODES.size();
        int keys = Vocabulary.NUM_OBJECT_CLASSES * modes;
        int f = source.meta().featureDim();
        int u = source.meta().mapChannels() * 49;
        double[][] boxSum = new double[keys][f];
        double[][] unionSum = new double[keys][u];
        int[] count = new int[keys];
        java.util.List<Object[]> test = new java.util.ArrayList<>(); // {label, mode, shown, box feature, union, prev}
        FeatureSynth fs = new FeatureSynth(source.world().config(), source.world().seed());
        for (int v = 0; v < source.world().videos().size(); v++) {
            VideoTruth truth = source.world().videos().get(v);
            VideoDetections d = source.video(truth.id());
            java.util.List<boolean[]> shown = fs.evidence(truth, v);
            java.util.Map<Integer, float[]> lastShown = new java.util.HashMap<>(); // label -> previous frame's feature
            for (int t = 0; t < truth.frames().size(); t++) {
                FrameTruth fr = truth.frames().get(t);
                float s = d.scales()[t];
                java.util.Map<Integer, float[]> nowShown = new java.util.HashMap<>();
                for (int j = 0; j < fr.objects().size(); j++) {
                    ObjectTruth o = fr.objects().get(j);
                    if (!o.visible()) {
                        continue;
                    }
                    Box b = o.box();
                    Box un = b.union(fr.person());
                    float[] roi = {t, (float) b.x1() * s, (float) b.y1() * s, (float) b.x2() * s, (float) b.y2() * s};
                    float[] uroi = {t, (float) un.x1() * s, (float) un.y1() * s, (float) un.x2() * s,
                        (float) un.y2() * s};
                    float[] feat = source.head().features(d.maps(), new float[][] {roi})[0];
                    float[] union = org.m3sgg.sgdet.RoiAlign.apply(d.maps(), new float[][] {uroi}, 7);
                    if (truth.set().equals("train")) {
                        int k = o.label() * modes + o.mode();
                        count[k]++;
                        for (int i = 0; i < f; i++) {
                            boxSum[k][i] += feat[i];
                        }
                        for (int i = 0; i < u; i++) {
                            unionSum[k][i] += union[i];
                        }
                    } else {
                        test.add(new Object[] {o.label(), o.mode(), shown.get(t)[j], feat, union,
                            lastShown.get(o.label())});
                    }
                    if (shown.get(t)[j]) {
                        nowShown.put(o.label(), feat);
                    }
                }
                lastShown = nowShown;
            }
        }
        int[][] right = new int[2][3]; // [hidden, shown][box, union, prior]
        int[] n = new int[2];
        int withPrev = 0;
        int prevRight = 0;
        for (Object[] x : test) {
            int label = (int) x[0];
            int mode = (int) x[1];
            int k = (boolean) x[2] ? 1 : 0;
            int prior = -1;
            for (int m = 0; m < modes; m++) {
                prior = count[label * modes + m] > 0 && (prior < 0
                        || count[label * modes + m] > count[label * modes + prior]) ? m : prior;
            }
            if (prior < 0) {
                continue; // a class the train split never shows
            }
            n[k]++;
            right[k][0] += nearest((float[]) x[3], boxSum, count, label, modes) == mode ? 1 : 0;
            right[k][1] += nearest((float[]) x[4], unionSum, count, label, modes) == mode ? 1 : 0;
            right[k][2] += prior == mode ? 1 : 0;
            if (k == 0 && x[5] != null) { // hidden now, shown in the previous frame
                withPrev++;
                prevRight += nearest((float[]) x[5], boxSum, count, label, modes) == mode ? 1 : 0;
            }
        }
        System.out.printf(Locale.ROOT, "interaction mode given the class, nearest (class, mode) centroid, test split: "
                + "evidence shown (%d boxes): box feature %.3f, union RoIAlign %.3f, class prior %.3f; hidden (%d): "
                + "box %.3f, union %.3f, class prior %.3f%n",
                n[1], (double) right[1][0] / n[1], (double) right[1][1] / n[1], (double) right[1][2] / n[1],
                n[0], (double) right[0][0] / n[0], (double) right[0][1] / n[0], (double) right[0][2] / n[0]);
        System.out.printf(Locale.ROOT, "hidden now, shown in the previous frame (%d boxes): the previous frame's box "
                + "feature %.3f%n", withPrev, (double) prevRight / withPrev);
        assertTrue((double) prevRight / withPrev > (double) right[0][0] / n[0] + 0.1,
                "the previous frame tells what this one hides");
        assertTrue(right[1][1] > right[1][2] + 0.05 * n[1], "the union box carries the interaction when it shows");
        assertTrue(right[1][0] > right[1][2] + 0.05 * n[1], "the object's feature carries its state when it shows");
    }

    private static int nearest(float[] x, double[][] sums, int[] count, int label, int modes) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int m = 0; m < modes; m++) {
            int k = label * modes + m;
            if (count[k] == 0) {
                continue;
            }
            double d = 0;
            for (int i = 0; i < x.length; i++) {
                double c = x[i] - sums[k][i] / count[k];
                d += c * c;
            }
            if (d < bestD) {
                bestD = d;
                best = m;
            }
        }
        return best;
    }
}
