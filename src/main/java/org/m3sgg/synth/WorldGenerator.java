package org.m3sgg.synth;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.m3sgg.data.Box;
import org.m3sgg.data.RawAnnotations;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.synth.WorldTables.Anchor;
import org.m3sgg.synth.WorldTables.Depth;
import org.m3sgg.synth.WorldTables.Mode;
import org.m3sgg.synth.WorldTables.ObjectClass;

/**
 * Generates the synthetic world's videos: latent interaction states that persist and change by class-dependent
 * transitions, boxes placed by those states, spatial predicates read off the boxes, annotations with a little
 * annotator noise, and the quirks of the released files (frames without a person box, invisible objects, boxes
 * too small for the filtersmall file, one- and two-frame videos).
 *
 * <p>Deterministic for (config, seed): every video draws from its own {@link Random} seeded from (seed, video
 * index), and only {@link StrictMath} is used, so results do not depend on the JVM or the platform.
 */
public final class WorldGenerator {

    /** Latent state of one object entry of one frame (what the annotations were made from). */
    public record ObjectTruth(int label, int mode, int attention, Depth depth, boolean visible, Box box,
            double signal) {}

    /**
     * One annotated frame.
     *
     * @param person the person's box (also when the detector missed it)
     * @param personDetected whether {@code person_bbox.pkl} has the box
     * @param signal 1, or the corrupted-frame signal scale
     */
    public record FrameTruth(String key, int frameNumber, Box person, boolean personDetected, double signal,
            List<ObjectTruth> objects) {
        public FrameTruth {
            objects = List.copyOf(objects);
        }
    }

    public record VideoTruth(String id, String set, int width, int height, List<FrameTruth> frames) {
        public VideoTruth {
            frames = List.copyOf(frames);
        }
    }

    /** A generated world: latent truth per video and the annotation frames in file order. */
    public record World(WorldConfig config, long seed, List<VideoTruth> videos, List<RawAnnotations.Frame> frames) {}

    /** The seed of the bundled world {@code datasets/synthetic-ag} (preset small). */
    public static final long BUNDLED_SEED = 20240601L;

    private static final int[][] FRAME_SIZES = {{480, 270}, {480, 360}, {270, 480}};
    private static final double[] FRAME_SIZE_WEIGHTS = {0.7, 0.2, 0.1};
    private static final double SMOOTHING = 0.35;

    private WorldGenerator() {}

    /** A 64-bit mix of (seed, stream, index): SplitMix64's finaliser over a combination of the three. */
    static long mix(long seed, long stream, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + stream * 0xD1B54A32D192ED03L + index * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static World generate(WorldConfig cfg, long seed) {
        WorldTables.labels(); // table sanity
        int n = cfg.videos();
        List<String> ids = videoIds(n, new Random(mix(seed, 1, 0)));
        boolean[] test = testSplit(n, cfg.testFraction(), new Random(mix(seed, 2, 0)));
        int[] frameCounts = new int[n];
        int shorts = cfg.oneFrameVideos() + cfg.twoFrameVideos();
        Random lengths = new Random(mix(seed, 5, 0));
        for (int v = 0; v < n; v++) {
            frameCounts[v] = cfg.minFrames() + lengths.nextInt(cfg.maxFrames() - cfg.minFrames() + 1);
        }
        for (int j = 0; j < shorts; j++) {
            int at = (int) ((j + 0.5) * n / shorts); // spread the short videos over the file
            frameCounts[at] = j < cfg.oneFrameVideos() ? 1 : 2;
        }
        List<VideoTruth> videos = new ArrayList<>(n);
        List<RawAnnotations.Frame> frames = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            VideoTruth vt = video(cfg, ids.get(v), test[v] ? "test" : "train", frameCounts[v],
                    new Random(mix(seed, 3, v)), frames);
            videos.add(vt);
        }
        return new World(cfg, seed, List.copyOf(videos), List.copyOf(frames));
    }

    private static List<String> videoIds(int n, Random rng) {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        Set<String> seen = new HashSet<>();
        List<String> out = new ArrayList<>(n);
        while (out.size() < n) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                s.append(alphabet.charAt(rng.nextInt(alphabet.length())));
            }
            if (seen.add(s.toString())) {
                out.add(s + ".mp4");
            }
        }
        return out;
    }

    private static boolean[] testSplit(int n, double fraction, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        boolean[] test = new boolean[n];
        int k = (int) StrictMath.round(fraction * n);
        for (int i = 0; i < k; i++) {
            test[order[i]] = true;
        }
        return test;
    }

    /** Mutable latent state of one object along its video. */
    private static final class Track {
        final ObjectClass cls;
        final double scale;
        final int side;
        int mode;
        int attention;
        Depth depth;
        double dx;
        double dy;
        double cx = Double.NaN;
        double cy;

        Track(ObjectClass cls, double scale, int side) {
            this.cls = cls;
            this.scale = scale;
            this.side = side;
        }
    }

    private static VideoTruth video(WorldConfig cfg, String id, String set, int frameCount, Random rng,
            List<RawAnnotations.Frame> out) {
        int[] size = FRAME_SIZES[pick(FRAME_SIZE_WEIGHTS, rng)];
        int width = size[0];
        int height = size[1];
        // the person: height 55-90 % of the frame, a standing aspect ratio
        double ph = height * uniform(rng, 0.55, 0.90);
        double pw = StrictMath.min(ph * uniform(rng, 0.35, 0.55), 0.6 * width);
        double pcx = width * uniform(rng, 0.3, 0.7);
        double pcy = StrictMath.max(ph / 2, StrictMath.min(height - ph / 2, height * uniform(rng, 0.45, 0.6)));

        int k = StrictMath.min(1 + pick(toArray(cfg.objectsPerVideo()), rng), WorldTables.CLASSES.size());
        List<Track> tracks = new ArrayList<>();
        double[] freq = new double[WorldTables.CLASSES.size()];
        for (int i = 0; i < freq.length; i++) {
            freq[i] = WorldTables.CLASSES.get(i).frequency();
        }
        for (int i = 0; i < k; i++) {
            int c = pick(freq, rng);
            freq[c] = 0; // a class occurs at most once per frame
            Track t = new Track(WorldTables.CLASSES.get(c), StrictMath.exp(cfg.sizeSpread() * rng.nextGaussian()),
                    rng.nextBoolean() ? 1 : -1);
            enterMode(t, pick(t.cls.modeWeights(), rng), rng);
            tracks.add(t);
        }

        int frameNumber = 1 + rng.nextInt(40);
        List<FrameTruth> frames = new ArrayList<>(frameCount);
        for (int f = 0; f < frameCount; f++) {
            if (f > 0) {
                frameNumber += cfg.minFrameStep() + rng.nextInt(cfg.maxFrameStep() - cfg.minFrameStep() + 1);
                pcx = clamp(pcx + 0.02 * width * rng.nextGaussian(), pw / 2, width - pw / 2);
                pcy = clamp(pcy + 0.01 * height * rng.nextGaussian(), ph / 2, height - ph / 2);
            }
            double jitter = 1 + 0.02 * rng.nextGaussian();
            Box person = clipBox(pcx, pcy, pw * jitter, ph * jitter, width, height, true);
            boolean detected = rng.nextDouble() >= cfg.noPersonRate();
            double frameSignal = rng.nextDouble() < cfg.corruptFrameRate() ? cfg.corruptSignal() : 1.0;
            String key = id + "/" + String.format("%06d", frameNumber) + ".png";

            List<ObjectTruth> truths = new ArrayList<>(k);
            List<RawAnnotations.ObjectEntry> entries = new ArrayList<>(k);
            for (Track t : tracks) {
                if (f > 0) {
                    step(t, cfg, rng);
                }
                Box truthBox = place(t, person, width, height, rng);
                Box box = cfg.boxNoise() == 0 ? truthBox : observe(truthBox, person, cfg.boxNoise(), width, height, rng);
                boolean visible = rng.nextDouble() >= cfg.invisibleRate();
                double signal = rng.nextDouble() < cfg.occludedBoxRate() ? cfg.occludedSignal() : 1.0;
                truths.add(new ObjectTruth(t.cls.label(), t.mode, t.attention, t.depth, visible, box, signal));
                entries.add(entry(t, box, truthBox, person, visible, set, cfg, rng));
            }
            frames.add(new FrameTruth(key, frameNumber, person, detected, frameSignal, truths));
            double score = 0.9 + 0.1 * rng.nextDouble();
            out.add(new RawAnnotations.Frame(key, detected ? person : null, (float) score, width, height, entries));
        }
        return new VideoTruth(id, set, width, height, frames);
    }

    /** One annotated frame-to-frame step of an object's latent state. */
    private static void step(Track t, WorldConfig cfg, Random rng) {
        if (rng.nextDouble() >= t.cls.stay()) {
            enterMode(t, pick(WorldTables.transitionWeights(t.cls, t.mode), rng), rng);
        } else if (rng.nextDouble() < cfg.attentionResample()) {
            t.attention = drawAttention(WorldTables.MODES.get(t.mode), rng);
        }
    }

    private static void enterMode(Track t, int mode, Random rng) {
        Mode m = WorldTables.MODES.get(mode);
        t.mode = mode;
        t.attention = drawAttention(m, rng);
        t.depth = switch (m.depth()) {
            case FRONT -> rng.nextDouble() < 0.85 ? Depth.FRONT : Depth.NONE;
            case BEHIND -> rng.nextDouble() < 0.85 ? Depth.BEHIND : Depth.NONE;
            case NONE -> rng.nextDouble() < 0.8 ? Depth.NONE : rng.nextBoolean() ? Depth.FRONT : Depth.BEHIND;
            case RANDOM -> Depth.values()[rng.nextInt(3)];
        };
        // where the object sits while the mode lasts: centre offset in person widths / heights
        double s = t.side;
        switch (m.anchor()) {
            case AWAY -> {
                t.dx = s * uniform(rng, 0.9, 1.8);
                t.dy = uniform(rng, -0.3, 0.4);
            }
            case HAND -> {
                t.dx = s * uniform(rng, 0.25, 0.45);
                t.dy = uniform(rng, 0.0, 0.15);
            }
            case FACE -> {
                t.dx = s * uniform(rng, 0.0, 0.15);
                t.dy = uniform(rng, -0.40, -0.32);
            }
            case BODY -> {
                t.dx = uniform(rng, -0.08, 0.08);
                t.dy = uniform(rng, -0.05, 0.15);
            }
            case BELOW -> {
                t.dx = uniform(rng, -0.2, 0.2);
                t.dy = Double.NaN; // placed by the object's own height, see place()
            }
            case SIDE -> {
                t.dx = s * uniform(rng, 0.5, 0.75);
                t.dy = uniform(rng, -0.1, 0.2);
            }
            case BACK -> {
                t.dx = uniform(rng, -0.1, 0.1);
                t.dy = uniform(rng, -0.2, -0.05);
            }
        }
    }

    private static int drawAttention(Mode m, Random rng) {
        double u = rng.nextDouble();
        if (u < 0.04) {
            return 2; // unsure
        }
        return u < 0.04 + 0.96 * m.pLook() ? 0 : 1;
    }

    /** The object's box this frame: its mode's anchor, approached smoothly from where it was. */
    private static Box place(Track t, Box person, int width, int height, Random rng) {
        double pw = person.width();
        double ph = person.height();
        double w = t.cls.width() * width * t.scale * (1 + 0.03 * rng.nextGaussian());
        double h = t.cls.height() * height * t.scale * (1 + 0.03 * rng.nextGaussian());
        double tx = (person.x1() + person.x2()) / 2 + t.dx * pw;
        double ty = Double.isNaN(t.dy) ? person.y1() + 0.75 * ph + 0.3 * h : (person.y1() + person.y2()) / 2
                + t.dy * ph;
        tx += 0.03 * pw * rng.nextGaussian();
        ty += 0.03 * ph * rng.nextGaussian();
        if (Double.isNaN(t.cx)) {
            t.cx = tx;
            t.cy = ty;
        } else {
            t.cx = tx + SMOOTHING * (t.cx - tx);
            t.cy = ty + SMOOTHING * (t.cy - ty);
        }
        return clipBox(t.cx, t.cy, w, h, width, height, false);
    }

    /** A box of the given centre and size inside the frame, at least 2 px each way, rounded to 1/100 px. */
    private static Box clipBox(double cx, double cy, double w, double h, int width, int height, boolean asFloat) {
        w = clamp(w, 2, width);
        h = clamp(h, 2, height);
        double x1 = clamp(cx - w / 2, 0, width - w);
        double y1 = clamp(cy - h / 2, 0, height - h);
        if (asFloat) { // person boxes are float32 in person_bbox.pkl
            return new Box((float) x1, (float) y1, (float) (x1 + w), (float) (y1 + h));
        }
        double rx = round2(x1);
        double ry = round2(y1);
        double rw = round2(w);
        double rh = round2(h);
        return new Box(rx, ry, rx + rw, ry + rh);
    }

    /** The observed box: the true box's centre moved by Gaussian noise of sd {@code noise} person widths / heights. */
    private static Box observe(Box b, Box person, double noise, int width, int height, Random rng) {
        double cx = (b.x1() + b.x2()) / 2 + noise * person.width() * rng.nextGaussian();
        double cy = (b.y1() + b.y2()) / 2 + noise * person.height() * rng.nextGaussian();
        return clipBox(cx, cy, b.x2() - b.x1(), b.y2() - b.y1(), width, height, false);
    }

    /**
     * The annotation entry of a tracked object, with annotator noise: {@code box} is the annotated (observed) box,
     * the spatial labels are read off {@code truthBox}.
     */
    private static RawAnnotations.ObjectEntry entry(Track t, Box box, Box truthBox, Box person, boolean visible,
            String set, WorldConfig cfg, Random rng) {
        String name = t.cls.name();
        // draw the noise even for invisible entries so visibility does not shift the random stream
        boolean badContact = rng.nextDouble() < cfg.labelNoise();
        int otherMode = pick(WorldTables.transitionWeights(t.cls, t.mode), rng);
        boolean badAttention = rng.nextDouble() < cfg.labelNoise();
        int randomAttention = rng.nextInt(3);
        boolean extraSpatial = rng.nextDouble() < cfg.labelNoise() / 2;
        int randomSpatial = rng.nextInt(Vocabulary.NUM_SPATIAL);
        if (!visible) {
            return new RawAnnotations.ObjectEntry(name, false, null, null, null, null, set);
        }
        List<String> contacting = WorldTables.MODES.get(badContact ? otherMode : t.mode).contacting();
        String attention = Vocabulary.ATTENTION.get(badAttention ? randomAttention : t.attention);
        List<String> spatial = new ArrayList<>(spatialLabels(truthBox, person, t.depth));
        String extra = Vocabulary.SPATIAL.get(randomSpatial);
        if (extraSpatial && !spatial.contains(extra)) {
            spatial.add(extra);
        }
        double[] xywh = {box.x1(), box.y1(), round2(box.x2() - box.x1()), round2(box.y2() - box.y1())};
        return new RawAnnotations.ObjectEntry(name, true, xywh, List.of(attention), List.copyOf(spatial),
                List.copyOf(contacting), set);
    }

    /**
     * Spatial predicates of an object relative to the person, read off the two boxes (and the depth the 2-D boxes
     * cannot show). Public so that tests and notebooks can check the rule.
     */
    public static List<String> spatialLabels(Box o, Box p, Depth depth) {
        double ocx = (o.x1() + o.x2()) / 2;
        double ocy = (o.y1() + o.y2()) / 2;
        double pcx = (p.x1() + p.x2()) / 2;
        List<String> out = new ArrayList<>(3);
        if (ocy < p.y1() + 0.2 * p.height()) {
            out.add("above");
        }
        if (ocy > p.y1() + 0.8 * p.height()) {
            out.add("beneath");
        }
        if (depth == Depth.FRONT) {
            out.add("in_front_of");
        }
        if (depth == Depth.BEHIND) {
            out.add("behind");
        }
        if (ocx < p.x1() || ocx > p.x2()) {
            out.add("on_the_side_of");
        }
        double ix = StrictMath.max(0, StrictMath.min(o.x2(), p.x2()) - StrictMath.max(o.x1(), p.x1()));
        double iy = StrictMath.max(0, StrictMath.min(o.y2(), p.y2()) - StrictMath.max(o.y1(), p.y1()));
        double area = o.width() * o.height();
        if (depth != Depth.BEHIND && area > 0 && ix * iy >= 0.9 * area && StrictMath.abs(ocx - pcx) < 0.15 * p.width()) {
            out.add("in");
        }
        if (out.isEmpty()) {
            out.add(ix * iy > 0 ? "in_front_of" : "on_the_side_of");
        }
        return out;
    }

    static int pick(double[] weights, Random rng) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = rng.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0 && weights[i] > 0) {
                return i;
            }
        }
        for (int i = weights.length - 1; i >= 0; i--) { // rounding left u >= 0: the last positive weight
            if (weights[i] > 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("all weights are zero");
    }

    private static double[] toArray(List<Double> xs) {
        double[] out = new double[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i);
        }
        return out;
    }

    private static double uniform(Random rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    private static double clamp(double x, double lo, double hi) {
        return StrictMath.max(lo, StrictMath.min(hi, x));
    }

    static double round2(double x) {
        return StrictMath.round(x * 100) / 100.0;
    }
}
