package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.m3sgg.cli.CliRun.run;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.Mode;
import org.m3sgg.infer.GraphsFile;
import org.m3sgg.infer.InferTesting;
import org.m3sgg.infer.SceneGraph;
import org.m3sgg.video.ClipWriter;
import org.m3sgg.video.FrameSource;
import org.m3sgg.video.FrameSources;
import org.m3sgg.video.Sampling;

/**
 * {@code m3sgg infer} end to end on a clip the test renders (8 frames of 160 x 96), with the reduced fixture detector
 * at target size 96 and a tiny SGDET STTran trained a few steps on its detections. Plumbing only: the weights are
 * random, nothing here is about accuracy.
 */
class InferCommandTest {

    @TempDir
    static Path tmp;

    static Path clip;
    static Path runDir;

    @BeforeAll
    static void setUp() throws Exception {
        clip = InferTesting.renderClip(tmp.resolve("clip"), 8);
        runDir = InferTesting.run(tmp.resolve("run"), Mode.SGDET, 512, 256, 2);
    }

    private static List<String> args(Path out, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("infer", "--checkpoint", runDir.toString(), "--detector",
                InferTesting.detectorFile().toString(), "--out", out.toString(), "--target-size", "96"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void aFrameFolderGivesGraphsOverlaysTimelineAndPreview() throws Exception {
        Path out = tmp.resolve("out-all");
        CliRun r = run(args(out, "--frames", clip.toString(), "--top", "5"));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("8 frames"), r.out());
        GraphsFile g = GraphsFile.read(out.resolve("graphs.json"));
        assertEquals(8, g.frames().size());
        assertEquals(5, g.topK());
        assertEquals(160, g.frameWidth());
        for (SceneGraph s : g.frames()) {
            Path overlay = out.resolve(String.format("overlays/%06d.png", s.index()));
            BufferedImage img = ImageIO.read(overlay.toFile());
            assertTrue(img.getWidth() > 160 && img.getHeight() > 96, overlay + " holds the frame and its graph");
        }
        assertEquals(8, count(out.resolve("overlays")));
        assertTrue(ImageIO.read(out.resolve("timeline.png").toFile()).getWidth() > 0);
        assertEquals(8, gifFrames(out.resolve("preview.gif")));
        assertFalse(r.all().contains("Exception"), r.all());
    }

    @Test
    void anMp4GivesTheSameOutputsAndAnMp4Preview() throws Exception {
        List<BufferedImage> frames = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
            frames.add(InferTesting.clipFrame(t));
        }
        Path video = ClipWriter.writeMp4(tmp.resolve("clip.mp4"), frames, 8);
        Path out = tmp.resolve("out-video");
        CliRun r = run(args(out, "--video", video.toString(), "--preview", "mp4"));
        assertEquals(0, r.code(), r.all());
        GraphsFile g = GraphsFile.read(out.resolve("graphs.json"));
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), g.frames().stream().map(SceneGraph::index).toList());
        assertEquals("frame-000003", g.frames().get(3).name());
        assertEquals(8, count(out.resolve("overlays")));
        assertTrue(Files.isRegularFile(out.resolve("timeline.png")));
        try (FrameSource preview = FrameSources.video(out.resolve("preview.mp4"), Sampling.ALL)) {
            int n = 0;
            while (preview.next().isPresent()) {
                n++;
            }
            assertEquals(8, n, "one preview frame per sampled frame");
        }
    }

    @Test
    void everySecondFrameWithoutPreview() throws Exception {
        Path out = tmp.resolve("out-half");
        CliRun r = run(args(out, "--frames", clip.toString(), "--every", "2", "--preview", "none"));
        assertEquals(0, r.code(), r.all());
        GraphsFile g = GraphsFile.read(out.resolve("graphs.json"));
        assertEquals(List.of(0, 2, 4, 6), g.frames().stream().map(SceneGraph::index).toList());
        assertEquals(2, g.every());
        assertEquals(4, count(out.resolve("overlays")));
        assertFalse(Files.exists(out.resolve("preview.gif")));
    }

    @Test
    void aRunOfAnotherModeIsOneErrorLine() throws Exception {
        Path predcls = InferTesting.run(tmp.resolve("predcls"), Mode.PREDCLS, 512, 256, 0);
        CliRun r = run("infer", "--checkpoint", predcls.toString(), "--detector",
                InferTesting.detectorFile().toString(), "--frames", clip.toString(), "--out",
                tmp.resolve("out-x").toString());
        assertEquals(2, r.code(), r.all());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("predcls mode"), r.err());
    }

    @Test
    void framesOfMixedSizesAreNamed() throws Exception {
        Path mixed = Files.createDirectories(tmp.resolve("mixed"));
        ImageIO.write(InferTesting.clipFrame(0), "png", mixed.resolve("000000.png").toFile());
        ImageIO.write(new BufferedImage(80, 48, BufferedImage.TYPE_INT_RGB), "png",
                mixed.resolve("000001.png").toFile());
        CliRun r = run(args(tmp.resolve("out-mixed"), "--frames", mixed.toString()));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("000001.png") && r.err().contains("80x48"), r.err());
        assertFalse(r.all().contains("\tat "), r.all());
    }

    @Test
    void videoAndFramesTogetherIsAUsageError() {
        CliRun r = run(args(tmp.resolve("out-both"), "--frames", clip.toString(), "--video",
                clip.resolve("000000.png").toString()));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("exactly one of --video FILE and --frames DIR"), r.err());
    }

    @Test
    void aWindowThatIsNotAMultipleOfTheChunkAndTwoSamplingsAreUsageErrors() {
        CliRun r = run(args(tmp.resolve("out-w"), "--frames", clip.toString(), "--window", "15"));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--window 15") && r.err().contains("multiple of 10"), r.err());
        r = run(args(tmp.resolve("out-s"), "--frames", clip.toString(), "--every", "2", "--fps", "5"));
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--every 2") && r.err().contains("--fps 5"), r.err());
    }

    @Test
    void anUnreadableVideoIsOneErrorLineNamingIt() throws Exception {
        Path bad = Files.writeString(tmp.resolve("not-a-video.mp4"), "this is text, not a video\n");
        CliRun r = run(args(tmp.resolve("out-bad"), "--video", bad.toString()));
        assertEquals(2, r.code(), r.all());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("not-a-video.mp4"), r.err());
        assertFalse(Files.exists(tmp.resolve("out-bad").resolve("graphs.json")));
    }

    static long count(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".png")).count();
        }
    }

    static int gifFrames(Path gif) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(in);
            int n = reader.getNumImages(true);
            reader.dispose();
            return n;
        }
    }
}
