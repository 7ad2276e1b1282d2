package org.m3sgg.train;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.m3sgg.eval.Constraint;

/**
 * Training progress on a console: a progress bar (steps, loss, lr, speed, ETA) when the output is a terminal,
 * plain lines every {@code logEvery} steps otherwise (CI logs, pipes, notebooks), and one line per validation.
 */
public final class ConsoleProgress implements TrainingListener {

    private final PrintWriter out;
    private final boolean bar;
    private final int logEvery;
    private ProgressBar progress;
    private Plan plan;
    private long startNanos;
    private long startStep;
    private double lossSum;
    private int lossCount;

    /** {@code bar}: draw a progress bar (use {@link #isTerminal()}). */
    public ConsoleProgress(PrintWriter out, boolean bar, int logEvery) {
        this.out = out;
        this.bar = bar;
        this.logEvery = logEvery;
    }

    /** Whether standard output is an interactive terminal. */
    public static boolean isTerminal() {
        return System.console() != null && System.getenv("CI") == null;
    }

    @Override
    public void onStart(Plan p) {
        this.plan = p;
        long total = (long) p.epochs() * p.stepsPerEpoch();
        startStep = (long) p.startEpoch() * p.stepsPerEpoch() + p.startStep();
        startNanos = System.nanoTime();
        out.printf(Locale.ROOT, "training %s (%s, %,d parameters): %d epochs x %d steps; %d train / %d val / %d test "
                        + "videos; run folder %s%s%n", p.model(), p.mode(), p.parameters(), p.epochs(),
                p.stepsPerEpoch(), p.trainVideos(), p.valVideos(), p.testVideos(), p.runDir(),
                startStep > 0 ? "; resuming at step " + startStep : "");
        out.flush();
        if (bar) {
            progress = new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS).setUnit(" steps", 1)
                    .startsFrom(startStep, java.time.Duration.ZERO).build();
        }
    }

    @Override
    public void onStep(Step s) {
        lossSum += s.loss();
        lossCount++;
        if (progress != null) {
            progress.stepTo(s.globalStep());
            progress.setExtraMessage(String.format(Locale.ROOT, "epoch %d loss %.4f lr %.1e", s.epoch() + 1, s.loss(),
                    s.lr()));
        } else if (s.globalStep() % logEvery == 0) {
            long total = (long) plan.epochs() * plan.stepsPerEpoch();
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            double perStep = elapsed / Math.max(1, s.globalStep() - startStep);
            out.printf(Locale.ROOT, "epoch %d/%d step %d/%d  loss %.4f (mean of %d: %.4f)  lr %.2e  %.2f s/step  ETA "
                            + "%s%n", s.epoch() + 1, plan.epochs(), s.stepInEpoch(), s.stepsPerEpoch(), s.loss(),
                    lossCount, lossSum / lossCount, s.lr(), perStep, duration(perStep * (total - s.globalStep())));
            out.flush();
            lossSum = 0;
            lossCount = 0;
        }
    }

    @Override
    public void onValidation(Validation v) {
        String line = String.format(Locale.ROOT, "epoch %d validation: %s %.2f%%  (with R@10 %.2f, mR@10 %.2f)%s  next "
                        + "lr %.2e", v.epoch() + 1, v.metricName(), 100 * v.metric(),
                100 * v.result().metric(Constraint.WITH, "R@10"), 100 * v.result().metric(Constraint.WITH, "mR@10"),
                v.best() ? "  best so far" : "", v.nextLr());
        if (progress != null) {
            progress.pause();
            out.println();
        }
        out.println(line);
        out.flush();
        if (progress != null) {
            progress.resume();
        }
    }

    @Override
    public void onFinish(TrainingResult r) {
        if (progress != null) {
            progress.close();
        }
        out.printf(Locale.ROOT, "selected epoch %d (validation %.2f%%), checkpoint %s%n", r.bestEpoch() + 1,
                100 * r.bestMetric(), r.bestCheckpoint());
        out.flush();
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
