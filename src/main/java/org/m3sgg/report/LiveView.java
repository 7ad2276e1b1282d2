package org.m3sgg.report;

import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The throttled in-place output shared by {@link LiveTraining} and {@link LiveProgress}: the first view is shown,
 * later ones replace it at most once per interval, and the last one always goes out.
 */
final class LiveView {

    private final DisplaySink sink;
    private final long intervalNanos;
    private final LongSupplier clock;
    private String id;
    private boolean shown;
    private long lastNanos;
    private int updates;

    LiveView(DisplaySink sink, long intervalNanos, LongSupplier clock) {
        this.sink = sink;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** Whether an update now would pass the throttle. */
    boolean due() {
        return !shown || clock.getAsLong() - lastNanos >= intervalNanos;
    }

    /** Shows or replaces the view; unless {@code force}, only when {@link #due()}. Returns whether it did. */
    boolean offer(java.util.function.Supplier<Rich> view, boolean force) {
        if (!force && !due()) {
            return false;
        }
        Rich v = view.get();
        if (!shown) {
            id = sink.show(v);
            shown = true;
        } else if (id != null) {
            sink.update(id, v);
        }
        updates++;
        lastNanos = clock.getAsLong();
        return true;
    }

    /** Views sent so far (the first show included). */
    int updates() {
        return updates;
    }

    long now() {
        return clock.getAsLong();
    }

    /** An HTML progress bar and the same as text, e.g. {@code [#########...........]  45%}. */
    static String[] bar(long done, long total) {
        double f = total <= 0 ? 0 : Math.min(1, done / (double) total);
        int pct = (int) Math.floor(100 * f);
        String html = "<div style=\"width:420px;height:14px;background:#e6e8eb;border-radius:3px;display:inline-block;"
                + "vertical-align:middle\"><div style=\"width:" + Math.round(420 * f) + "px;height:14px;"
                + "background:#4E79A7;border-radius:3px\"></div></div> <span>" + pct + "%</span>";
        int cells = 30;
        int full = (int) Math.floor(cells * f);
        String text = "[" + "#".repeat(full) + ".".repeat(cells - full) + "] " + String.format(Locale.ROOT, "%3d%%",
                pct);
        return new String[] {html, text};
    }

    /** Seconds as "1h 02m", "3m 05s" or "12s". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return s + "s";
    }
}
