package org.m3sgg.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.m3sgg.api.ProgressListener;

/**
 * Progress of a task counted in frames whose total may be unknown (a video decoded as it goes): a progress bar on
 * a terminal, otherwise one line per advance (CI logs, pipes).
 */
final class FrameProgress implements ProgressListener {

    private final PrintWriter out;
    private final boolean bar;
    private ProgressBar progress;
    private long startNanos;

    FrameProgress(PrintWriter out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    @Override
    public void onStart(String task, long total) {
        startNanos = System.nanoTime();
        if (bar) {
            progress = new ProgressBarBuilder().setTaskName(task).setInitialMax(total > 0 ? total : -1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS).setUnit(" frames", 1).build();
        } else {
            out.println(task);
            out.flush();
        }
    }

    @Override
    public void onAdvance(long done, String item) {
        if (progress != null) {
            progress.stepTo(done);
            progress.setExtraMessage(item == null ? "" : item);
        } else {
            double s = (System.nanoTime() - startNanos) / 1e9;
            out.printf(Locale.ROOT, "%d frames (last %s), %.1f s, %.2f frames/s%n", done, item, s, done / s);
            out.flush();
        }
    }

    @Override
    public void onFinish() {
        if (progress != null) {
            progress.close();
            progress = null;
        }
    }
}
