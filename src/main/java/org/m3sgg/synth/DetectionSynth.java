package org.m3sgg.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.features.DetectionsMeta;
import org.m3sgg.features.Half;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.PooledHead;
import org.m3sgg.synth.WorldConfig.Sgdet;
import org.m3sgg.synth.WorldGenerator.FrameTruth;
import org.m3sgg.synth.WorldGenerator.ObjectTruth;
import org.m3sgg.synth.WorldGenerator.VideoTruth;
import org.m3sgg.synth.WorldTables.Depth;

/**
 * The synthetic world's SGDET side: frame feature maps painted from the latent truth, a box head that reads them
 * and a detector with realistic errors, producing {@link VideoDetections} (parameters: {@link Sgdet}; process:
 * {@code datasets/README.md}, "SGDET: maps and detector").
 *
 * <p><b>Maps</b> ({@code [T, C, H, W]}, C = the world's union channels, stride 16 over the frame resized so its
 * short side is {@link Sgdet#shortSide()}): background texture N(0, mapNoise²) over painted layers. Each visible
 * object paints s * (its class's appearance code + e * (its mode code + its attention code)) over its box, the person
 * s * (person code + half the mean mode code of the objects showing their evidence), clutter patches a weaker code
 * of a class absent from the video. Layers are painted back to front (objects behind the person first, then the
 * person, then the others; clutter at the back) with the cell's coverage as opacity, so RoIAlign of a box recovers
 * its object and RoIAlign of a person-object union box holds both and the interaction code between them. s and e
 * are the world's corrupted-frame / occlusion scales and interaction evidence ({@link FeatureSynth#evidence}).
 * Maps are rounded to float16, the type they are stored in.
 *
 * <p><b>Head</b> ({@link PooledHead}, F = featureDim): the 1x1 convolution's first 2C rows are the channel axes
 * with both signs (so ReLU(x) - ReLU(-x) keeps the pooled map linearly), the rest seeded random unit directions;
 * the class score of class k is headSharpness * (unit appearance code of k) . pooled map, background 0.
 *
 * <p><b>Detector</b>, per frame: the person (missed, or doubled with a loose box, at the configured rates), every
 * visible object (missed more often when small), a looser duplicate now and then, false positives on clutter
 * patches; every box's edges jittered. Features = head(RoIAlign(map, box * scale)); distribution = softmax of the
 * head's logits over labels 1..36, the true class's and its confusable partner's probabilities swapped with
 * {@link Sgdet#confusionRate()}; score = the top probability, label = its class.
 *
 * <p>Deterministic: codes and head from one seeded stream, each video's maps and detections from their own.
 */
public final class DetectionSynth {

    /** Confusable class pairs (book / paper-notebook, food / sandwich, chair / sofa-couch, door / doorway). */
    public static final int[][] CONFUSABLE = {{5, 23}, {17, 28}, {8, 31}, {13, 15}};

    private static final int STREAM_CODES = 20;
    private static final int STREAM_MAPS = 21;
    private static final int STREAM_DETECT = 22;
    private static final int STRIDE = DetectionsMeta.STRIDE;
    private static final int CLASSES = VideoDetections.CLASSES;

    private final WorldConfig cfg;
    private final Sgdet p;
    private final long seed;
    private final int channels;
    private final float[][] appearance; // [37][C], norm appearanceSignal
    private final float[][] modeCode; // [modes][C], norm stateSignal
    private final float[][] attCode; // [3][C], norm stateSignal / 2
    private final float[] top; // [F * C]
    private final float[] clsWeight; // [37 * F]
    private final float[] clsBias; // [37]
    private final PooledHead head;
    private final DetectionsMeta meta;
    private final FeatureSynth evidence;

    public DetectionSynth(WorldConfig cfg, long seed) {
        this.cfg = cfg;
        this.p = cfg.sgdet();
        this.seed = seed;
        this.channels = cfg.unionChannels();
        int f = cfg.featureDim();
        if (f < 2 * channels) {
            throw new org.m3sgg.api.KitException("the world's box head needs featureDim >= 2 * unionChannels, got "
                    + f + " and " + channels);
        }
        Random r = new Random(WorldGenerator.mix(seed, STREAM_CODES, 0));
        float[][] unit = unitVectors(r, Vocabulary.NUM_OBJECT_CLASSES, channels);
        for (int[] pair : CONFUSABLE) { // the second class looks like the first
            float[] a = unit[pair[0]];
            float[] b = unit[pair[1]];
            for (int i = 0; i < channels; i++) {
                b[i] = (float) (p.similarity() * a[i] + (1 - p.similarity()) * b[i]);
            }
            normalise(b, 1);
        }
        appearance = new float[unit.length][];
        for (int k = 0; k < unit.length; k++) {
            appearance[k] = unit[k].clone();
            normalise(appearance[k], p.appearanceSignal());
        }
        modeCode = unitVectors(r, WorldTables.MODES.size(), channels);
        for (float[] m : modeCode) {
            normalise(m, p.stateSignal());
        }
        attCode = unitVectors(r, 3, channels);
        for (float[] a : attCode) {
            normalise(a, p.stateSignal() / 2);
        }
        top = new float[f * channels];
        for (int i = 0; i < channels; i++) {
            top[(2 * i) * channels + i] = 1;
            top[(2 * i + 1) * channels + i] = -1;
        }
        float[][] rest = unitVectors(r, f - 2 * channels, channels);
        for (int o = 2 * channels; o < f; o++) {
            System.arraycopy(rest[o - 2 * channels], 0, top, o * channels, channels);
        }
        clsWeight = new float[37 * f];
        clsBias = new float[37];
        for (int k = 1; k < 37; k++) {
            for (int i = 0; i < channels; i++) {
                float w = (float) (p.headSharpness() * unit[k][i]);
                clsWeight[k * f + 2 * i] = w;
                clsWeight[k * f + 2 * i + 1] = -w;
            }
        }
        head = new PooledHead(channels, f, top, p.headStride(), clsWeight, clsBias);
        meta = new DetectionsMeta(DetectionsMeta.FORMAT, f, channels, STRIDE, DetectionsMeta.FLOAT16, true,
                "m3sgg synthetic world (" + cfg.preset() + "): maps painted from the latent state, a seeded pooled "
                + "head, a detector with jitter, misses, duplicates, false positives and class confusions",
                DetectionsMeta.CLIPPED);
        evidence = new FeatureSynth(cfg, seed);
    }

    public DetectionsMeta meta() {
        return meta;
    }

    /** The world's box head (what SGDET uses to pool features of missed ground-truth boxes). */
    public PooledHead head() {
        return head;
    }

    /** 1x1 convolution weights {@code [F * C]}, for {@code head.npz}. */
    public float[] headTop() {
        return top.clone();
    }

    public float[] headClassWeight() {
        return clsWeight.clone();
    }

    public float[] headClassBias() {
        return clsBias.clone();
    }

    /** Blob pixels per original pixel for a frame: the short side becomes {@link Sgdet#shortSide()}. */
    public static float scale(int width, int height, int shortSide) {
        return (float) shortSide / Math.min(width, height);
    }

    /** Map cells for a side of {@code pixels} original pixels at {@code scale}: ceil(round(pixels * scale) / 16). */
    public static int cells(int pixels, float scale) {
        return (Math.round(pixels * scale) + STRIDE - 1) / STRIDE;
    }

    /** A box the detector reported, before pooling. */
    private record Det(float x1, float y1, float x2, float y2, int cls) {}

    /** A clutter patch: a weak appearance of a class absent from the video. */
    private record Patch(Box box, int cls) {}

    /** The detections of one video ({@code index} = its position in the world). */
    public VideoDetections detect(VideoTruth video, int index) {
        int width = video.width();
        int height = video.height();
        float scale = scale(width, height, p.shortSide());
        int mh = cells(height, scale);
        int mw = cells(width, scale);
        int t = video.frames().size();
        int plane = channels * mh * mw;
        float[] maps = new float[t * plane];
        float[] scales = new float[t];
        long[] frames = new long[t];
        List<boolean[]> shown = evidence.evidence(video, index);
        Random mapRng = new Random(WorldGenerator.mix(seed, STREAM_MAPS, index));
        Random detRng = new Random(WorldGenerator.mix(seed, STREAM_DETECT, index));
        boolean[] inVideo = new boolean[Vocabulary.NUM_OBJECT_CLASSES];
        inVideo[Vocabulary.PERSON] = true;
        for (FrameTruth fr : video.frames()) {
            for (ObjectTruth o : fr.objects()) {
                inVideo[o.label()] = true;
            }
        }
        List<List<Det>> perFrame = new ArrayList<>();
        for (int k = 0; k < t; k++) {
            FrameTruth fr = video.frames().get(k);
            frames[k] = fr.frameNumber();
            scales[k] = scale;
            List<Patch> clutter = clutter(width, height, inVideo, mapRng);
            paint(fr, shown.get(k), clutter, scale, mh, mw, maps, k * plane, mapRng);
            perFrame.add(detections(fr, clutter, width, height, detRng));
        }
        for (int i = 0; i < maps.length; i++) {
            maps[i] = Half.toFloat(Half.fromFloat(maps[i])); // stored as float16: pool what is stored
        }
        FrameMaps fm = new FrameMaps(t, channels, mh, mw, maps, scales, 1f / STRIDE);
        List<float[]> rois = new ArrayList<>();
        List<Integer> classes = new ArrayList<>();
        for (int k = 0; k < t; k++) {
            for (Det d : perFrame.get(k)) {
                rois.add(new float[] {k, d.x1() * scale, d.y1() * scale, d.x2() * scale, d.y2() * scale});
                classes.add(d.cls());
            }
        }
        int n = rois.size();
        int f = cfg.featureDim();
        float[][] feats = head.features(fm, rois.toArray(new float[0][]));
        float[] boxes = new float[n * 5];
        float[] features = new float[n * f];
        float[] dist = new float[n * CLASSES];
        float[] scores = new float[n];
        long[] labels = new long[n];
        int r = 0;
        for (int k = 0; k < t; k++) {
            for (Det d : perFrame.get(k)) {
                boxes[5 * r] = k;
                boxes[5 * r + 1] = d.x1();
                boxes[5 * r + 2] = d.y1();
                boxes[5 * r + 3] = d.x2();
                boxes[5 * r + 4] = d.y2();
                System.arraycopy(feats[r], 0, features, r * f, f);
                float[] pr = softmax(head.classLogits(feats[r]));
                int partner = partner(d.cls());
                if (partner > 0 && detRng.nextDouble() < p.confusionRate()) {
                    float tmp = pr[d.cls() - 1];
                    pr[d.cls() - 1] = pr[partner - 1];
                    pr[partner - 1] = tmp;
                }
                System.arraycopy(pr, 0, dist, r * CLASSES, CLASSES);
                int best = 0;
                for (int c = 1; c < CLASSES; c++) {
                    if (pr[c] > pr[best]) {
                        best = c;
                    }
                }
                scores[r] = pr[best];
                labels[r] = best + 1;
                r++;
            }
        }
        return new VideoDetections(video.id(), "synthetic world video " + video.id(), meta, frames, scales, height,
                width, boxes, features, dist, scores, labels, maps, mh, mw);
    }

    /** The confusable partner of a class, or 0. */
    static int partner(int cls) {
        for (int[] pair : CONFUSABLE) {
            if (pair[0] == cls) {
                return pair[1];
            }
            if (pair[1] == cls) {
                return pair[0];
            }
        }
        return 0;
    }

    private List<Patch> clutter(int width, int height, boolean[] inVideo, Random rng) {
        List<Patch> out = new ArrayList<>();
        // Poisson(clutterPerFrame) patches (Knuth's method)
        double limit = StrictMath.exp(-p.clutterPerFrame());
        double prod = rng.nextDouble();
        while (prod > limit) {
            int cls;
            do {
                cls = 2 + rng.nextInt(CLASSES - 1);
            } while (inVideo[cls]);
            double span = p.clutterMaxSize() - p.clutterMinSize();
            double w = width * (p.clutterMinSize() + span * rng.nextDouble());
            double h = height * (p.clutterMinSize() + span * rng.nextDouble());
            double x = (width - w) * rng.nextDouble();
            double y = (height - h) * rng.nextDouble();
            out.add(new Patch(new Box(x, y, x + w, y + h), cls));
            prod *= rng.nextDouble();
        }
        return out;
    }

    /** Paints one frame's map into {@code map[offset .. offset + C*H*W)}. */
    private void paint(FrameTruth fr, boolean[] shown, List<Patch> clutter, float scale, int mh, int mw, float[] map,
            int offset, Random rng) {
        float[] code = new float[channels];
        for (Patch c : clutter) {
            fill(code, appearance[c.cls()], p.clutterSignal() * fr.signal());
            layer(map, offset, c.box(), code, scale, mh, mw);
        }
        List<ObjectTruth> objects = fr.objects();
        for (int j = 0; j < objects.size(); j++) { // behind the person
            if (objects.get(j).visible() && objects.get(j).depth() == Depth.BEHIND) {
                paintObject(fr, objects.get(j), shown[j], scale, mh, mw, map, offset);
            }
        }
        float[] pose = new float[channels];
        int evident = 0;
        for (int j = 0; j < objects.size(); j++) {
            if (objects.get(j).visible() && shown[j]) {
                add(pose, modeCode[objects.get(j).mode()], 1);
                evident++;
            }
        }
        fill(code, appearance[Vocabulary.PERSON], fr.signal());
        if (evident > 0) {
            add(code, pose, 0.5 * fr.signal() / evident);
        }
        layer(map, offset, fr.person(), code, scale, mh, mw);
        for (int j = 0; j < objects.size(); j++) {
            if (objects.get(j).visible() && objects.get(j).depth() != Depth.BEHIND) {
                paintObject(fr, objects.get(j), shown[j], scale, mh, mw, map, offset);
            }
        }
        int n = channels * mh * mw;
        for (int i = 0; i < n; i++) {
            map[offset + i] += (float) (p.mapNoise() * rng.nextGaussian());
        }
    }

    private void paintObject(FrameTruth fr, ObjectTruth o, boolean shown, float scale, int mh, int mw, float[] map,
            int offset) {
        double s = fr.signal() * o.signal();
        float[] code = new float[channels];
        fill(code, appearance[o.label()], s);
        if (shown) {
            add(code, modeCode[o.mode()], s);
            add(code, attCode[o.attention()], s);
        }
        layer(map, offset, o.box(), code, scale, mh, mw);
    }

    /** Paints {@code code} over a box with each cell's coverage as its opacity. */
    private void layer(float[] map, int offset, Box b, float[] code, float scale, int mh, int mw) {
        double k = scale / (double) STRIDE;
        double x1 = b.x1() * k;
        double y1 = b.y1() * k;
        double x2 = b.x2() * k;
        double y2 = b.y2() * k;
        int plane = mh * mw;
        for (int i = Math.max(0, (int) y1); i < Math.min(mh, (int) Math.ceil(y2)); i++) {
            double oy = Math.min(y2, i + 1) - Math.max(y1, i);
            for (int j = Math.max(0, (int) x1); j < Math.min(mw, (int) Math.ceil(x2)); j++) {
                double a = oy * (Math.min(x2, j + 1) - Math.max(x1, j));
                if (a <= 0) {
                    continue;
                }
                for (int c = 0; c < channels; c++) {
                    int at = offset + c * plane + i * mw + j;
                    map[at] = (float) ((1 - a) * map[at] + a * code[c]);
                }
            }
        }
    }

    /** One frame's detector output (boxes in original pixels, with the class whose appearance they cover). */
    private List<Det> detections(FrameTruth fr, List<Patch> clutter, int width, int height, Random rng) {
        List<Det> out = new ArrayList<>();
        boolean personMissed = rng.nextDouble() < p.personMissRate();
        boolean personDoubled = rng.nextDouble() < p.personDoubleRate();
        Det person = jittered(fr.person(), Vocabulary.PERSON, p.jitter(), width, height, rng);
        Det loose = jittered(fr.person(), Vocabulary.PERSON, p.personDoubleJitter() * p.jitter(), width, height,
                rng);
        if (!personMissed) {
            out.add(person);
            if (personDoubled) {
                out.add(loose);
            }
        }
        for (ObjectTruth o : fr.objects()) {
            if (!o.visible()) {
                continue;
            }
            boolean small = Math.min(o.box().width(), o.box().height()) < p.smallEdge();
            boolean missed = rng.nextDouble() < (small ? p.smallMissRate() : p.missRate());
            boolean duplicated = rng.nextDouble() < p.duplicateRate();
            Det d = jittered(o.box(), o.label(), p.jitter(), width, height, rng);
            Det dup = jittered(o.box(), o.label(), p.duplicateJitter() * p.jitter(), width, height, rng);
            if (!missed) {
                out.add(d);
                if (duplicated) {
                    out.add(dup);
                }
            }
        }
        for (Patch c : clutter) {
            boolean fires = rng.nextDouble() < p.falsePositiveRate();
            Det d = jittered(c.box(), c.cls(), p.jitter(), width, height, rng);
            if (fires) {
                out.add(d);
            }
        }
        return out;
    }

    /** A box with each edge moved by N(0, (sd * side)²), clipped to the frame, at least 1 px each way. */
    private static Det jittered(Box b, int cls, double sd, int width, int height, Random rng) {
        double w = b.width();
        double h = b.height();
        double x1 = b.x1() + sd * w * rng.nextGaussian();
        double y1 = b.y1() + sd * h * rng.nextGaussian();
        double x2 = b.x2() + sd * w * rng.nextGaussian();
        double y2 = b.y2() + sd * h * rng.nextGaussian();
        x1 = clamp(Math.min(x1, x2), 0, width - 1);
        y1 = clamp(Math.min(y1, y2), 0, height - 1);
        x2 = clamp(Math.max(x1 + 1, Math.max(x1, x2)), x1 + 1, width);
        y2 = clamp(Math.max(y1 + 1, Math.max(y1, y2)), y1 + 1, height);
        return new Det((float) x1, (float) y1, (float) x2, (float) y2, cls);
    }

    /** Softmax over labels 1..36 of 37 logits (background dropped), in double. */
    private static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 1; c < logits.length; c++) {
            max = Math.max(max, logits[c]);
        }
        double[] e = new double[CLASSES];
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
            e[c] = StrictMath.exp(logits[c + 1] - max);
            sum += e[c];
        }
        float[] out = new float[CLASSES];
        for (int c = 0; c < CLASSES; c++) {
            out[c] = (float) (e[c] / sum);
        }
        return out;
    }

    private static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    private static void fill(float[] dst, float[] v, double s) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = (float) (s * v[i]);
        }
    }

    private static void add(float[] dst, float[] v, double s) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] += (float) (s * v[i]);
        }
    }

    private static float[][] unitVectors(Random r, int n, int dim) {
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            for (int i = 0; i < dim; i++) {
                row[i] = (float) r.nextGaussian();
            }
            normalise(row, 1);
        }
        return out;
    }

    private static void normalise(float[] v, double norm) {
        double sq = 0;
        for (float x : v) {
            sq += (double) x * x;
        }
        double k = norm / StrictMath.sqrt(sq);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (v[i] * k);
        }
    }
}
