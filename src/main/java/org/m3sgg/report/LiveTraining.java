package org.m3sgg.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.m3sgg.eval.Constraint;
import org.m3sgg.train.TrainingListener;
import org.m3sgg.train.TrainingResult;

/**
 * A training run's live view in a notebook cell: a progress bar with epoch, step, loss and time left, above the
 * loss-per-step, loss-per-epoch and validation curves, replaced in place while the run goes on (at most once per
 * interval, one second by default; the first and the last view always go out).
 *
 * <pre>{@code
 * var result = Notebook.train(trainer.addListener(LiveTraining.inNotebook()));
 * }</pre>
 *
 * <p>Outside a kernel {@link #inNotebook()} shows nothing (use {@code ConsoleProgress} on a console). Rendering
 * takes some tens of milliseconds per view and happens on the training thread, which the throttle bounds.
 */
public final class LiveTraining implements TrainingListener {

    private final LiveView view;
    private Plan plan;
    private final List<Double> stepX = new ArrayList<>();
    private final List<Double> stepLoss = new ArrayList<>();
    private final List<Double> epochLoss = new ArrayList<>();
    private final List<Double> valMetric = new ArrayList<>();
    private final List<Double> valMeanRecall = new ArrayList<>();
    private String metricName = "validation metric";
    private Step last;
    private long startNanos;
    private long startStep;
    private String finished;

    /**
     * @param sink where the view goes
     * @param intervalSeconds the least time between two views (the first and last excepted)
     * @param clock nanoseconds, {@link System#nanoTime} outside tests
     */
    public LiveTraining(DisplaySink sink, double intervalSeconds, LongSupplier clock) {
        if (!(intervalSeconds >= 0)) {
            throw new IllegalArgumentException("interval must be >= 0 seconds, got " + intervalSeconds);
        }
        this.view = new LiveView(sink, (long) (intervalSeconds * 1e9), clock);
    }

    /** The running kernel's display, one view per second; nothing outside a kernel. */
    public static LiveTraining inNotebook() {
        Notebook.setup();
        return new LiveTraining(KernelDisplay.sink(), 1.0, System::nanoTime);
    }

    /** Views sent so far. */
    public int updates() {
        return view.updates();
    }

    @Override
    public void onStart(Plan p) {
        plan = p;
        startNanos = view.now();
        startStep = (long) p.startEpoch() * p.stepsPerEpoch() + p.startStep();
        view.offer(this::render, true);
    }

    @Override
    public void onStep(Step s) {
        last = s;
        stepX.add((double) s.globalStep());
        stepLoss.add(s.loss());
        view.offer(this::render, false);
    }

    @Override
    public void onEpoch(Epoch e) {
        epochLoss.add(e.meanLoss());
        view.offer(this::render, false);
    }

    @Override
    public void onValidation(Validation v) {
        metricName = "val " + v.metricName();
        valMetric.add(v.metric());
        valMeanRecall.add(v.result().metric(Constraint.WITH, "mR@20"));
        view.offer(this::render, false);
    }

    @Override
    public void onFinish(TrainingResult result) {
        finished = result.finished() ? "finished" : "interrupted: resume it to continue";
        view.offer(this::render, true);
    }

    /** The current view: HTML (bar, status line, curves) and its text/plain status line. */
    Html render() {
        String status = statusLine();
        StringBuilder html = new StringBuilder("<div style=\"font-family:sans-serif;font-size:13px\">");
        long total = plan == null ? 0 : (long) plan.epochs() * plan.stepsPerEpoch();
        long done = last == null ? startStep : last.globalStep();
        String[] bar = LiveView.bar(done, total);
        html.append("<div>").append(bar[0]).append("</div>");
        html.append("<div style=\"margin:4px 0\">").append(Html.escape(status)).append("</div>");
        Figure curves = curves();
        if (curves != null) {
            html.append(curves.html(1.0).html());   // 1x: a view costs a quarter of a 2x one
        }
        html.append("</div>");
        return new Html(html.toString(), bar[1] + "  " + status);
    }

    String statusLine() {
        if (plan == null) {
            return "waiting for the run to start";
        }
        long total = (long) plan.epochs() * plan.stepsPerEpoch();
        StringBuilder sb = new StringBuilder(plan.model()).append(", ");
        if (last == null) {
            sb.append(String.format(Locale.ROOT, "%d epochs x %d steps, %,d parameters", plan.epochs(),
                    plan.stepsPerEpoch(), plan.parameters()));
        } else {
            double elapsed = (view.now() - startNanos) / 1e9;
            long stepsDone = last.globalStep() - startStep;
            double perStep = stepsDone > 0 ? elapsed / stepsDone : Double.NaN;
            sb.append(String.format(Locale.ROOT, "epoch %d/%d, step %d/%d, loss %.4f, lr %.2e, %s elapsed",
                    last.epoch() + 1, plan.epochs(), last.stepInEpoch(), last.stepsPerEpoch(), last.loss(), last.lr(),
                    LiveView.duration(elapsed)));
            if (finished == null) {
                sb.append(", about ").append(LiveView.duration(perStep * (total - last.globalStep())))
                        .append(" left");
            }
        }
        if (!valMetric.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "; %s %.1f%%", metricName, 100 * valMetric.get(valMetric.size()
                    - 1)));
        }
        if (finished != null) {
            sb.append("; ").append(finished);
        }
        return sb.toString();
    }

    /** The curves so far, or null before the first step. */
    Figure curves() {
        if (stepLoss.isEmpty()) {
            return null;
        }
        Curve steps = Curve.of("train", stepX, stepLoss);
        List<Curve> perStep = stepLoss.size() >= 10 ? List.of(steps, steps.smoothed(0.9)) : List.of(steps);
        List<Curve> perEpoch = epochLoss.isEmpty() ? List.of() : List.of(Curve.of("train", epoch(epochLoss),
                epochLoss));
        List<Curve> metrics = valMetric.isEmpty() ? List.of() : List.of(Curve.of(metricName, epoch(valMetric),
                valMetric), Curve.of("val mR@20 (with)", epoch(valMeanRecall), valMeanRecall));
        return Charts.training(perStep, perEpoch, metrics, 0.7);
    }

    private static List<Double> epoch(List<Double> values) {
        List<Double> x = new ArrayList<>();
        for (int i = 1; i <= values.size(); i++) {
            x.add((double) i);
        }
        return x;
    }
}
