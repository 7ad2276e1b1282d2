package org.m3sgg.report;

import java.util.function.LongSupplier;
import org.m3sgg.api.ProgressListener;

/**
 * A long task's live progress bar in a notebook cell (scoring a split with
 * {@code Inference.score(..., LiveProgress.inNotebook())}, and any other {@link ProgressListener} task): done of
 * total, the last item and the time left, replaced in place at most once per interval.
 */
public final class LiveProgress implements ProgressListener {

    private final LiveView view;
    private String task = "working";
    private long total;
    private long done;
    private String item;
    private long startNanos;
    private boolean finished;

    public LiveProgress(DisplaySink sink, double intervalSeconds, LongSupplier clock) {
        if (!(intervalSeconds >= 0)) {
            throw new IllegalArgumentException("interval must be >= 0 seconds, got " + intervalSeconds);
        }
        this.view = new LiveView(sink, (long) (intervalSeconds * 1e9), clock);
    }

    /** The running kernel's display, one view per second; nothing outside a kernel. */
    public static LiveProgress inNotebook() {
        Notebook.setup();
        return new LiveProgress(KernelDisplay.sink(), 1.0, System::nanoTime);
    }

    public int updates() {
        return view.updates();
    }

    @Override
    public void onStart(String task, long total) {
        this.task = task;
        this.total = total;
        this.done = 0;
        this.finished = false;
        startNanos = view.now();
        view.offer(this::render, true);
    }

    @Override
    public void onAdvance(long done, String item) {
        this.done = done;
        this.item = item;
        view.offer(this::render, false);
    }

    @Override
    public void onFinish() {
        finished = true;
        view.offer(this::render, true);
    }

    Html render() {
        String[] bar = LiveView.bar(done, total);
        double elapsed = (view.now() - startNanos) / 1e9;
        boolean known = total > 0;   // a video decoded as it goes has no total
        StringBuilder s = new StringBuilder(task).append(": ").append(done);
        if (known) {
            s.append('/').append(total);
        }
        if (item != null) {
            s.append(", last ").append(item);
        }
        s.append(", ").append(LiveView.duration(elapsed)).append(" elapsed");
        if (finished) {
            s.append(!known || done >= total ? ", done" : ", stopped");
        } else if (done > 0 && known) {
            s.append(", about ").append(LiveView.duration(elapsed / done * (total - done))).append(" left");
        }
        return new Html("<div style=\"font-family:sans-serif;font-size:13px\">" + bar[0] + " <span>"
                + Html.escape(s.toString()) + "</span></div>", bar[1] + "  " + s);
    }
}
