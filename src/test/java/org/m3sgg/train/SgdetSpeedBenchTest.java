package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.SggModel;
import org.m3sgg.nn.AdamW;
import org.m3sgg.sgdet.DetectorTail;
import org.m3sgg.sgdet.Detections;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.SgdetOptions;
import org.m3sgg.sgdet.SgdetPipeline;
import org.m3sgg.sgdet.TestEntry;

/**
 * SGDET against PredCLS, per video: the SGDET object pipeline (detections to pairs, union RoIAlign, masks), the
 * relation forward pass and a training step, for STTran at the quick widths on the bundled world and at the paper
 * widths on Action Genome-sized synthetic detections (1024 x 38 x 67 maps, 2048-d features). Prints the numbers
 * (process CPU time and wall time); no timed assertion. {@code mvn -Pbench test -Dtest=SgdetSpeedBenchTest}.
 */
@Tag("bench")
class SgdetSpeedBenchTest {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** Wall and CPU milliseconds of one call. */
    private record Cost(double wall, double cpu) {
        Cost plus(Cost o) {
            return new Cost(wall + o.wall, cpu + o.cpu);
        }
    }

    private static Cost time(Runnable r) {
        long c = OS.getProcessCpuTime();
        long s = System.nanoTime();
        r.run();
        return new Cost((System.nanoTime() - s) / 1e6, (OS.getProcessCpuTime() - c) / 1e6);
    }

    private static String fmt(String what, Cost c, int frames) {
        return String.format(Locale.ROOT, "%-34s wall %8.2f ms/frame  CPU %8.2f ms/frame", what, c.wall / frames,
                c.cpu / frames);
    }

    @Test
    void quickWidthsOnTheBundledWorld() {
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), List.of(
                "data.max_train_videos=12", "data.max_test_videos=12", "train.val_fraction=0.2"));
        RunData sg = RunData.of(cfg, Mode.SGDET);
        RunData pc = RunData.of(cfg, Mode.PREDCLS);
        SggModel sgModel = ModelRegistry.build(cfg, "sttran", Mode.SGDET, 0);
        SggModel pcModel = ModelRegistry.build(cfg, "sttran", Mode.PREDCLS, 0);
        List<VideoDetections> dets = new ArrayList<>();
        for (AgVideo v : sg.test()) {
            dets.add(sg.sgdetVideo(v)); // the world's detector runs here, outside the timings
        }
        Cost pipe = new Cost(0, 0);
        Cost fwd = new Cost(0, 0);
        Cost pcFwd = new Cost(0, 0);
        int frames = 0;
        for (int rep = 0; rep < 2; rep++) { // the first pass warms up
            pipe = new Cost(0, 0);
            fwd = new Cost(0, 0);
            pcFwd = new Cost(0, 0);
            frames = 0;
            for (int i = 0; i < sg.test().size(); i++) {
                AgVideo v = sg.test().get(i);
                VideoDetections d = dets.get(i);
                Collate.Video[] c = new Collate.Video[1];
                pipe = pipe.plus(time(() -> c[0] = SgdetCollate.test(v, d, sg.sgdet())));
                fwd = fwd.plus(time(() -> sgModel.relations(c[0].inputs())));
                frames += v.frames().size();
            }
            for (AgVideo v : pc.test()) {
                Collate.Video c = Collate.of(v, pc.features().video(v.id()), Mode.PREDCLS);
                pcFwd = pcFwd.plus(time(() -> pcModel.relations(c.inputs())));
            }
        }
        int pcFrames = pc.test().stream().mapToInt(v -> v.frames().size()).sum();
        Cost sgStep = steps(sgModel, sg, Mode.SGDET);
        Cost pcStep = steps(pcModel, pc, Mode.PREDCLS);
        System.out.println("== STTran quick widths, bundled world, " + sg.test().size() + " test videos ("
                + frames + " SGDET frames), " + Runtime.getRuntime().availableProcessors() + " CPUs, load average "
                + String.format(Locale.ROOT, "%.1f", OS.getSystemLoadAverage()));
        System.out.println(fmt("SGDET pipeline (test)", pipe, frames));
        System.out.println(fmt("SGDET relation forward", fwd, frames));
        System.out.println(fmt("PredCLS relation forward", pcFwd, pcFrames));
        System.out.printf(Locale.ROOT, "SGDET pipeline share of pipeline + forward: %.1f %% (CPU)%n",
                100 * pipe.cpu / (pipe.cpu + fwd.cpu));
        System.out.println(fmt("SGDET training step (per frame)", sgStep, trainFrames(sg)));
        System.out.println(fmt("PredCLS training step (per frame)", pcStep, trainFrames(pc)));
        assertTrue(frames > 0);
    }

    private static int trainFrames(RunData d) {
        return d.train().stream().mapToInt(v -> v.frames().size()).sum();
    }

    /** One optimiser step per training video (collation outside the timing); the first pass warms up. */
    private static Cost steps(SggModel model, RunData data, Mode mode) {
        AdamW opt = new AdamW(model.graph(), model.trainableParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01, 5);
        List<Collate.Video> videos = new ArrayList<>();
        for (AgVideo v : data.train()) {
            videos.add(data.collateForTraining(v, mode));
        }
        Collate.Video first = videos.get(0);
        model.trainStep(List.of(first.inputs()), List.of(first.targets()), opt);
        Cost total = new Cost(0, 0);
        for (Collate.Video c : videos) {
            total = total.plus(time(() -> model.trainStep(List.of(c.inputs()), List.of(c.targets()), opt)));
        }
        return total;
    }

    @Test
    void paperWidthsOnActionGenomeSizedDetections() {
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/models/sttran.yaml"), List.of());
        SggModel model = ModelRegistry.build(cfg, "sttran", Mode.SGDET, 0);
        int frames = 8;
        int perFrame = 12;
        int c = 1024;
        int h = 38;
        int w = 67;
        Random rnd = new Random(1);
        float[] data = new float[frames * c * h * w];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextFloat();
        }
        float[] scales = new float[frames];
        java.util.Arrays.fill(scales, 600f / 270f);
        FrameMaps maps = new FrameMaps(frames, c, h, w, data, scales, FrameMaps.STRIDE_16);
        int n = frames * perFrame;
        float[][] boxes = new float[n][];
        float[][] feats = new float[n][];
        float[][] dist = new float[n][];
        for (int i = 0; i < n; i++) {
            float x1 = rnd.nextFloat() * 400;
            float y1 = rnd.nextFloat() * 200;
            boxes[i] = new float[] {i / perFrame, x1, y1, x1 + 20 + rnd.nextFloat() * 60, y1 + 20 + rnd.nextFloat() * 50};
            feats[i] = new float[2048];
            for (int k = 0; k < 2048; k++) {
                feats[i][k] = rnd.nextFloat();
            }
            float[] z = new float[37];
            for (int k = 0; k < 37; k++) {
                z[k] = (float) rnd.nextGaussian() * 3;
            }
            dist[i] = DetectorTail.distribution(z);
        }
        Detections det = new Detections(boxes, feats, dist, null);
        SgdetPipeline p = new SgdetPipeline(null, SgdetOptions.reference());
        TestEntry[] e = new TestEntry[1];
        RelationInputs[] in = new RelationInputs[1];
        Cost pipe = null;
        Cost fwd = null;
        for (int rep = 0; rep < 2; rep++) {
            pipe = time(() -> e[0] = p.test(det, maps));
            in[0] = SgdetCollate.inputs(e[0].boxes(), e[0].features(), e[0].distribution(), e[0].labels(),
                    e[0].pairs(), e[0].imIdx(), e[0].unionFeatures(), e[0].masks(), c, 2048);
            fwd = time(() -> model.relations(in[0]));
        }
        System.out.println("== STTran paper widths, " + frames + " frames x " + perFrame + " detections, maps " + c
                + "x" + h + "x" + w + ": " + e[0].boxes().length + " boxes, " + e[0].pairs().length + " pairs");
        System.out.println(fmt("SGDET pipeline (test)", pipe, frames));
        System.out.println(fmt("SGDET relation forward", fwd, frames));
        System.out.printf(Locale.ROOT, "SGDET pipeline share of pipeline + forward: %.1f %% (CPU)%n",
                100 * pipe.cpu / (pipe.cpu + fwd.cpu));
        assertTrue(e[0].pairs().length > 0);
    }
}
