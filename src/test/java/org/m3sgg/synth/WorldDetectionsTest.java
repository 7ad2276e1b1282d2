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
}
