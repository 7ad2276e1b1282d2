package org.m3sgg.bench;

import java.util.List;
import java.util.Locale;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.sttran.SttranConfig;
import org.m3sgg.models.sttran.SttranModel;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times STTran at one set of widths on a synthetic video: graph build, the first training step (gradient graph
 * creation), then evaluation-mode forward passes and training steps (forward, gradients, AdamW update, batch-norm
 * running statistics), each as warm-up runs followed by timed runs. Reports medians, FLOP-based throughput against
 * {@link GemmProbe}'s reference, the process's peak resident memory and optionally a per-op profile.
 */
public final class SttranBenchmark {

    /** Which widths: {@link SttranConfig#paper()} or {@link SttranConfig#quick()}. */
    public enum Widths {
        PAPER, QUICK;

        public SttranConfig config() {
            return this == PAPER ? SttranConfig.paper() : SttranConfig.quick();
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Widths parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "paper" -> PAPER;
                case "quick" -> QUICK;
                default -> throw new KitException("bench: widths '" + s + "': expected paper, quick or both");
            };
        }
    }

    /**
     * @param pairs   relation pairs in the video
     * @param frames  frames they are spread over
     * @param mode    PREDCLS (relation model only) or SGCLS (with the object classifier)
     * @param warmup  untimed runs before timing (after the first training step, which is always untimed)
     * @param repeats timed runs
     * @param profile also run one profiled forward and training step and report the top ops
     */
    public record Options(int pairs, int frames, Mode mode, int warmup, int repeats, boolean profile) {
        public Options {
            if (repeats < 1 || warmup < 0) {
                throw new KitException("bench: repeats must be >= 1 and warm-up >= 0, got " + repeats + " / " + warmup);
            }
            if (mode == Mode.SGDET) {
                throw new KitException("bench: mode must be predcls or sgcls (STTran's SGDET graph is the SGCLS one)");
            }
        }
    }

    /** Per-op profile of one run: top op kinds, top (kind, shapes) and the wall time the listener did not see. */
    public record Profile(double wallSeconds, double opSeconds, List<OpProfiler.Entry> kinds,
            List<OpProfiler.Entry> shapes) {}

    /** Everything measured at one set of widths. */
    public record Result(String widths, SttranConfig config, Mode mode, long parameters, BenchShape shape,
            FlopCount flops, GemmProbe.Result gemm, double buildSeconds, double firstStepSeconds, Timing forward,
            Timing train, long peakRssBytes, long rssBytes, Profile forwardProfile, Profile trainProfile) {

        public double forwardGflops() {
            return flops.forward() / forward.wallMedian() / 1e9;
        }

        public double trainGflops() {
            return flops.trainingStep() / train.wallMedian() / 1e9;
        }

        /** Achieved training GFLOP/s as a fraction of what bare Nd4j.gemm reaches on the same product mix. */
        public double trainFraction() {
            return trainGflops() / gemm.weightedGflops();
        }

        public double forwardFraction() {
            return forwardGflops() / gemm.weightedGflops();
        }
    }

    private SttranBenchmark() {}

    public static Result run(Widths widths, Options o) {
        SttranConfig cfg = widths.config();
        BenchShape shape = BenchShape.uniform(o.pairs(), o.frames());
        FlopCount flops = FlopCount.of(cfg, shape, o.mode() == Mode.SGCLS);
        GemmProbe.Result gemm = GemmProbe.run(GemmProbe.shapes(cfg, shape), 2, Math.max(3, o.repeats()));

        Nd4j.getRandom().setSeed(1);
        long t0 = System.nanoTime();
        SttranModel model = SttranModel.build(cfg, o.mode(), 1);
        double build = (System.nanoTime() - t0) / 1e9;
        BenchVideo.Video v = BenchVideo.of(cfg, shape, 3);
        // a tiny learning rate keeps repeated steps on the same video numerically tame
        AdamW opt = model.newOptimizer(1e-6);

        t0 = System.nanoTime();
        model.trainStep(v.inputs(), v.targets(), opt);
        double first = (System.nanoTime() - t0) / 1e9;

        Timing forward = Timing.measure(o.warmup(), o.repeats(), () -> model.forward(v.inputs()));
        Timing train = Timing.measure(o.warmup(), o.repeats(), () -> model.trainStep(v.inputs(), v.targets(), opt));
        long peak = ProcessStats.peakRss();
        long rss = ProcessStats.rss();

        Profile fp = null;
        Profile tp = null;
        if (o.profile()) {
            OpProfiler prof = new OpProfiler();
            model.graph().setListeners(prof);
            try {
                fp = profiled(prof, () -> model.forward(v.inputs()));
                tp = profiled(prof, () -> model.trainStep(v.inputs(), v.targets(), opt));
            } finally {
                model.graph().setListeners();
            }
        }
        return new Result(widths.label(), cfg, o.mode(), model.parameterCount(), shape, flops, gemm, build, first,
                forward, train, peak, rss, fp, tp);
    }

    private static Profile profiled(OpProfiler prof, Runnable op) {
        prof.reset();
        long t0 = System.nanoTime();
        op.run();
        double wall = (System.nanoTime() - t0) / 1e9;
        return new Profile(wall, prof.totalSeconds(), prof.topKinds(12), prof.topShapes(15));
    }
}
