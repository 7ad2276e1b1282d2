package org.m3sgg.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.m3sgg.api.KitException;
import org.m3sgg.detector.DetectorSettings;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times STTran's Faster R-CNN at the published size (ResNet-101 [3, 4, 23, 3], published widths, 37 classes) on
 * frames of Action Genome's network input, 600 x 1067 (a 480 x 270 frame scaled to a short side of 600), through
 * {@link FasterRcnn#detect} as SGDET inference runs it (chunks of 10 frames, 100 RoIs per frame). Weights are
 * seeded random from the architecture's shapes, or a checkpoint's; frames are seeded random preprocessed values.
 * Reports frames per second (median of the timed runs), the process's CPU seconds, the time per stage, the peak
 * JVM heap, the process's peak resident set (VmHWM: heap, ND4J's off-heap buffers and the native libraries; ND4J's
 * buffers are not counted by javacpp's own tally) and the threads.
 */
public final class DetectorBenchmark {

    /** Action Genome's network input: 480 x 270 frames at a short side of 600. */
    public static final int HEIGHT = 600;
    public static final int WIDTH = 1067;

    /**
     * @param frames     frames per timed run
     * @param warmup     untimed one-frame runs first
     * @param repeats    timed runs
     * @param checkpoint a faster-rcnn.pytorch checkpoint, or null for seeded random weights
     */
    public record Options(int frames, int warmup, int repeats, Path checkpoint) {
        public Options {
            if (frames < 1 || repeats < 1 || warmup < 0) {
                throw new KitException("bench: frames and repeats must be >= 1 and warm-up >= 0, got " + frames
                        + " / " + repeats + " / " + warmup);
            }
        }
    }

    /** Median seconds per timed run, the stages of that run, memory in bytes (-1: not available), threads. */
    public record Result(String weights, int frames, double medianSeconds, double[] runs, double cpuSeconds,
            FasterRcnn.StageSeconds stages, long peakHeap, long peakRss, String threads, int detections) {
        public double framesPerSecond() {
            return frames / medianSeconds;
        }
    }

    private DetectorBenchmark() {}

    public static Result run(Options o) {
        FasterRcnn det = o.checkpoint() != null ? FasterRcnn.load(o.checkpoint(), DetectorSettings.sttran())
                : FasterRcnn.fromStateDict(randomResNet101(37, 7), "random ResNet-101 weights (seed 7)",
                        DetectorSettings.sttran());
        float[] images = frames(o.frames(), 11);
        float scale = HEIGHT / 270f;
        float[][] info = new float[o.frames()][];
        for (int t = 0; t < info.length; t++) {
            info[t] = new float[] {HEIGHT, WIDTH, scale};
        }
        float[] one = Arrays.copyOf(images, 3 * HEIGHT * WIDTH);
        for (int i = 0; i < o.warmup(); i++) {
            det.detect(one, 1, HEIGHT, WIDTH, new float[][] {info[0]});
        }
        double[] runs = new double[o.repeats()];
        FasterRcnn.StageSeconds[] stages = new FasterRcnn.StageSeconds[o.repeats()];
        int detections = 0;
        double cpu0 = ProcessStats.cpuSeconds();
        for (int r = 0; r < runs.length; r++) {
            long t0 = System.nanoTime();
            FasterRcnn.Pass p = det.detect(images, o.frames(), HEIGHT, WIDTH, info);
            runs[r] = (System.nanoTime() - t0) / 1e9;
            stages[r] = det.lastStages();
            detections = p.detections().labels().length;
        }
        double cpu = (ProcessStats.cpuSeconds() - cpu0) / runs.length;
        Integer[] order = new Integer[runs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(runs[a], runs[b]));
        int median = order[(runs.length - 1) / 2];
        return new Result(o.checkpoint() != null ? o.checkpoint().toString() : "random (seed 7)", o.frames(),
                runs[median], runs, cpu, stages[median], peakHeap(), ProcessStats.peakRss(), threads(), detections);
    }

    /** Seeded preprocessed frames [T, 3, 600, 1067]: values of a BGR frame minus the pixel means, uniform. */
    static float[] frames(int t, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[t * 3 * HEIGHT * WIDTH];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rnd.nextDouble() * 255 - 115);
        }
        return x;
    }

    /**
     * A faster-rcnn.pytorch state dict of the published detector's shapes ({@code resnet(classes, 101)}), seeded
     * random: convolutions N(0, sqrt(2 / (k k out))), frozen batch norms near identity with the last one of each
     * residual branch at a fifth (so 23 blocks keep the map of order one), RPN and classifier N(0, 0.01).
     */
    public static Map<String, TorchTensor> randomResNet101(int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        conv(sd, rnd, "RCNN_base.0.weight", 64, 3, 7);
        bn(sd, rnd, "RCNN_base.1", 64, 1);
        long in = 64;
        int[] blocks = {3, 4, 23, 3};
        String[] prefix = {"RCNN_base.4", "RCNN_base.5", "RCNN_base.6", "RCNN_top.0"};
        for (int l = 0; l < 4; l++) {
            long planes = 64L << l;
            for (int b = 0; b < blocks[l]; b++) {
                String q = prefix[l] + "." + b;
                conv(sd, rnd, q + ".conv1.weight", planes, in, 1);
                bn(sd, rnd, q + ".bn1", planes, 1);
                conv(sd, rnd, q + ".conv2.weight", planes, planes, 3);
                bn(sd, rnd, q + ".bn2", planes, 1);
                conv(sd, rnd, q + ".conv3.weight", planes * 4, planes, 1);
                bn(sd, rnd, q + ".bn3", planes * 4, 0.2);
                if (b == 0) {
                    conv(sd, rnd, q + ".downsample.0.weight", planes * 4, in, 1);
                    bn(sd, rnd, q + ".downsample.1", planes * 4, 1);
                }
                in = planes * 4;
            }
        }
        put(sd, rnd, "RCNN_rpn.RPN_Conv.weight", 0.01, 0, 512, 1024, 3, 3);
        put(sd, rnd, "RCNN_rpn.RPN_Conv.bias", 0, 0, 512);
        put(sd, rnd, "RCNN_rpn.RPN_cls_score.weight", 0.01, 0, 24, 512, 1, 1);
        put(sd, rnd, "RCNN_rpn.RPN_cls_score.bias", 0, 0, 24);
        put(sd, rnd, "RCNN_rpn.RPN_bbox_pred.weight", 0.01, 0, 48, 512, 1, 1);
        put(sd, rnd, "RCNN_rpn.RPN_bbox_pred.bias", 0, 0, 48);
        put(sd, rnd, "RCNN_cls_score.weight", 0.01, 0, classes, 2048);
        put(sd, rnd, "RCNN_cls_score.bias", 0, 0, classes);
        put(sd, rnd, "RCNN_bbox_pred.weight", 0.001, 0, 4L * classes, 2048);
        put(sd, rnd, "RCNN_bbox_pred.bias", 0, 0, 4L * classes);
        return sd;
    }

    private static void conv(Map<String, TorchTensor> sd, SplittableRandom rnd, String key, long out, long in, int k) {
        put(sd, rnd, key, Math.sqrt(2.0 / (k * k * out)), 0, out, in, k, k);
    }

    private static void bn(Map<String, TorchTensor> sd, SplittableRandom rnd, String p, long c, double gain) {
        put(sd, rnd, p + ".weight", 0.1 * gain, gain, c);
        put(sd, rnd, p + ".bias", 0.1 * gain, 0, c);
        put(sd, rnd, p + ".running_mean", 0.1, 0, c);
        put(sd, rnd, p + ".running_var", 0.05, 1, c);
    }

    private static void put(Map<String, TorchTensor> sd, SplittableRandom rnd, String key, double std, double mean,
            long... shape) {
        float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * gaussian(rnd));
        }
        sd.put(key, TorchTensor.float32(v, shape));
    }

    /** A standard normal (Box-Muller) from a splittable generator. */
    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    /** Sum of the heap pools' peak usage, bytes. */
    static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** ND4J's OpenMP threads and BLAS, and the environment variables that set threads. */
    static String threads() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        // the build javacpp loaded (the platform extension's, or the plain one where its jar is absent)
        boolean onednn = org.bytedeco.javacpp.Loader.getLoadedLibraries().entrySet().stream()
                .anyMatch(e -> e.getKey().contains("jnind4jcpu") && String.valueOf(e.getValue()).contains("-onednn"));
        StringBuilder sb = new StringBuilder("nd4j build=" + org.bytedeco.javacpp.Loader.getPlatform()
                + (onednn ? "-onednn" : "")
                + " omp.threads=" + env.get("omp.threads") + " blas.vendor=" + env.get("blas.vendor") + " cores="
                + env.get("cores"));
        for (String v : new String[] {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE",
            "OPENBLAS_L2_SIZE", "OMP_WAIT_POLICY", "OPENBLAS_THREAD_TIMEOUT"}) {
            sb.append(' ').append(v).append('=').append(System.getenv().getOrDefault(v, "unset"));
        }
        return sb.toString();
    }

    /** A text report. */
    public static String table(Result r) {
        FasterRcnn.StageSeconds s = r.stages();
        StringBuilder b = new StringBuilder();
        b.append(String.format("detector: ResNet-101 Faster R-CNN, %d frames of %d x %d, weights %s%n", r.frames(),
                HEIGHT, WIDTH, r.weights()));
        b.append(String.format("  frames/s          %.3f  (median %.2f s per run of %d frames; runs %s)%n",
                r.framesPerSecond(), r.medianSeconds(), r.frames(), Arrays.toString(Arrays.stream(r.runs())
                        .mapToObj(x -> String.format("%.2f", x)).toArray())));
        b.append(String.format("  CPU per frame     %.2f s (all threads, mean of the timed runs)%n",
                r.cpuSeconds() / r.frames()));
        b.append(String.format("  per frame         base %.2f s | proposals %.3f s | RoIAlign %.3f s | head %.2f s | "
                + "detections %.3f s%n", s.base() / r.frames(), s.proposals() / r.frames(), s.roiAlign() / r.frames(),
                s.head() / r.frames(), s.detections() / r.frames()));
        b.append(String.format("  detections        %d%n", r.detections()));
        b.append(String.format("  peak heap         %.0f MB%n", r.peakHeap() / 1e6));
        b.append(String.format("  peak RSS (VmHWM)  %.0f MB%n", r.peakRss() / 1e6));
        b.append("  threads           ").append(r.threads()).append(System.lineSeparator());
        return b.toString();
    }

    /** The result as a JSON-ready map. */
    public static Map<String, Object> json(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "detector");
        m.put("weights", r.weights());
        m.put("frames", r.frames());
        m.put("height", HEIGHT);
        m.put("width", WIDTH);
        m.put("frames_per_second", r.framesPerSecond());
        m.put("median_seconds", r.medianSeconds());
        m.put("cpu_seconds_per_run", r.cpuSeconds());
        m.put("runs_seconds", r.runs());
        FasterRcnn.StageSeconds s = r.stages();
        m.put("stage_seconds", Map.of("base", s.base(), "proposals", s.proposals(), "roi_align", s.roiAlign(),
                "head", s.head(), "detections", s.detections()));
        m.put("detections", r.detections());
        m.put("peak_heap_bytes", r.peakHeap());
        m.put("peak_rss_bytes", r.peakRss());
        m.put("threads", r.threads());
        return m;
    }
}
