package org.m3sgg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.ObjectLabelStats;
import org.m3sgg.eval.PredictionsFile;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.TrainingAware;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training engine every model shares: one (or {@code train.videos_per_step}) video per optimiser step in a
 * seeded order, AdamW, a learning-rate schedule, validation on held-out training videos after every epoch (model
 * selection and reduce-on-plateau), resumable checkpoints, and the test split scored once at the end with the
 * selected parameters.
 *
 * <p>Repeatability: the model is initialised from {@code train.seed}; epoch e visits the videos in the order of a
 * {@link Random} seeded from (seed, e); before step g ND4J's generator (dropout masks) is reseeded from (seed, g).
 * On the CPU backend the same config gives the same numbers, and a run resumed from a checkpoint continues exactly
 * as the uninterrupted run would have.
 *
 * <p>Run folder: {@code config.yaml} (resolved), {@code provenance.json}, {@code history.json} / {@code .csv},
 * {@code steps.csv}, {@code checkpoints/} (resumable, the newest named in {@code checkpoints/latest}),
 * {@code best/} (the selected parameters), {@code test.scores.json}, {@code test.predictions.json}.
 */
public final class Trainer {

    public static final String CHECKPOINTS = "checkpoints";
    public static final String LATEST = "latest";
    public static final String BEST = "best";

    private final Path runDir;
    private final ConfigTree config;
    private final String modelName;
    /** In SGCLS (and SGDET) runs: object accuracy and label consistency on the test split. */
    public static final String OBJECT_STATS = "test.objects.json";

    private final Mode mode;
    private final TrainConfig train;
    private final EvaluatorConfig evalConfig;
    private final RunData data;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Map<String, Collate.Video> cache = new LinkedHashMap<>();
    private long cachedValues;
    /** Stop after this many steps in this call (tests of interruption), or -1. */
    private long stopAfterSteps = -1;

    public Trainer(Path runDir, ConfigTree config, String modelName, Mode mode, RunData data) {
        this.runDir = runDir;
        this.config = config;
        this.modelName = ModelRegistry.resolveName(config, modelName);
        this.mode = mode;
        this.train = config.bind("train", TrainConfig.class);
        this.evalConfig = config.bind("eval", EvaluatorConfig.class);
        this.data = data;
    }

    /** Loads the data named by the config's {@code data:} section. */
    public static Trainer fromConfig(Path runDir, ConfigTree config, String modelName, Mode mode) {
        TrainConfig t = config.bind("train", TrainConfig.class);
        RunData data = RunData.load(config.bind("data", DataConfig.class), mode, t.valFraction(), t.valSeed());
        return new Trainer(runDir, config, modelName, mode, data);
    }

    public Trainer addListener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    public TrainConfig trainConfig() {
        return train;
    }

    public RunData data() {
        return data;
    }

    /** For interruption tests: return (as after a crash) once this many steps have been taken in this call. */
    public Trainer stopAfter(long steps) {
        this.stopAfterSteps = steps;
        return this;
    }

    public int stepsPerEpoch() {
        return (data.train().size() + train.videosPerStep() - 1) / train.videosPerStep();
    }

    /** A new run; the run folder must not hold a previous run's checkpoints. */
    public TrainingResult run() {
        if (Files.exists(runDir.resolve(CHECKPOINTS).resolve(LATEST))) {
            throw new KitException(runDir + " already holds a run: pass --resume to continue it, or another --out");
        }
        SggModel model = ModelRegistry.build(config, modelName, mode, train.seed());
        AdamW opt = optimizer(model);
        TrainerState s = new TrainerState(0, 0, 0, train.lr(), -1, 0, 0, -1, -1, null, List.of(), List.of());
        writeRunFiles(model);
        return loop(model, opt, s);
    }

    /** Continues the run in the run folder from its newest checkpoint. */
    public TrainingResult resume() {
        Path latest = latestCheckpoint(runDir);
        SggModel model = ModelRegistry.build(config, modelName, mode, train.seed());
        Checkpoint.Meta meta = Checkpoint.loadParams(latest, model);
        if (!meta.datasetFingerprint().equals(data.fingerprint())) {
            throw new KitException("checkpoint " + latest + " was trained on other data (fingerprint "
                    + meta.datasetFingerprint() + ", this data " + data.fingerprint() + ")");
        }
        TrainerState s = Checkpoint.readTrainerState(latest, TrainerState.class);
        AdamW opt = optimizer(model);
        Checkpoint.loadOptimizer(latest, opt, s.globalStep());
        return loop(model, opt, s);
    }

    /** The newest resumable checkpoint of a run folder. */
    public static Path latestCheckpoint(Path runDir) {
        Path pointer = runDir.resolve(CHECKPOINTS).resolve(LATEST);
        if (!Files.isRegularFile(pointer)) {
            throw new KitException("nothing to resume in " + runDir + ": no " + pointer);
        }
        try {
            return runDir.resolve(CHECKPOINTS).resolve(Files.readString(pointer).trim());
        } catch (IOException e) {
            throw new KitException("cannot read " + pointer + ": " + e.getMessage(), e);
        }
    }

    private AdamW optimizer(SggModel model) {
        return new AdamW(model.graph(), model.trainableParameters(), train.lr(), train.beta1(), train.beta2(),
                train.eps(), train.weightDecay(), train.clipNorm());
    }

    private TrainingResult loop(SggModel model, AdamW opt, TrainerState s) {
        int spe = stepsPerEpoch();
        for (TrainingListener l : listeners) {
            l.onStart(new TrainingListener.Plan(modelName, mode.name().toLowerCase(), train.epochs(), spe, s.epoch(),
                    s.stepInEpoch(), data.train().size(), data.val().size(), data.test().size(),
                    model.parameterCount(), runDir));
        }
        List<TrainerState.StepRecord> steps = new ArrayList<>(s.steps());
        List<TrainerState.EpochRecord> history = new ArrayList<>(s.history());
        long taken = 0;
        int epoch = s.epoch();
        int step = s.stepInEpoch();
        long global = s.globalStep();
        double plateauLr = s.plateauLr();
        double plateauBest = s.plateauBest();
        int plateauBad = s.plateauBad();
        double lossSum = s.epochLossSum();
        double bestMetric = s.bestMetric();
        int bestEpoch = s.bestEpoch();
        String bestName = s.bestCheckpoint();
        long epochStart = System.nanoTime();
        if (model instanceof TrainingAware aware) {
            aware.beforeTraining(data.train(), this::example);
        }
        while (epoch < train.epochs()) {
            List<AgVideo> order = order(epoch);
            while (step < spe) {
                if (stopAfterSteps >= 0 && taken >= stopAfterSteps) {
                    return null;
                }
                long t0 = System.nanoTime();
                List<RelationInputs> ins = new ArrayList<>();
                List<RelationTargets> tgs = new ArrayList<>();
                int from = step * train.videosPerStep();
                int to = Math.min(order.size(), from + train.videosPerStep());
                for (AgVideo v : order.subList(from, to)) {
                    Collate.Video c = collated(v);
                    ins.add(c.inputs());
                    tgs.add(c.targets());
                }
                double lr = learningRate(global, plateauLr, spe);
                opt.setLearningRate(lr);
                Nd4j.getRandom().setSeed(stepSeed(train.seed(), global));
                double loss = taken == 0 ? quietly(() -> model.trainStep(ins, tgs, opt))
                        : model.trainStep(ins, tgs, opt);
                String video = order.get(from).id();
                if (!Double.isFinite(loss)) {
                    String last = Files.exists(runDir.resolve(CHECKPOINTS).resolve(LATEST))
                            ? latestCheckpoint(runDir).toString() : "none yet";
                    throw new KitException("training stopped: the loss is " + loss + " at epoch " + epoch + ", step "
                            + step + " (global step " + global + "), video " + video + "; the last good checkpoint "
                            + "is " + last + " (lower train.lr, then resume or restart)");
                }
                global++;
                step++;
                taken++;
                lossSum += loss;
                steps.add(new TrainerState.StepRecord(global, epoch, video, loss, lr));
                double sec = (System.nanoTime() - t0) / 1e9;
                for (TrainingListener l : listeners) {
                    l.onStep(new TrainingListener.Step(epoch, step, spe, global, video, loss, lr, sec));
                }
                if (train.checkpointEvery() > 0 && global % train.checkpointEvery() == 0 && step < spe) {
                    saveResumable(model, opt, new TrainerState(epoch, step, global, plateauLr, plateauBest,
                            plateauBad, lossSum, bestMetric, bestEpoch, bestName, history, steps), Map.of());
                }
            }
            // ---- end of epoch: model-side learning (e.g. TEMPURA's memory), validation, selection, schedule ----
            if (model instanceof TrainingAware aware) {
                aware.afterEpoch(epoch, data.train(), this::example);
            }
            double meanLoss = lossSum / spe;
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            double lrNow = learningRate(global - 1, plateauLr, spe);
            for (TrainingListener l : listeners) {
                l.onEpoch(new TrainingListener.Epoch(epoch, meanLoss, lrNow, seconds));
            }
            EvaluationResult val = Inference.score(model, data.val(), data.features(), evalConfig, null).result();
            Constraint c = train.constraint();
            double metric = val.metric(c, train.valMetric());
            boolean best = metric > bestMetric;
            Map<String, Double> valMetrics = new LinkedHashMap<>();
            for (Constraint k : Constraint.values()) {
                for (String name : List.of("R@10", "R@20", "R@50", "mR@10", "mR@20", "mR@50")) {
                    valMetrics.put(k.key() + "/" + name, val.metric(k, name));
                }
            }
            if (best) {
                bestMetric = metric;
                bestEpoch = epoch;
                String name = String.format("%s-e%03d", BEST, epoch);
                Path dir = Checkpoint.write(runDir, name, meta("best", epoch, spe, global, valMetrics), config, model,
                        null, null);
                if (bestName != null && !bestName.equals(name)) {
                    deleteQuietly(runDir.resolve(bestName));
                }
                bestName = name;
                AtomicFiles.writeString(runDir.resolve(BEST), name + "\n");
                for (TrainingListener l : listeners) {
                    l.onCheckpoint(dir, true);
                }
            }
            if (train.schedule() == TrainConfig.Schedule.PLATEAU) {
                // PyTorch ReduceLROnPlateau, mode max, threshold_mode abs, cooldown 0
                if (metric > plateauBest + train.plateauThreshold()) {
                    plateauBest = metric;
                    plateauBad = 0;
                } else {
                    plateauBad++;
                }
                if (plateauBad > train.plateauPatience()) {
                    double next = Math.max(plateauLr * train.plateauFactor(), train.minLr());
                    if (plateauLr - next > 1e-8) {
                        plateauLr = next;
                    }
                    plateauBad = 0;
                }
            }
            for (TrainingListener l : listeners) {
                l.onValidation(new TrainingListener.Validation(epoch, val, c.key() + " " + train.valMetric(), metric,
                        best, learningRate(global, plateauLr, spe)));
            }
            history.add(new TrainerState.EpochRecord(epoch, global, meanLoss, lrNow, seconds, valMetrics));
            epoch++;
            step = 0;
            lossSum = 0;
            epochStart = System.nanoTime();
            saveResumable(model, opt, new TrainerState(epoch, 0, global, plateauLr, plateauBest, plateauBad, 0,
                    bestMetric, bestEpoch, bestName, history, steps), valMetrics);
            writeHistory(history, steps);
        }
        // ---- the test split, once, with the selected parameters ----
        Path bestDir = runDir.resolve(bestName);
        Checkpoint.loadParams(bestDir, model);
        EvaluationResult test;
        try (PredictionsFile.Writer w = PredictionsFile.writer(runDir.resolve("test.predictions.json"))) {
            test = Inference.score(model, data.test(), data.features(), evalConfig, w).result();
            w.finish();
            test.writeJson(runDir.resolve("test.scores.json"));
            if (mode != Mode.PREDCLS) {
                ObjectLabelStats.of(runDir.resolve("test.predictions.json"))
                        .writeJson(runDir.resolve(OBJECT_STATS));
            }
        } catch (IOException e) {
            throw new KitException("cannot write the test predictions under " + runDir + ": " + e.getMessage(), e);
        }
        TrainingResult result = new TrainingResult(runDir, model, bestEpoch, bestMetric, bestDir, test,
                List.copyOf(history));
        for (TrainingListener l : listeners) {
            l.onFinish(result);
        }
        return result;
    }

    /** The learning rate of global step {@code g}: the schedule, then the warm-up factor. */
    double learningRate(long g, double plateauLr, int stepsPerEpoch) {
        double lr = switch (train.schedule()) {
            case CONSTANT -> train.lr();
            case PLATEAU -> plateauLr;
            case COSINE -> {
                long total = (long) train.epochs() * stepsPerEpoch;
                double progress = Math.min(1.0, Math.max(0.0,
                        (double) (g - train.warmupSteps()) / Math.max(1, total - train.warmupSteps())));
                yield train.minLr() + 0.5 * (train.lr() - train.minLr()) * (1 + Math.cos(Math.PI * progress));
            }
        };
        if (g < train.warmupSteps()) {
            lr *= (g + 1.0) / train.warmupSteps();
        }
        return lr;
    }

    /** Epoch e's video order: the training videos shuffled by a generator seeded from (seed, e). */
    List<AgVideo> order(int epoch) {
        List<AgVideo> order = new ArrayList<>(data.train());
        Collections.shuffle(order, new Random(mix(train.seed(), 1_000_003L * (epoch + 1))));
        return order;
    }

    /**
     * Runs the first training step of a JVM with System.out muted: SameDiff prints one "Added differentiated op"
     * line per op to System.out (hard-coded) when it first builds the gradient graph.
     */
    private static double quietly(java.util.function.DoubleSupplier step) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            return step.getAsDouble();
        } finally {
            System.setOut(out);
        }
    }

    /** The seed of ND4J's generator before global step g: never 0, which ND4J's generator does not reproduce. */
    static long stepSeed(long seed, long global) {
        long s = mix(seed, global);
        return s == 0 ? 0x2545F4914F6CDD1DL : s;
    }

    static long mix(long seed, long x) {
        long z = seed * 0x9E3779B97F4A7C15L + x;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Collated videos are kept in memory up to ~256 MB of arrays (the bundled world fits whole). */
    private TrainingAware.Example example(AgVideo v) {
        Collate.Video c = collated(v);
        return new TrainingAware.Example(v, c.inputs(), c.targets());
    }

    private Collate.Video collated(AgVideo v) {
        Collate.Video c = cache.get(v.id());
        if (c != null) {
            return c;
        }
        VideoFeatures f = data.features().video(v.id());
        c = Collate.of(v, f, mode);
        long values = c.inputs().features().length() + c.inputs().unionFeatures().length()
                + c.inputs().spatialMasks().length();
        if (cachedValues + values < 64L << 20) {
            cache.put(v.id(), c);
            cachedValues += values;
        }
        return c;
    }

    private Checkpoint.Meta meta(String kind, int epoch, int step, long global, Map<String, Double> metrics) {
        return new Checkpoint.Meta(Checkpoint.FORMAT, modelName, mode.name().toLowerCase(), kind, epoch, step, global,
                metrics, data.fingerprint(), Provenance.gitCommit(), Provenance.versions(), Instant.now().toString());
    }

    private void saveResumable(SggModel model, AdamW opt, TrainerState s, Map<String, Double> metrics) {
        Path dir = runDir.resolve(CHECKPOINTS);
        String name = String.format("step-%09d", s.globalStep());
        Path written = Checkpoint.write(dir, name, meta("resume", s.epoch(), s.stepInEpoch(), s.globalStep(), metrics),
                config, model, opt, s);
        AtomicFiles.writeString(dir.resolve(LATEST), name + "\n");
        try (var list = Files.list(dir)) {
            List<Path> old = list.filter(p -> p.getFileName().toString().startsWith("step-")).sorted().toList();
            for (int i = 0; i < old.size() - train.keepCheckpoints(); i++) {
                deleteQuietly(old.get(i));
            }
        } catch (IOException e) {
            // old checkpoints left behind cost disk, not correctness
        }
        for (TrainingListener l : listeners) {
            l.onCheckpoint(written, false);
        }
    }

    private void writeRunFiles(SggModel model) {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new KitException("cannot create run folder " + runDir + ": " + e.getMessage(), e);
        }
        config.write(runDir.resolve("config.yaml"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", modelName);
        p.put("mode", mode.name().toLowerCase());
        p.put("parameters", model.parameterCount());
        p.put("data_path", data.dataPath().toAbsolutePath().normalize().toString());
        p.put("dataset_fingerprint", data.fingerprint());
        p.put("videos", Map.of("train", data.train().size(), "val", data.val().size(), "test", data.test().size()));
        p.put("val_videos", data.val().stream().map(AgVideo::id).toList());
        p.put("git_commit", Provenance.gitCommit());
        p.put("versions", Provenance.versions());
        p.put("started", Instant.now().toString());
        writeJson(runDir.resolve("provenance.json"), p);
    }

    private void writeHistory(List<TrainerState.EpochRecord> history, List<TrainerState.StepRecord> steps) {
        writeJson(runDir.resolve("history.json"), history);
        StringBuilder csv = new StringBuilder("epoch,global_step,train_loss,lr,seconds");
        List<String> keys = history.isEmpty() ? List.of() : List.copyOf(history.get(0).validation().keySet());
        keys.forEach(k -> csv.append(",val_").append(k.replace('/', '_')));
        csv.append('\n');
        for (TrainerState.EpochRecord r : history) {
            csv.append(r.epoch()).append(',').append(r.globalStep()).append(',').append(r.trainLoss()).append(',')
                    .append(r.lr()).append(',').append(String.format(java.util.Locale.ROOT, "%.2f", r.seconds()));
            keys.forEach(k -> csv.append(',').append(r.validation().get(k)));
            csv.append('\n');
        }
        AtomicFiles.writeString(runDir.resolve("history.csv"), csv.toString());
        StringBuilder sc = new StringBuilder("global_step,epoch,video,loss,lr\n");
        for (TrainerState.StepRecord r : steps) {
            sc.append(r.globalStep()).append(',').append(r.epoch()).append(',').append(r.video()).append(',')
                    .append(r.loss()).append(',').append(r.lr()).append('\n');
        }
        AtomicFiles.writeString(runDir.resolve("steps.csv"), sc.toString());
    }

    static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.writeString(file, Checkpoint.JSON.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new KitException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Checkpoint.deleteTree(dir);
        } catch (IOException e) {
            // a stale folder costs disk space only
        }
    }

    /** Kit, backend and Java versions and the git commit, for checkpoints and run folders. */
    static final class Provenance {
        private static String commit;
        private static boolean looked;

        private Provenance() {}

        static synchronized String gitCommit() {
            if (!looked) {
                looked = true;
                try {
                    Process p = new ProcessBuilder("git", "rev-parse", "HEAD")
                            .directory(org.m3sgg.api.KitHome.home().toFile()).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes()).trim();
                    if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}")) {
                        commit = out;
                    }
                } catch (IOException | InterruptedException | KitException e) {
                    commit = null;
                }
            }
            return commit;
        }

        static Map<String, String> versions() {
            Map<String, String> v = new LinkedHashMap<>();
            String kit = Trainer.class.getPackage().getImplementationVersion();
            v.put("m3sgg", kit == null ? "dev" : kit);
            v.put("nd4j_backend", Nd4j.getBackend().getClass().getSimpleName());
            v.put("java", System.getProperty("java.version"));
            return v;
        }
    }
}
