package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.detector.RandomDetectorWeights;
import org.m3sgg.extract.ExtractPlan;
import org.m3sgg.extract.FeatureExtractor;
import org.m3sgg.extract.VideoSelection;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.testing.Fixtures;
import org.m3sgg.video.DetectorInput;
import javax.imageio.ImageIO;

/**
 * Time and output size of {@code features extract} per frame (numbers printed, nothing timed is asserted): one
 * video of 480x270 frames (Action Genome's usual size) at STTran's short side 600 (blob 600x1067, maps 38x67), with
 * the reduced fixture detector and with the full-size ResNet-101 detector on seeded random weights
 * ({@link RandomDetectorWeights#resnet101}). Features and float16 detections both.
 */
@Tag("bench")
class ExtractSpeedBenchTest {

    @Test
    void perFrameTimeAndSize(@TempDir Path tmp) throws IOException {
        Path world = tmp.resolve("world");
        CliRun g = CliRun.run("data", "generate", "--out", world.toString(), "--no-features", "--seed", "11", "--set",
                "world.videos=12", "--set", "world.min_frames=3", "--set", "world.max_frames=3");
        assertEquals(0, g.code(), g.all());
        Path frames = FeaturesExtractCommandTest.render(world, tmp.resolve("frames"));
        ExtractPlan all = ExtractPlan.of(ActionGenome.open(world));
        ExtractPlan.PlannedVideo v = null;
        for (ExtractPlan.PlannedVideo x : all.videos()) {
            var img = javax.imageio.ImageIO.read(frames.resolve(x.frames().get(0).key()).toFile());
            if (img.getWidth() == 480 && img.getHeight() == 270) {
                v = x;
                break;
            }
        }
        ExtractPlan one = all.select(new VideoSelection(0, java.util.List.of(v.id())));
        Map<String, TorchTensor> reduced = FasterRcnn.stateDict(Fixtures.file("detector-reference/faster_rcnn_ag.zip.tar"));
        measure("reduced fixture detector", reduced, one, frames, tmp.resolve("out-reduced"));
        measure("ResNet-101, random weights", RandomDetectorWeights.resnet101(1), one, frames, tmp.resolve("out-full"));
    }

    private static void measure(String name, Map<String, TorchTensor> sd, ExtractPlan plan, Path frames, Path out)
            throws IOException {
        FeatureExtractor ex = FeatureExtractor.of(sd, name, name,
                new FeatureExtractor.Options(frames, out, true, true, 600, "float16", false));
        // warm-up: the first video through the graphs (JIT, native buffers), then the measured run in a new folder
        ex.run(plan, new FeatureExtractor.Listener() {});
        deleteTree(out);
        long cpu0 = cpu();
        FeatureExtractor.Summary s = ex.run(plan, new FeatureExtractor.Listener() {});
        double cpu = (cpu() - cpu0) / 1e9;
        // the detector alone on the same frames (preprocessing included), for what dominates
        java.util.List<DetectorInput.Blob> blobs = new java.util.ArrayList<>();
        for (ExtractPlan.PlannedFrame f : plan.videos().get(0).frames()) {
            blobs.add(DetectorInput.sttran(ImageIO.read(frames.resolve(f.key()).toFile()), 600));
        }
        DetectorInput.Batch b = DetectorInput.batch(blobs);
        long t0 = System.nanoTime();
        long c0 = cpu();
        ex.detector().base(b.images(), b.frames(), b.height(), b.width(), new float[b.frames()]);
        double base = (System.nanoTime() - t0) / 1e9;
        double baseCpu = (cpu() - c0) / 1e9;
        t0 = System.nanoTime();
        ex.detector().detect(b.images(), b.frames(), b.height(), b.width(), b.imInfo());
        double detect = (System.nanoTime() - t0) / 1e9;
        String id = plan.videos().get(0).id();
        long feat = Files.size(out.resolve("features").resolve(id + ".npz"));
        long det = Files.size(out.resolve("detections").resolve(id + ".npz"));
        long head = Files.size(out.resolve("detections").resolve("head.npz"));
        int n = (int) s.frames();
        System.out.printf(Locale.ROOT, "%s: %d frames of 480x270 at short side 600: %.2f s per frame wall, %.2f s "
                + "CPU (features and detections; of the wall time: RCNN_base %.2f s (CPU %.2f s), detect() with "
                + "RPN, proposals and layer-4 head %.2f s); %d GT boxes, %d detections; per frame: features %.1f kB, "
                + "detections %.2f MB (float16 maps, deflated); head.npz %.1f MB%n", name, n, s.seconds() / n,
                cpu / n, base / n, baseCpu / n, detect / n, s.boxes(), s.detections(), feat / 1e3 / n,
                det / 1e6 / n, head / 1e6);
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
