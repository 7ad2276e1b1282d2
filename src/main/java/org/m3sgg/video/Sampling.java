package org.m3sgg.video;

import org.m3sgg.api.KitException;

/**
 * Which frames of a source to keep: every {@code every}-th frame (0, every, 2 every, ...), or, when {@code fps > 0},
 * the frames nearest to a target rate.
 *
 * <p>Rate sampling keeps, for each target time {@code k / fps} (k = 0, 1, ...), the first frame whose time is at
 * least {@code k / fps - 0.5 / sourceFps}: the nearest frame, the earlier one on a tie. With a constant source rate
 * R that is frame {@code ceil(k R / fps - 1/2)}; at half the source rate, frames 0, 2, 4, .... A target at or
 * above the source's rate keeps every frame. A video's times are its frames' timestamps; a folder's are
 * {@code position / nominal rate}.
 *
 * @param every keep every n-th frame, {@code >= 1}; 1 when sampling by rate
 * @param fps target frames per second; 0 for sampling by {@code every}
 */
public record Sampling(int every, double fps) {

    /** Every frame. */
    public static final Sampling ALL = new Sampling(1, 0);

    public Sampling {
        if (every < 1) {
            throw new KitException("sampling: every " + every + " is not allowed, expected an integer >= 1");
        }
        if (!(fps >= 0) || Double.isInfinite(fps)) {
            throw new KitException("sampling: fps " + fps + " is not allowed, expected a finite rate > 0 (or 0 for"
                    + " every-n sampling)");
        }
        if (fps > 0 && every != 1) {
            throw new KitException("sampling: give either every (" + every + ") or fps (" + fps + "), not both");
        }
    }

    /** Every n-th frame, starting with the first. */
    public static Sampling every(int n) {
        return new Sampling(n, 0);
    }

    /** The frames nearest to {@code fps} frames per second. */
    public static Sampling fps(double fps) {
        if (!(fps > 0)) {
            throw new KitException("sampling: fps " + fps + " is not allowed, expected a rate > 0");
        }
        return new Sampling(1, fps);
    }

    public boolean byRate() {
        return fps > 0;
    }

    /** Words for messages: "every frame", "every 3rd frame", "12.5 fps". */
    public String describe() {
        if (byRate()) {
            return fps + " fps";
        }
        if (every == 1) {
            return "every frame";
        }
        return "every " + every + ordinalSuffix(every) + " frame";
    }

    private static String ordinalSuffix(int n) {
        int h = n % 100;
        if (h >= 11 && h <= 13) {
            return "th";
        }
        return switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }

    /**
     * The streaming decision for one source: feed it every frame in order, with its position and time; it says
     * which to keep.
     */
    Selector selector(double sourceFps) {
        return new Selector(this, sourceFps);
    }

    /** Stateful keep/skip decision over a source's frames in order. */
    static final class Selector {
        private static final double EPS = 1e-9;
        private final Sampling sampling;
        private final double halfFrame;
        private long target;   // k of the next target time k / fps

        Selector(Sampling sampling, double sourceFps) {
            this.sampling = sampling;
            if (sampling.byRate() && !(sourceFps > 0 && Double.isFinite(sourceFps))) {
                throw new IllegalArgumentException("rate sampling needs the source's rate, got " + sourceFps);
            }
            this.halfFrame = sampling.byRate() ? 0.5 / sourceFps : 0;
        }

        /** Whether the frame at {@code position} (0-based), shown at {@code seconds} from the first, is kept. */
        boolean keep(long position, double seconds) {
            if (!sampling.byRate()) {
                return position % sampling.every == 0;
            }
            if (seconds + EPS < target / sampling.fps - halfFrame) {
                return false;
            }
            // this frame serves every target up to its time plus half a frame: the next kept frame is nearer to
            // the targets after that
            while (target / sampling.fps - halfFrame <= seconds + EPS) {
                target++;
            }
            return true;
        }

        /** The earliest time at which a frame can still be kept (frames before it may be skipped undecoded). */
        double nextTime() {
            return sampling.byRate() ? target / sampling.fps - halfFrame : 0;
        }
    }
}
