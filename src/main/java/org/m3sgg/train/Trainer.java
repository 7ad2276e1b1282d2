package org.m3sgg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.WriterLock;
import org.m3sgg.api.Interrupts;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.ObjectLabelStats;
import org.m3sgg.eval.PredictionsFile;
import org.m3sgg.models.FrameModel;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.TrainingAware;
import org.m3sgg.deploy.FineTune;
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
 * <p>Run folder: {@code config.yaml} (resolved, with the run's {@link RunSpec}), {@code provenance.json},
 * {@code history.json} / {@code .csv}, {@code steps.csv}, {@code checkpoints/} (resumable, the newest named in
 * {@code checkpoints/latest}), {@code best/} (the selected parameters), {@code test.scores.json},
 * {@code test.predictions.json}.
 */
public final class Trainer {

    public static final String CHECKPOINTS = "checkpoints";
    public static final String LATEST = "latest";
    public static final String BEST = "best";

    /** In SGCLS (and SGDET) runs: object accuracy and label consistency on the test split. */
    public static final String OBJECT_STATS = "test.objects.json";

    private final RunSpec spec;
    private final Path runDir;
    /** The run's resolved config, with {@link #spec} written in (what {@code config.yaml} and checkpoints hold). */
    private final ConfigTree config;
    private final TrainConfig train;
    private final EvaluatorConfig evalConfig;
    private final RunData data;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private final Map<String, Collate.Video> cache = new LinkedHashMap<>();
    private long cachedValues;
    /** Initial weights, frozen parts and pruning masks of a fine-tuning run (the config's finetune: section). */
    private final FineTune fineTune;
    /** Stop after this many steps in this call (tests of interruption), or -1. */
    private long stopAfterSteps = -1;

    /** A run of {@code spec} on {@code data}; the config's model, mode, seed and folder are set from {@code spec}. */
    public Trainer(RunSpec spec, ConfigTree config, RunData data) {
        this.spec = spec;
        this.runDir = spec.runDir();
        this.config = spec.applyTo(config);
        this.train = this.config.bind("train", TrainConfig.class);
        this.evalConfig = this.config.bind("eval", EvaluatorConfig.class);
        this.data = data;
        this.fineTune = FineTune.of(this.config);
    }

    /** Loads the data named by the config's {@code data:} section for a run of {@code spec}. */
    public static Trainer fromConfig(RunSpec spec, ConfigTree config) {
        return new Trainer(spec, config, RunData.of(config, spec.mode()));
    }

    /**
     * A run in {@code runDir} of {@code modelName} (null: the config's {@code model.name}) in {@code mode} (null:
     * the config's {@code run.mode}, else predcls); see {@link RunSpec#resolve}.
     */
    public static Trainer fromConfig(Path runDir, ConfigTree config, String modelName, Mode mode) {
        return fromConfig(RunSpec.resolve(config, modelName, mode, runDir), config);
    }

    /** The run in {@code runDir} as its {@code config.yaml} describes it, for {@link #resume()}. */
    public static Trainer ofRun(Path runDir) {
        return fromConfig(RunSpec.ofRun(runDir), RunSpec.savedConfig(runDir));
    }

    public Trainer addListener(TrainingListener l) {
        listeners.add(l);
        return this;
    }

    public RunSpec spec() {
        return spec;
    }

    /** The resolved config the run writes as its {@code config.yaml}. */
    public ConfigTree config() {
        return config;
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
        return data.stepsPerEpoch(train.videosPerStep());
    }

    /** A new run; the run folder must not hold a previous run's checkpoints. */
    public TrainingResult run() {
        try (WriterLock lock = WriterLock.acquire(runDir)) {
            if (Files.exists(runDir.resolve(CHECKPOINTS).resolve(LATEST))) {
                throw new KitException(runDir + " already holds a run: pass --resume to continue it, or another --out");
            }
            AtomicFiles.removeTemporaries(runDir);
            SggModel model = buildModel();
            fineTune.initialise(model, runDir, config);
            AdamW opt = optimizer(model);
            TrainerState s = new TrainerState(0, 0, 0, train.lr(), -1, 0, 0, -1, -1, null, List.of(), List.of());
            writeRunFiles(model);
            return loop(model, opt, s);
        }
    }

    /**
     * Continues the run in the run folder from its newest checkpoint. Like {@link #run()}, it holds the run
     * folder's {@link WriterLock} throughout (a second writer is refused) and first removes what a killed run left
     * half-written.
     */
    public TrainingResult resume() {
        try (WriterLock lock = WriterLock.acquire(runDir)) {
            AtomicFiles.removeTemporaries(runDir);
            return resumeLocked();
        }
    }

    private TrainingResult resumeLocked() {
        Path latest = latestCheckpoint(runDir);
        SggModel model = buildModel();
        Checkpoint.Meta meta = Checkpoint.loadParams(latest, model);
        if (!meta.datasetFingerprint().equals(data.fingerprint())) {
            throw new KitException("checkpoint " + latest + " was trained on other data (fingerprint "
                    + meta.datasetFingerprint() + ", this data " + data.fingerprint() + ")");
        }
        TrainerState s = Checkpoint.readTrainerState(latest, TrainerState.class);
        fineTune.restore(model, runDir);
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

    private SggModel buildModel() {
        return ModelRegistry.build(config, spec.model(), spec.mode(), spec.seed());
    }

    private AdamW optimizer(SggModel model) {
        return new AdamW(model.graph(), fineTune.trainable(model), train.lr(), train.beta1(), train.beta2(),
                train.eps(), train.weightDecay(), train.clipNorm());
    }

    /** The named parts of the loop, each owning its share of the state a resumable checkpoint saves. */
    private record Parts(LrSchedule schedule, Selection selection, CheckpointPolicy checkpoints, RunLog log) {}

    /**
     * The loop: epochs of steps, each epoch closed by validation and selection, the schedule's plateau step, a
     * resumable checkpoint and the run log; at the end the test split with the selected parameters.
     */
    private TrainingResult loop(SggModel model, AdamW opt, TrainerState s) {
        int spe = stepsPerEpoch();
        Parts p = new Parts(LrSchedule.resume(train, spe, s), Selection.resume(runDir, train, evalConfig, s),
                new CheckpointPolicy(runDir, train, config), RunLog.resume(runDir, s));
        announce(model, spe, s);
        if (model instanceof TrainingAware aware) {
            aware.beforeTraining(data.train(), this::example);
        }
        long taken = 0;
        int epoch = s.epoch();
        int step = s.stepInEpoch();
        long global = s.globalStep();
        long epochStart = System.nanoTime();
        while (epoch < train.epochs()) {
            List<AgVideo> order = order(epoch);
            for (; step < spe; taken++) {
                if (stopRequested(taken)) {
                    return interrupted(model, p, global);
                }
                step(model, opt, order, epoch, step, global, p.schedule().lr(global), taken == 0, p.log(), spe);
                global++;
                step++;
                if (p.checkpoints().dueAfterStep(global, step, spe)) {
                    saved(p.checkpoints().save(model, opt, state(epoch, step, global, p),
                            meta("resume", epoch, step, global, Map.of())));
                }
            }
            Map<String, Double> validation = endEpoch(model, p, epoch, global, spe, epochStart);
            epoch++;
            step = 0;
            epochStart = System.nanoTime();
            saved(p.checkpoints().save(model, opt, state(epoch, 0, global, p),
                    meta("resume", epoch, 0, global, validation)));
            p.log().write();
        }
        return finish(model, p, global);
    }

    /**
     * The end of an epoch: model-side learning (e.g. TEMPURA's memory), validation and selection, the schedule's
     * plateau step, the epoch's record in the log. Returns the validation metrics.
     */
    private Map<String, Double> endEpoch(SggModel model, Parts p, int epoch, long global, int spe, long epochStart) {
        if (model instanceof TrainingAware aware) {
            aware.afterEpoch(epoch, data.train(), this::example);
        }
        double meanLoss = p.log().meanLoss(spe);
        double seconds = (System.nanoTime() - epochStart) / 1e9;
        double lrNow = p.schedule().lr(global - 1);
        for (TrainingListener l : listeners) {
            l.onEpoch(new TrainingListener.Epoch(epoch, meanLoss, lrNow, seconds));
        }
        Selection.Validated val = p.selection().validate(model, data);
        if (val.best()) {
            Path dir = p.selection().select(epoch, val.metric(), model, meta("best", epoch, spe, global,
                    val.metrics()), config);
            listeners.forEach(l -> l.onCheckpoint(dir, true));
        }
        p.schedule().afterValidation(val.metric());
        for (TrainingListener l : listeners) {
            l.onValidation(new TrainingListener.Validation(epoch, val.result(), p.selection().metricName(),
                    val.metric(), val.best(), p.schedule().lr(global)));
        }
        p.log().endEpoch(new TrainerState.EpochRecord(epoch, global, meanLoss, lrNow, seconds, val.metrics()));
        return val.metrics();
    }

    /** One optimiser update on the videos of step {@code step} of {@code order}, logged and reported. */
    private void step(SggModel model, AdamW opt, List<AgVideo> order, int epoch, int step, long global, double lr,
            boolean first, RunLog log, int spe) {
        long t0 = System.nanoTime();
        List<RelationInputs> ins = new ArrayList<>();
        List<RelationTargets> tgs = new ArrayList<>();
        List<FrameModel.Clip> clips = new ArrayList<>();
        int from = step * train.videosPerStep();
        int to = Math.min(order.size(), from + train.videosPerStep());
        for (AgVideo v : order.subList(from, to)) {
            if (model instanceof FrameModel) {
                clips.add(data.clip(v));
                continue;
            }
            Collate.Video c = collated(v);
            ins.add(c.inputs());
            tgs.add(c.targets());
        }
        opt.setLearningRate(lr);
        Nd4j.getRandom().setSeed(stepSeed(spec.seed(), global));
        java.util.function.DoubleSupplier update = model instanceof FrameModel fm
                ? () -> fm.trainStep(clips, opt) : () -> model.trainStep(ins, tgs, opt);
        double loss = first ? quietly(update) : update.getAsDouble();
        fineTune.afterStep(model);
        String video = order.get(from).id();
        if (!Double.isFinite(loss)) {
            String last = Files.exists(runDir.resolve(CHECKPOINTS).resolve(LATEST))
                    ? latestCheckpoint(runDir).toString() : "none yet";
            throw new KitException("training stopped: the loss is " + loss + " at epoch " + epoch + ", step "
                    + step + " (global step " + global + "), video " + video + "; the last good checkpoint "
                    + "is " + last + " (lower train.lr, then resume or restart)");
        }
        log.step(new TrainerState.StepRecord(global + 1, epoch, video, loss, lr));
        double sec = (System.nanoTime() - t0) / 1e9;
        for (TrainingListener l : listeners) {
            l.onStep(new TrainingListener.Step(epoch, step + 1, spe, global + 1, video, loss, lr, sec));
        }
    }

    /** {@link #stopAfter} reached, or the training thread interrupted (e.g. a notebook cell stopped). */
    private boolean stopRequested(long taken) {
        // Interrupts: a notebook's interrupt (the kit's kernel sets the flag) or the thread's interrupt status
        return stopAfterSteps >= 0 && taken >= stopAfterSteps || Interrupts.requested();
    }

    private void announce(SggModel model, int spe, TrainerState s) {
        for (TrainingListener l : listeners) {
            l.onStart(new TrainingListener.Plan(spec.model(), spec.modeName(), train.epochs(), spe, s.epoch(),
                    s.stepInEpoch(), data.train().size(), data.val().size(), data.test().size(),
                    model.parameterCount(), runDir));
        }
    }

    /** Where the loop stands, as a resumable checkpoint saves it. */
    private static TrainerState state(int epoch, int step, long global, Parts p) {
        return new TrainerState(epoch, step, global, p.schedule().plateauLr(), p.schedule().plateauBest(),
                p.schedule().plateauBad(), p.log().epochLossSum(), p.selection().bestMetric(),
                p.selection().bestEpoch(), p.selection().bestCheckpoint(), p.log().history(), p.log().steps());
    }

    private void saved(Path checkpoint) {
        for (TrainingListener l : listeners) {
            l.onCheckpoint(checkpoint, false);
        }
    }

    private TrainingResult interrupted(SggModel model, Parts p, long global) {
        Selection selection = p.selection();
        Path best = selection.bestCheckpoint() == null ? null : runDir.resolve(selection.bestCheckpoint());
        return new TrainingResult(runDir, model, selection.bestEpoch(), selection.bestMetric(), best, null,
                List.copyOf(p.log().history()), true, global);
    }

    /** The test split, once, with the selected parameters. */
    private TrainingResult finish(SggModel model, Parts p, long global) {
        Selection selection = p.selection();
        Path bestDir = runDir.resolve(selection.bestCheckpoint());
        Checkpoint.loadParams(bestDir, model);
        EvaluationResult test;
        try (PredictionsFile.Writer w = PredictionsFile.writer(runDir.resolve("test.predictions.json"))) {
            test = Inference.score(model, data.test(), data, evalConfig, w).result();
            w.finish();
            test.writeJson(runDir.resolve("test.scores.json"));
            if (spec.mode() != Mode.PREDCLS) {
                ObjectLabelStats.of(runDir.resolve("test.predictions.json"))
                        .writeJson(runDir.resolve(OBJECT_STATS));
            }
        } catch (IOException e) {
            throw new KitException("cannot write the test predictions under " + runDir + ": " + e.getMessage(), e);
        }
        TrainingResult result = new TrainingResult(runDir, model, selection.bestEpoch(), selection.bestMetric(),
                bestDir, test, List.copyOf(p.log().history()), false, global);
        for (TrainingListener l : listeners) {
            l.onFinish(result);
        }
        return result;
    }

    /** Epoch e's video order: the training videos shuffled by a generator seeded from (seed, e). */
    List<AgVideo> order(int epoch) {
        return data.epochOrder(spec.seed(), epoch);
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
        c = data.collateForTraining(v, spec.mode());
        long values = c.inputs().features().length() + c.inputs().unionFeatures().length()
                + c.inputs().spatialMasks().length();
        if (cachedValues + values < 64L << 20) {
            cache.put(v.id(), c);
            cachedValues += values;
        }
        return c;
    }

    private Checkpoint.Meta meta(String kind, int epoch, int step, long global, Map<String, Double> metrics) {
        return new Checkpoint.Meta(Checkpoint.FORMAT, spec.model(), spec.modeName(), kind, epoch, step, global,
                metrics, data.fingerprint(), Provenance.gitCommit(), Provenance.versions(), Instant.now().toString());
    }

    private void writeRunFiles(SggModel model) {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new KitException("cannot create run folder " + runDir + ": " + e.getMessage(), e);
        }
        config.write(runDir.resolve("config.yaml"));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("model", spec.model());
        p.put("mode", spec.modeName());
        p.put("seed", spec.seed());
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

    static void writeJson(Path file, Object value) {
        try {
            AtomicFiles.writeString(file, Checkpoint.JSON.writeValueAsString(value) + "\n");
        } catch (IOException e) {
            throw new KitException("cannot write " + file + ": " + e.getMessage(), e);
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
