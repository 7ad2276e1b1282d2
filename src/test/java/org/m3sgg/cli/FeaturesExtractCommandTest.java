package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.data.LoadOptions;
import org.m3sgg.detector.DetectorSettings;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.detector.LayerFourHead;
import org.m3sgg.extract.ExtractPlan;
import org.m3sgg.extract.FeatureExtractor;
import org.m3sgg.features.DetectionFolder;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.RoiAlign;
import org.m3sgg.testing.Fixtures;
import org.m3sgg.video.DetectorInput;

/**
 * {@code m3sgg features extract} end to end on data the test makes: a small synthetic world in Action Genome's
 * annotation layout, PNG frames rendered for every annotated key (coloured boxes where the annotations put them),
 * and the reduced detector fixture (layer 3: 256 channels, layer 4: 512) at target size 96. The folders validate
 * and load, the trainer runs on them, finished videos are skipped, an interrupted run leaves no partial file, and a
 * feature equals a direct call of the detector. The weights are random: nothing here is about accuracy.
 */
class FeaturesExtractCommandTest {

    static final int TARGET = 96;

    @TempDir
    static Path tmp;

    static Path world;
    static Path frames;
    static Path checkpoint;
    static Path out;
    static CliRun first;

    @BeforeAll
    static void extractOnce() throws IOException {
        world = tmp.resolve("world");
        CliRun g = CliRun.run("data", "generate", "--out", world.toString(), "--no-features", "--seed", "7", "--set",
                "world.videos=7", "--set", "world.min_frames=3", "--set", "world.max_frames=5");
        assertEquals(0, g.code(), g.all());
        frames = render(world, tmp.resolve("frames"));
        checkpoint = Fixtures.file("detector-reference/faster_rcnn_ag.zip.tar");
        out = tmp.resolve("out");
        first = extract(out, frames);
    }

    static CliRun extract(Path outDir, Path frameDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("features", "extract", "--data-path", world.toString(), "--frames",
                frameDir.toString(), "--out", outDir.toString(), "--checkpoint", checkpoint.toString(),
                "--target-size", "" + TARGET));
        args.addAll(List.of(extra));
        return CliRun.run(args);
    }

    /** One PNG per annotated key: a noisy grey frame of the video's size with a coloured block per box. */
    static Path render(Path data, Path dir) throws IOException {
        ActionGenome ag = ActionGenome.open(data);
        Map<String, int[]> sizes = new HashMap<>();
        for (String split : List.of("train", "test")) {
            for (AgVideo v : ag.load(split, false, LoadOptions.DEFAULT).videos()) {
                sizes.put(v.id(), new int[] {v.width(), v.height()});
            }
        }
        Random rng = new Random(3);
        for (ExtractPlan.PlannedVideo v : ExtractPlan.of(ag).videos()) {
            int[] wh = sizes.get(v.id());
            for (ExtractPlan.PlannedFrame f : v.frames()) {
                BufferedImage img = new BufferedImage(wh[0], wh[1], BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < wh[1]; y++) {
                    for (int x = 0; x < wh[0]; x++) {
                        int g = 90 + rng.nextInt(40);
                        img.setRGB(x, y, g << 16 | g << 8 | g);
                    }
                }
                Graphics2D gr = img.createGraphics();
                for (ExtractPlan.GtBox b : f.boxes()) {
                    gr.setColor(Color.getHSBColor(b.label() / 37f, 0.8f, 0.9f));
                    Box x = b.box();
                    gr.fillRect((int) x.x1(), (int) x.y1(), (int) Math.max(1, x.width()), (int) Math.max(1, x.height()));
                }
                gr.dispose();
                Path p = dir.resolve(f.key());
                Files.createDirectories(p.getParent());
                ImageIO.write(img, "png", p.toFile());
            }
        }
        return dir;
    }

    static ExtractPlan plan() {
        return ExtractPlan.of(ActionGenome.open(world));
    }

    @Test
    void writesFoldersTheKitReads() {
        assertEquals(0, first.code(), first.all());
        ExtractPlan plan = plan();
        assertTrue(first.out().contains(plan.videos().size() + " written, 0 skipped"), first.out());
        FeatureSource fs = FeatureSource.open(out.resolve("features"));
        assertEquals(512, fs.meta().featureDim());
        assertEquals(256, fs.meta().unionChannels());
        assertEquals(7, fs.meta().unionSize());
        DetectionFolder df = DetectionFolder.open(out.resolve("detections"));
        assertEquals(256, df.meta().mapChannels());
        assertInstanceOf(LayerFourHead.class, df.head());
        assertEquals(512, df.head().featureDim());
        for (ExtractPlan.PlannedVideo v : plan.videos()) {
            VideoFeatures vf = fs.video(v.id());
            VideoDetections vd = df.video(v.id());
            assertEquals(v.frames().size(), vd.frameCount());
            for (int t = 0; t < v.frames().size(); t++) {
                ExtractPlan.PlannedFrame f = v.frames().get(t);
                assertEquals(f.number(), vd.frameNumber(t));
                for (ExtractPlan.GtBox b : f.boxes()) {
                    assertTrue(vf.hasBox(f.number(), b.label()), v.id() + " " + f.key() + " " + b.label());
                    float sum = 0;
                    for (float p : vf.distribution(f.number(), b.label())) {
                        sum += p;
                    }
                    assertEquals(1, sum, 1e-5);
                    if (b.label() != 1) {
                        assertTrue(vf.hasUnion(f.number(), 1, b.label()));
                    }
                }
            }
        }
        CliRun val = CliRun.run("data", "validate", "--data-path", world.toString());
        assertEquals(0, val.code(), val.all());
    }

    @Test
    void secondRunSkipsFinishedVideos() throws IOException {
        Path f = out.resolve("features").resolve(plan().videos().get(0).id() + ".npz");
        FileTime before = Files.getLastModifiedTime(f);
        CliRun again = extract(out, frames);
        assertEquals(0, again.code(), again.all());
        assertTrue(again.out().contains("0 written, " + plan().videos().size() + " skipped"), again.out());
        assertEquals(before, Files.getLastModifiedTime(f));
    }

    @Test
    void featuresAloneEqualTheCombinedRun() {
        Path o = tmp.resolve("features-only");
        String id = plan().videos().get(0).id();
        CliRun r = extract(o, frames, "--what", "features", "--videos", "1");
        assertEquals(0, r.code(), r.all());
        assertFalse(Files.exists(o.resolve("detections")));
        // RCNN_base alone (features only) and inside detect() (both folders) give the same arrays
        assertEquals(org.m3sgg.features.Npz.read(out.resolve("features").resolve(id + ".npz")),
                org.m3sgg.features.Npz.read(o.resolve("features").resolve(id + ".npz")));
    }

    @Test
    void featuresEqualADirectCallOfTheDetector() throws IOException {
        ExtractPlan.PlannedVideo v = plan().videos().get(0);
        ExtractPlan.PlannedFrame f = v.frames().get(v.frames().size() - 1);
        FasterRcnn det = FasterRcnn.load(checkpoint, DetectorSettings.sttran());
        DetectorInput.Blob blob = DetectorInput.sttran(ImageIO.read(frames.resolve(f.key()).toFile()), TARGET);
        FrameMaps maps = det.base(blob.chw(), 1, blob.height(), blob.width(), new float[] {blob.scale()}).maps();
        VideoFeatures vf = FeatureSource.open(out.resolve("features")).video(v.id());
        float s = blob.scale();
        float[] person = null;
        for (ExtractPlan.GtBox b : f.boxes()) {
            Box x = b.box();
            float[] roi = {0, (float) x.x1() * s, (float) x.y1() * s, (float) x.x2() * s, (float) x.y2() * s};
            LayerFourHead.Output o = det.head().run(maps, new float[][] {roi});
            assertClose(o.features()[0], vf.feature(f.number(), b.label()), 1e-5, "feature of label " + b.label());
            if (b.label() == 1) {
                person = roi;
            } else {
                float[] u = {0, Math.min(person[1], roi[1]), Math.min(person[2], roi[2]), Math.max(person[3], roi[3]),
                    Math.max(person[4], roi[4])};
                assertClose(RoiAlign.apply(maps, new float[][] {u}, 7), vf.union(f.number(), 1, b.label()), 1e-5,
                        "union of label " + b.label());
            }
        }
        // the stored float16 map is the detector's map to float16 precision
        VideoDetections vd = DetectionFolder.open(out.resolve("detections")).video(v.id());
        FrameMaps stored = vd.maps();
        int t = v.frames().size() - 1;
        float[] mine = java.util.Arrays.copyOfRange(stored.data(), stored.offset(t), stored.offset(t) + maps.frameLength());
        for (int i = 0; i < mine.length; i++) {
            assertEquals(maps.data()[i], mine[i], 1e-3 * Math.max(1, Math.abs(maps.data()[i])), "map value " + i);
        }
        assertEquals(blob.scale(), vd.scales()[t]);
    }

    /**
     * The default detections are the detector's boxes as the reference leaves them: a direct {@link FasterRcnn#detect}
     * on the video's chunk gives the same rows, frame 0 of the chunk inside the frame, later frames possibly beyond
     * the right/bottom edge; {@code --clip-boxes} clips every frame (and says so in meta.json).
     */
    @Test
    void detectionBoxesAreTheReferencesUnlessClipBoxes() throws IOException {
        assertEquals(0, first.code(), first.all());
        assertFalse(first.out().contains("clipped to the frame"), first.out());
        DetectionFolder df = DetectionFolder.open(out.resolve("detections"));
        assertEquals(org.m3sgg.features.DetectionsMeta.REFERENCE, df.meta().boxes());
        FasterRcnn det = FasterRcnn.load(checkpoint, DetectorSettings.sttran());
        Path clippedOut = tmp.resolve("clip-boxes");
        CliRun c = extract(clippedOut, frames, "--what", "detections", "--clip-boxes");
        assertEquals(0, c.code(), c.all());
        DetectionFolder dc = DetectionFolder.open(clippedOut.resolve("detections"));
        assertEquals(org.m3sgg.features.DetectionsMeta.CLIPPED, dc.meta().boxes());
        int beyond = 0;
        int total = 0;
        int changed = 0;
        for (ExtractPlan.PlannedVideo v : plan().videos()) {
            assertTrue(v.frames().size() <= DetectorSettings.sttran().chunk(), "one chunk per video here");
            List<DetectorInput.Blob> blobs = new ArrayList<>();
            for (ExtractPlan.PlannedFrame f : v.frames()) {
                blobs.add(DetectorInput.sttran(ImageIO.read(frames.resolve(f.key()).toFile()), TARGET));
            }
            DetectorInput.Batch b = DetectorInput.batch(blobs);
            FasterRcnn.Final fin = det.detect(b.images(), b.frames(), b.height(), b.width(), b.imInfo()).detections();
            float scale = b.imInfo()[0][2];
            float maxX = (b.imInfo()[0][1] - 1) / scale;
            float maxY = (b.imInfo()[0][0] - 1) / scale;
            VideoDetections vd = df.video(v.id());
            VideoDetections vc = dc.video(v.id());
            assertEquals(fin.boxes().length, vd.boxCount(), v.id());
            assertEquals(fin.boxes().length, vc.boxCount(), v.id());
            for (int r = 0; r < vd.boxCount(); r++) {
                float[] want = fin.boxes()[r];
                float[] got = vd.box(r);
                assertArrayEquals(want, got, v.id() + " row " + r);
                float[] clip = vc.box(r);
                float[] expect = {want[0], Math.min(want[1], maxX), Math.min(want[2], maxY), Math.min(want[3], maxX),
                    Math.min(want[4], maxY)};
                assertArrayEquals(expect, clip, v.id() + " clipped row " + r);
                changed += java.util.Arrays.equals(expect, want) ? 0 : 1;
                for (int k = 1; k <= 4; k++) {
                    assertTrue(got[k] >= 0, v.id() + " row " + r); // clamp(0)
                }
                if (got[0] == 0) {
                    assertTrue(got[3] <= maxX && got[4] <= maxY, v.id() + " frame 0 of the chunk is clipped, row " + r);
                } else if (got[3] > maxX || got[4] > maxY) {
                    beyond++;
                }
                total++;
            }
        }
        System.out.println("features extract: " + beyond + " of " + total + " detections beyond the right/bottom edge "
                + "(frames 1.. of a chunk), " + changed + " changed by --clip-boxes");
        assertTrue(beyond > 0, "the random-weight detector leaves some boxes beyond the edge in later frames");
        assertEquals(changed, beyond, "--clip-boxes changes exactly the unclipped frames' boxes beyond the edge");
        assertTrue(c.out().contains("(" + changed + " clipped to the frame)"), c.out());
        // a folder of the other kind is not mixed into
        CliRun mixed = extract(clippedOut, frames, "--what", "detections");
        assertEquals(2, mixed.code(), mixed.all());
        assertTrue(mixed.err().contains("boxes clipped") && mixed.err().contains("boxes reference"), mixed.err());
    }

    private static void assertClose(float[] want, float[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol, what + " at " + i);
        }
    }

    @Test
    void anInterruptedRunLeavesNoPartialFileAndResumes() throws IOException {
        Path o = tmp.resolve("interrupted");
        ExtractPlan plan = plan().select(new org.m3sgg.extract.VideoSelection(2, List.of()));
        String second = plan.videos().get(1).id();
        FeatureExtractor ex = FeatureExtractor.open(checkpoint,
                new FeatureExtractor.Options(frames, o, true, true, TARGET, "float16", false));
        RuntimeException boom = assertThrows(RuntimeException.class, () -> ex.run(plan, new FeatureExtractor.Listener() {
            @Override
            public void onFrames(String videoId, int count) {
                if (videoId.equals(second)) {
                    throw new IllegalStateException("killed while working on " + videoId);
                }
            }
        }));
        assertTrue(boom.getMessage().contains(second));
        String firstId = plan.videos().get(0).id();
        for (String sub : List.of("features", "detections")) {
            assertTrue(Files.isRegularFile(o.resolve(sub).resolve(firstId + ".npz")));
            assertFalse(Files.exists(o.resolve(sub).resolve(second + ".npz")));
            try (Stream<Path> s = Files.list(o.resolve(sub))) {
                List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
                assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), names.toString());
            }
        }
        FeatureExtractor.Summary r = ex.run(plan, new FeatureExtractor.Listener() {});
        assertEquals(1, r.skipped());
        assertEquals(plan.videos().size() - 1, r.written());
        FeatureSource.open(o.resolve("features")).video(second);
        DetectionFolder.open(o.resolve("detections")).video(second);
    }

    /** PredCLS, SGCLS and SGDET, one epoch each at tiny widths (the slow tier, {@code mvn -Pslow test}). */
    @org.junit.jupiter.api.Tag("slow")
    @Test
    void theTrainerRunsOnTheExtractedFolders() {
        for (String mode : List.of("predcls", "sgcls", "sgdet")) {
            Path run = tmp.resolve("run-" + mode);
            List<String> args = new ArrayList<>(List.of("train", "--mode", mode, "--data-path", world.toString(),
                    "--out", run.toString()));
            for (String s : List.of("data.features=" + out.resolve("features"), "data.detections="
                    + out.resolve("detections"), "model.feature=512", "model.union_in=256", "model.union_out=4",
                    "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2", "model.ffn=16",
                    "model.enc_layers=1", "model.dec_layers=1", "model.classifier_hidden=8", "model.pos_embed=4",
                    "train.epochs=1", "train.val_fraction=0.25", "train.checkpoint_every=0", "train.log_every=1")) {
                args.add("--set");
                args.add(s);
            }
            CliRun r = CliRun.run(args);
            assertEquals(0, r.code(), mode + "\n" + r.all());
            assertTrue(Files.isRegularFile(run.resolve("test.scores.json")), mode);
        }
    }

    @Test
    void aMissingFrameFileIsNamed() throws IOException {
        Path copy = tmp.resolve("frames-missing");
        copyTree(frames, copy);
        ExtractPlan.PlannedFrame f = plan().videos().get(0).frames().get(1);
        Files.delete(copy.resolve(f.key()));
        CliRun r = extract(tmp.resolve("out-missing"), copy, "--videos", "1");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("annotated frame " + f.key()) && r.err().contains(copy.resolve(f.key()).toString()),
                r.err());
        assertFalse(r.all().contains("Exception"), r.all());
    }

    @Test
    void framesOfMixedSizesAreNamed() throws IOException {
        Path copy = tmp.resolve("frames-mixed");
        copyTree(frames, copy);
        ExtractPlan.PlannedVideo v = plan().videos().get(0);
        ExtractPlan.PlannedFrame f = v.frames().get(2);
        ImageIO.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png", copy.resolve(f.key()).toFile());
        CliRun r = extract(tmp.resolve("out-mixed"), copy, "--videos", v.id(), "--what", "features");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains(f.key() + " is 64x48, the video's first frame " + v.frames().get(0).key()),
                r.err());
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsTheDetectorsError() {
        Path sttran = Fixtures.file("sttran-reference/sttran_predcls.zip.tar");
        CliRun r = CliRun.run("features", "extract", "--data-path", world.toString(), "--frames", frames.toString(),
                "--out", tmp.resolve("out-arch").toString(), "--checkpoint", sttran.toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("sttran_predcls.zip.tar"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(Files.exists(tmp.resolve("out-arch").resolve("features")));
    }

    @Test
    void anUnknownVideoIsNamed() {
        CliRun r = extract(tmp.resolve("out-unknown"), frames, "--videos", "NOPE1.mp4");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--videos: video NOPE1.mp4"), r.err());
        assertThrows(KitException.class, () -> new FeatureExtractor.Options(frames, out, false, false, 96, "float16", false));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
    }
}
