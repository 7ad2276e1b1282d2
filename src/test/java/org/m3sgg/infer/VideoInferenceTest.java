package org.m3sgg.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.video.DetectorInput;
import org.m3sgg.video.Sampling;

/**
 * The Java API of inference on the rendered clip with the reduced fixture detector and a tiny SGDET STTran trained a
 * few steps on that detector's detections. Random weights: these tests check plumbing and consistency, never
 * accuracy.
 */
class VideoInferenceTest {

    @TempDir
    static Path tmp;

    static Path clip;
    static VideoInference vi;
    static VideoInference.Options options;
    static VideoInference.Result all;

    @BeforeAll
    static void setUp() throws Exception {
        clip = InferTesting.renderClip(tmp.resolve("clip"), 8);
        Path run = InferTesting.run(tmp.resolve("run"), Mode.SGDET, 512, 256, 3);
        vi = new VideoInference(InferTesting.detector(), "fixture detector", SgdetRun.open(run));
        options = VideoInference.Options.defaults().withTargetSize(96).withTopK(8);
        all = vi.run(clip, options);
    }

    @Test
    void everyFrameHasAGraphInSourceOrder() {
        assertEquals(8, all.graphs().size());
        assertEquals(160, all.width());
        assertEquals(96, all.height());
        for (int t = 0; t < 8; t++) {
            assertEquals(t, all.graphs().get(t).index());
            assertEquals(String.format("%06d.png", t), all.graphs().get(t).name());
        }
    }

    @Test
    void nodesAreTheFramesDetectionsAndTripletsComeFromTheirPairs() {
        FasterRcnn det = InferTesting.detector();
        List<DetectorInput.Blob> blobs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            blobs.add(DetectorInput.sttran(InferTesting.clipFrame(t), 96));
        }
        DetectorInput.Batch b = DetectorInput.batch(blobs);
        float[][] boxes = det.detect(b.images(), b.frames(), b.height(), b.width(), b.imInfo()).detections().boxes();
        int withTriplets = 0;
        for (SceneGraph g : all.graphs()) {
            int persons = 0;
            for (SceneGraph.Node n : g.objects()) {
                persons += n.label() == Vocabulary.PERSON ? 1 : 0;
                assertTrue(isDetection(boxes, g.index(), n.box()), "frame " + g.index() + " node " + n.id()
                        + " is not one of the frame's detections");
                assertTrue(n.score() >= 0 && n.score() <= 1);
            }
            assertEquals(g.objects().isEmpty() ? 0 : 1, persons, "one human per frame with detections");
            assertEquals(g.objects().size() - persons, g.pairs().size(), "one pair per non-human object");
            for (SceneGraph.Pair p : g.pairs()) {
                assertEquals(Vocabulary.PERSON, g.objects().get(p.subject()).label());
                double sum = 0;
                for (double a : p.attention()) {
                    sum += a;
                }
                assertEquals(1.0, sum, 1e-9, "attention is a softmax");
            }
            assertTrue(g.triplets().size() <= options.topK());
            double last = Double.POSITIVE_INFINITY;
            for (SceneGraph.Triplet tr : g.triplets()) {
                assertTrue(tr.tripletScore() <= last, "triplets best first");
                last = tr.tripletScore();
                SceneGraph.Pair p = pairOf(g, tr);
                double[] scores = switch (tr.type()) {
                    case "attention" -> p.attention();
                    case "spatial" -> p.spatial();
                    default -> p.contacting();
                };
                int local = tr.predicateId() - Vocabulary.Group.valueOf(tr.type().toUpperCase()).offset;
                assertEquals(scores[local], tr.score(), 0.0);
                double max = 0;
                for (double s : scores) {
                    max = Math.max(max, s);
                }
                assertEquals(max, tr.score(), 0.0, "with the constraint a pair's triplet is its best of the type");
                assertEquals(g.objects().get(tr.subject()).score() * g.objects().get(tr.object()).score()
                        * tr.score(), tr.tripletScore(), 1e-12);
            }
            withTriplets += g.triplets().isEmpty() ? 0 : 1;
        }
        assertTrue(withTriplets > 0, "the clip gives triplets on some frame");
    }

    @Test
    void samplingEverySecondFrameGivesHalfTheFrames() {
        VideoInference.Result half = vi.run(clip, options.withSampling(Sampling.every(2)));
        assertEquals(List.of(0, 2, 4, 6), half.graphs().stream().map(SceneGraph::index).toList());
    }

    @Test
    void theGraphsFileRoundTripsAndRejectsAnotherFormat() throws Exception {
        Path f = vi.file(all, options).write(tmp.resolve("graphs.json"));
        GraphsFile back = GraphsFile.read(f);
        assertEquals(8, back.frames().size());
        assertEquals(GraphsFile.FORMAT, back.format());
        for (int t = 0; t < 8; t++) {
            SceneGraph a = all.graphs().get(t);
            SceneGraph c = back.frames().get(t);
            assertEquals(a.objects().size(), c.objects().size());
            assertEquals(a.triplets(), c.triplets());
        }
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, Files.readString(f).replace(GraphsFile.FORMAT, "m3sgg-graphs/0"));
        KitException e = assertThrows(KitException.class, () -> GraphsFile.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("m3sgg-graphs/0"),
                e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tempura", "stket", "dsg-detr"})
    void everyRegisteredModelTrainedInSgdetRuns(String name) throws Exception {
        Path run = InferTesting.run(tmp.resolve("run-" + name), name, Mode.SGDET, 512, 256, 0);
        VideoInference other = new VideoInference(InferTesting.detector(), "fixture detector", SgdetRun.open(run));
        VideoInference.Result r = other.run(clip, options.withSampling(Sampling.every(4)));
        assertEquals(List.of(0, 4), r.graphs().stream().map(SceneGraph::index).toList());
        assertEquals(name, other.model().name());
        assertTrue(r.graphs().stream().anyMatch(g -> !g.triplets().isEmpty()), name + " gives triplets");
    }

    private static boolean isDetection(float[][] boxes, int frame, double[] box) {
        for (float[] d : boxes) {
            if ((int) d[0] == frame && Math.abs(d[1] - box[0]) < 1e-3 && Math.abs(d[2] - box[1]) < 1e-3
                    && Math.abs(d[3] - box[2]) < 1e-3 && Math.abs(d[4] - box[3]) < 1e-3) {
                return true;
            }
        }
        return false;
    }

    /** The pair a triplet comes from (spatial triplets go object -> person). */
    private static SceneGraph.Pair pairOf(SceneGraph g, SceneGraph.Triplet t) {
        for (SceneGraph.Pair p : g.pairs()) {
            boolean forward = p.subject() == t.subject() && p.object() == t.object();
            boolean back = p.subject() == t.object() && p.object() == t.subject();
            if ("spatial".equals(t.type()) ? back : forward) {
                return p;
            }
        }
        throw new AssertionError("triplet " + t + " has no pair");
    }
}
