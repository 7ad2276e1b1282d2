package org.m3sgg.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * fails on a bad file, and its whole output must be the one line it prints itself. A second child does the same
 * under javacpp's {@code -onednn} platform extension (libnd4j's oneDNN build), with ND4J loaded first, as a model
 * does before the video is read: FFmpeg must load anyway, and ND4J must have taken its oneDNN build where that jar is
 * on the class path (the plain one otherwise).
 */
class FfmpegQuietTest {

    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    /** libnd4j's oneDNN build, present when the class path holds nd4j-native's linux-x86_64-onednn jar. */
    private static final String ONEDNN_LIB = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/";

    /**
     * The child: optionally ND4J first (args[1] = "nd4j"), then encode 3 frames (H.264 encoders log at start),
     * decode them, open a non-video.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        if (args.length > 1) {
            double sum = org.nd4j.linalg.factory.Nd4j.createFromArray(1.0, 2.0, 3.0).sumNumber().doubleValue();
            String lib = org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet().stream()
                    .filter(e -> e.getKey().contains("jnind4jcpu")).map(e -> String.valueOf(e.getValue()))
                    .findFirst().orElse("none");
            System.out.println("nd4j " + sum + " onednn " + lib.contains("linux-x86_64-onednn"));
        }
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
        String out = child(List.of(), tmp.toString());
        assertEquals("decoded 103" + System.lineSeparator(), out);
    }

    @Test
    void ffmpegLoadsUnderTheOneDnnExtensionAfterNd4j(@TempDir Path tmp) throws Exception {
        String out = child(List.of("-D" + EXTENSION + "=-onednn"), tmp.toString(), "nd4j");
        boolean onednnJar = FfmpegQuietTest.class.getClassLoader().getResource(ONEDNN_LIB + "libnd4jcpu.so") != null;
        String nl = System.lineSeparator();
        assertEquals("nd4j 6.0 onednn " + onednnJar + nl + "decoded 103" + nl, out);
    }

    /** Runs {@link #main} in a child JVM with the test's class path, the JVM flags given first; its whole output. */
    private static String child(List<String> flags, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), FfmpegQuietTest.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
