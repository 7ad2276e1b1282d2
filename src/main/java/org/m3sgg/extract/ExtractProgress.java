package org.m3sgg.extract;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Extraction progress on a console, in the style of {@code train.ConsoleProgress}: a progress bar over frames (with
 * the current video, speed and ETA) when the output is a terminal; otherwise one plain line per video written (CI
 * logs, pipes, notebooks) and nothing for skipped videos but the final count.
 */
public final class ExtractProgress implements FeatureExtractor.Listener {

    private final PrintWriter out;
    private final boolean bar;
    private ProgressBar progress;
    private long frames;
    private long done;
    private int videos;
    private int seen;

    /** {@code bar}: draw a progress bar ({@code ConsoleProgress.isTerminal()}). */
    public ExtractProgress(PrintWriter out, boolean bar) {
        this.out = out;
        this.bar = bar;
    }

    @Override
    public void onStart(int videos, long frames) {
        this.videos = videos;
        this.frames = frames;
        out.printf(Locale.ROOT, "extracting %d videos, %,d annotated frames%n", videos, frames);
        out.flush();
        if (bar) {
            progress = new ProgressBarBuilder().setTaskName("extract").setInitialMax(frames)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                    .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS).setUnit(" frames", 1).build();
        }
    }

    @Override
    public void onFrames(String videoId, int count) {
        done += count;
        if (progress != null) {
            progress.stepTo(done);
            progress.setExtraMessage(videoId);
        }
    }

    @Override
    public void onVideo(FeatureExtractor.VideoReport r) {
        seen++;
        if (r.skipped()) {
            done += r.frames();
            if (progress != null) {
                progress.stepTo(done);
            }
        } else if (progress == null) {
            out.printf(Locale.ROOT, "[%d/%d] %s: %d frames, %d boxes, %d detections, %.1f MB in %.1f s "
                    + "(%.2f s/frame)%n", seen, videos, r.id(), r.frames(), r.boxes(), r.detections(), r.bytes() / 1e6,
                    r.seconds(), r.seconds() / Math.max(1, r.frames()));
            out.flush();
        }
        if (seen == videos && progress != null) {
            progress.close();
            progress = null;
        }
    }
}
