package org.m3sgg.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

/**
 * FFmpeg writes to the native stderr, which a test inside the JVM cannot capture: a child JVM encodes, decodes and
 * fails on a bad file, and its whole output must be the one line it prints itself.
 */
class FfmpegQuietTest {

    /** The child: encode 3 frames (H.264 encoders log at start), decode them, open a non-video. */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<java.awt.image.BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            frames.add(VideoRoundTripTest.render(i));
        }
        Path clip = ClipWriter.writeMp4(dir.resolve("q.mp4"), frames, 12);
        int n = 0;
        try (FrameSource s = FrameSources.video(clip, Sampling.ALL)) {
            while (s.next().isPresent()) {
                n++;
            }
        }
        Path bad = Files.writeString(dir.resolve("bad.mp4"), "no video here");
        try {
            FrameSources.video(bad, Sampling.ALL).close();
        } catch (KitException e) {
            n += 100;
        }
        System.out.println("decoded " + n);
    }

    @Test
    void nothingButTheKitsOwnOutput(@TempDir Path tmp) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FfmpegQuietTest.class.getName(), tmp.toString());
        pb.redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        assertEquals("decoded 103" + System.lineSeparator(), out);
    }
}
