package org.m3sgg.data;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.m3sgg.api.KitException;
import org.m3sgg.data.pickle.NumpyArray;
import org.m3sgg.data.pickle.PickleWriter;

/**
 * Measures how fast and how compactly {@link ActionGenome} loads a folder of the real dataset's size, against
 * Python's {@code pickle.load} of the same two pickles.
 *
 * <p>The folder is generated once per size and seed into a cache folder: about 30 annotated frames per video
 * (288,000 for 9,600 videos), 2.55 object entries per frame, 1-5 predicates per visible object, 80/20
 * train/test by video, person records with COCO keypoints ({@code (1,17,3)} and {@code (1,17)} float32 arrays) as
 * in the released file, since they cost parse time even though the loader never reads them.
 */
public final class LoadBenchmark {

    /** One benchmark run's numbers. Times in seconds, memory in bytes. */
    public record Result(int videos, int frames, long objectEntries, long personBytes, long objectBytes,
            double javaBest, double[] javaRuns, double javaCpuBest, double pythonBest, double pythonCpuBest,
            String pythonNote, long retainedHeap, long maxHeap, int trainVideos, int testVideos) {

        /** Java time over Python time; NaN when Python could not be run. */
        public double ratio() {
            return javaBest / pythonBest;
        }
    }

    private LoadBenchmark() {}

    /** The folder for {@code videos} videos under {@code cache}, generated if not there yet. */
    public static Path ensureFolder(Path cache, int videos, long seed) {
        Path dir = cache.resolve("ag-bench-" + videos + "-seed" + seed);
        Path done = dir.resolve(".complete");
        if (Files.exists(done)) {
            return dir;
        }
        generate(dir, videos, seed);
        AnnotationWriter.writeText(done, "videos=" + videos + " seed=" + seed + "\n");
        return dir;
    }

    /** Writes the benchmark folder: the six annotation files of the released layout. */
    public static void generate(Path dir, int videos, long seed) {
        Random rnd = new Random(seed);
        Map<String, Object> persons = new LinkedHashMap<>();
        Map<String, Object> objects = new LinkedHashMap<>();
        Map<String, Object> small = new LinkedHashMap<>();
        StringBuilder frameList = new StringBuilder();
        List<String> classes = Vocabulary.OBJECT_CLASSES.subList(2, Vocabulary.NUM_OBJECT_CLASSES);
        for (int v = 0; v < videos; v++) {
            String video = videoId(v) + ".mp4";
            String set = rnd.nextDouble() < 0.8 ? "train" : "test";
            int frames = 10 + rnd.nextInt(41); // 10..50, mean 30
            int frameNo = 1 + rnd.nextInt(20);
            for (int f = 0; f < frames; f++) {
                frameNo += 1 + rnd.nextInt(60);
                String key = String.format("%s/%06d.png", video, frameNo);
                persons.put(key, person(rnd, rnd.nextDouble() < 0.97));
                int n = 1; // 1 + Binomial(3, 0.517): 2.55 entries per frame on average, at most 4
                for (int t = 0; t < 3; t++) {
                    n += rnd.nextDouble() < 0.517 ? 1 : 0;
                }
                List<String> picked = new ArrayList<>(classes);
                java.util.Collections.shuffle(picked, rnd);
                List<Object> all = new ArrayList<>();
                List<Object> kept = new ArrayList<>();
                for (int o = 0; o < n; o++) {
                    boolean visible = rnd.nextDouble() < 0.95;
                    double w = 5 + rnd.nextDouble() * 200;
                    double h = 5 + rnd.nextDouble() * 150;
                    Map<String, Object> rec = object(rnd, key, picked.get(o), set, visible, w, h);
                    all.add(rec);
                    if (!visible || Math.min(w, h) >= AnnotationWriter.FILTER_SMALL_EDGE) {
                        kept.add(rec);
                    }
                }
                if (kept.isEmpty()) {
                    Map<String, Object> first = new LinkedHashMap<>(castMap(all.get(0)));
                    for (String field : List.of("bbox", "attention_relationship", "spatial_relationship",
                            "contacting_relationship")) {
                        first.put(field, null);
                    }
                    first.put("visible", false);
                    kept.add(first);
                }
                objects.put(key, all);
                small.put(key, kept);
                frameList.append(key).append('\n');
            }
        }
        Path ann = dir.resolve("annotations");
        PickleWriter.write(ann.resolve(ActionGenome.PERSON_FILE), persons);
        persons = null;
        PickleWriter.write(ann.resolve(ActionGenome.OBJECT_FILE), objects);
        PickleWriter.write(ann.resolve(ActionGenome.FILTERSMALL_FILE), small);
        AnnotationWriter.writeText(ann.resolve(ClassFiles.OBJECT_FILE),
                String.join("\n", AnnotationWriter.RAW_OBJECT_CLASSES) + "\n");
        AnnotationWriter.writeText(ann.resolve(ClassFiles.RELATIONSHIP_FILE),
                String.join("\n", AnnotationWriter.RAW_RELATIONSHIP_CLASSES) + "\n");
        AnnotationWriter.writeText(ann.resolve("frame_list.txt"), frameList.toString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static String videoId(int v) {
        String s = Integer.toString(v, 36).toUpperCase(java.util.Locale.ROOT);
        return "0".repeat(Math.max(0, 5 - s.length())) + s;
    }

    private static Map<String, Object> person(Random rnd, boolean detected) {
        Map<String, Object> p = new LinkedHashMap<>();
        int n = detected ? 1 : 0;
        float[] box = new float[4 * n];
        float[] score = new float[n];
        float[] kp = new float[17 * 3 * n];
        float[] logits = new float[17 * n];
        if (detected) {
            float x = rnd.nextFloat() * 300;
            float y = rnd.nextFloat() * 120;
            box = new float[] {x, y, x + 20 + rnd.nextFloat() * 150, y + 30 + rnd.nextFloat() * 120};
            score[0] = 0.5f + rnd.nextFloat() / 2;
            for (int k = 0; k < 17; k++) {
                kp[3 * k] = box[0] + rnd.nextFloat() * (box[2] - box[0]);
                kp[3 * k + 1] = box[1] + rnd.nextFloat() * (box[3] - box[1]);
                kp[3 * k + 2] = 1f;
                logits[k] = rnd.nextFloat() * 10 - 2;
            }
        }
        p.put("bbox", NumpyArray.ofFloats(box, n, 4));
        p.put("bbox_score", NumpyArray.ofFloats(score, n));
        p.put("bbox_size", new Object[] {480, 270});
        p.put("bbox_mode", "xyxy");
        p.put("keypoints", NumpyArray.ofFloats(kp, n, 17, 3));
        p.put("keypoints_logits", NumpyArray.ofFloats(logits, n, 17));
        return p;
    }

    private static Map<String, Object> object(Random rnd, String key, String cls, String set, boolean visible,
            double w, double h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", cls);
        if (visible) {
            m.put("bbox", new Object[] {rnd.nextDouble() * 270, rnd.nextDouble() * 120, w, h});
            m.put("attention_relationship", List.of(pick(rnd, Vocabulary.ATTENTION)));
            m.put("spatial_relationship", picks(rnd, Vocabulary.SPATIAL, rnd.nextInt(3)));
            m.put("contacting_relationship", picks(rnd, Vocabulary.CONTACTING, rnd.nextInt(3)));
        } else {
            m.put("bbox", null);
            m.put("attention_relationship", null);
            m.put("spatial_relationship", null);
            m.put("contacting_relationship", null);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        int slash = key.indexOf('/');
        meta.put("tag", key.substring(0, slash) + "/" + cls + "/" + key.substring(slash + 1, slash + 7));
        meta.put("set", set);
        m.put("metadata", meta);
        m.put("visible", visible);
        return m;
    }

    private static String pick(Random rnd, List<String> names) {
        return names.get(rnd.nextInt(names.size()));
    }

    private static List<Object> picks(Random rnd, List<String> names, int n) {
        List<String> shuffled = new ArrayList<>(names);
        java.util.Collections.shuffle(shuffled, rnd);
        return new ArrayList<>(shuffled.subList(0, n));
    }

    /**
     * Times Java's load of train + test (PredCLS file) after one warm-up, best of {@code repeats}, then Python's
     * {@code pickle.load} of the same two files (best of {@code repeats}, in a subprocess), and the heap retained
     * with both splits loaded.
     */
    public static Result run(Path dir, int repeats, String python) {
        long baseline = usedHeapAfterGc();
        double[] runs = new double[repeats];
        double cpuBest = Double.POSITIVE_INFINITY;
        ActionGenome ag = null;
        AgSplit train = null;
        AgSplit test = null;
        for (int r = -1; r < repeats; r++) {
            ag = null;
            train = null;
            test = null;
            usedHeapAfterGc(); // start each run with an empty heap, as a fresh process would
            long c0 = processCpuNanos();
            long t0 = System.nanoTime();
            ag = ActionGenome.open(dir);
            train = ag.load("train", false, LoadOptions.DEFAULT);
            test = ag.load("test", false, LoadOptions.DEFAULT);
            double s = (System.nanoTime() - t0) / 1e9;
            double cpu = (processCpuNanos() - c0) / 1e9;
            if (r >= 0) {
                runs[r] = s;
                cpuBest = Math.min(cpuBest, cpu);
            }
        }
        long retained = usedHeapAfterGc() - baseline;
        int frames = train.counts().frames() + test.counts().frames();
        double best = java.util.Arrays.stream(runs).min().orElse(Double.NaN);
        Path personFile = ag.personFile();
        Path objectFile = ag.objectFile(false);
        double[] py = python(python, personFile, objectFile, repeats);
        long entries = train.counts().objects() + test.counts().objects();
        Result res = new Result(countVideos(dir), countLines(dir.resolve("annotations/frame_list.txt")), entries,
                size(personFile), size(objectFile), best, runs, cpuBest, py[0], py[1],
                Double.isNaN(py[0]) ? "python3 with numpy not available" : "python " + python, retained,
                Runtime.getRuntime().maxMemory(), train.videos().size(), test.videos().size());
        // keep the loaded splits reachable until the heap was measured
        java.lang.ref.Reference.reachabilityFence(ag);
        return res;
    }

    private static int countVideos(Path dir) {
        try (var lines = Files.lines(dir.resolve("annotations/frame_list.txt"))) {
            return (int) lines.map(l -> l.substring(0, l.indexOf('/'))).distinct().count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static int countLines(Path file) {
        try (var lines = Files.lines(file)) {
            return (int) lines.count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    /** CPU time of the whole JVM (loader thread, GC and JIT threads), so contention for cores does not count. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    static long usedHeapAfterGc() {
        var mem = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    /**
     * Best-of-{@code repeats} seconds of {@code pickle.load} of both files, wall and process CPU time;
     * {@code {NaN, NaN}} without Python.
     */
    static double[] python(String python, Path personFile, Path objectFile, int repeats) {
        String script = String.join("\n",
                "import pickle, sys, time",
                "import numpy",
                "best = cpu = float('inf')",
                "for _ in range(int(sys.argv[3])):",
                "    t, c = time.perf_counter(), time.process_time()",
                "    with open(sys.argv[1], 'rb') as f: p = pickle.load(f)",
                "    with open(sys.argv[2], 'rb') as f: o = pickle.load(f)",
                "    best = min(best, time.perf_counter() - t)",
                "    cpu = min(cpu, time.process_time() - c)",
                "    del p, o",
                "print(best, cpu)");
        try {
            Process proc = new ProcessBuilder(python, "-c", script, personFile.toString(), objectFile.toString(),
                    Integer.toString(repeats)).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!proc.waitFor(30, TimeUnit.MINUTES) || proc.exitValue() != 0) {
                return new double[] {Double.NaN, Double.NaN};
            }
            String[] lines = out.split("\n");
            String[] last = lines[lines.length - 1].trim().split(" ");
            return new double[] {Double.parseDouble(last[0]), Double.parseDouble(last[1])};
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return new double[] {Double.NaN, Double.NaN};
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KitException("interrupted while timing Python");
        }
    }

    /** {@code java ... org.m3sgg.data.LoadBenchmark [videos] [cacheDir]}. */
    public static void main(String[] args) {
        int videos = args.length > 0 ? Integer.parseInt(args[0]) : 9600;
        Path cache = args.length > 1 ? Path.of(args[1]) : defaultCache();
        Path dir = ensureFolder(cache, videos, 7);
        System.out.println(format(run(dir, 3, "python3")));
    }

    public static Path defaultCache() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("m3sgg").resolve("bench-load");
    }

    /** A readable report of a run. */
    public static String format(Result r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("folder: %d videos, %d frames, %d visible objects kept; person_bbox.pkl %.1f MB,"
                + " object file %.1f MB%n", r.videos(), r.frames(), r.objectEntries(), r.personBytes() / 1e6,
                r.objectBytes() / 1e6));
        sb.append(String.format("java load train+test: best %.3f s of %s (after one warm-up); best CPU %.3f s%n",
                r.javaBest(), java.util.Arrays.toString(java.util.Arrays.stream(r.javaRuns())
                        .mapToObj(x -> String.format("%.3f", x)).toArray()), r.javaCpuBest()));
        if (Double.isNaN(r.pythonBest())) {
            sb.append("python pickle.load: not measured (").append(r.pythonNote()).append(")\n");
        } else {
            sb.append(String.format("python pickle.load of both files: best %.3f s; best CPU %.3f s%n",
                    r.pythonBest(), r.pythonCpuBest()));
            sb.append(String.format("ratio java/python: wall %.2f, CPU %.2f (target <= 1.5)%n", r.ratio(),
                    r.javaCpuBest() / r.pythonCpuBest()));
        }
        sb.append(String.format("retained heap with train (%d videos) + test (%d videos) loaded: %.1f MB"
                + " (max heap %.0f MB)%n", r.trainVideos(), r.testVideos(), r.retainedHeap() / 1e6,
                r.maxHeap() / 1e6));
        return sb.toString();
    }
}
