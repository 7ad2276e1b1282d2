package org.m3sgg.synth;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.features.FeatureMeta;
import org.m3sgg.features.SpatialMasks;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.synth.WorldGenerator.FrameTruth;
import org.m3sgg.synth.WorldGenerator.ObjectTruth;
import org.m3sgg.synth.WorldGenerator.VideoTruth;

/**
 * The synthetic world's "detector": box features, class probabilities and union features drawn from the latent
 * truth, in the kit's feature format.
 *
 * <ul>
 *   <li>box feature {@code [F]} = s * (class vector + mode vector + attention vector) + noise; the person's
 *       carries half the mean mode vector of the visible objects (a pose that shows what the person does);
 *   <li>distribution {@code [36]} = softmax(sharpness * unit class vectors . feature): right when the class
 *       signal survives the noise, wrong in corrupted frames;
 *   <li>union feature {@code [C, 7, 7]}: channels 0-1 the two boxes' coverage of the union box (geometry), channels
 *       2.. s * (mode code + attention code / 2) over an interaction map + noise;
 * </ul>
 * where s is 1, the corrupted-frame scale or the occluded-box scale; the mode and attention parts are left out
 * of an object's frame when its evidence is hidden ({@link WorldConfig#evidenceRate()}). Values are rounded to the
 * config's quantum so the archives compress. Each video draws from its own seeded {@link Random}.
 */
public final class FeatureSynth {

    /** Union feature spatial size (RoIAlign 7x7). */
    public static final int UNION_SIZE = 7;

    private final WorldConfig cfg;
    private final long seed;
    private final FeatureMeta meta;
    private final float[][] classVec; // [37][F], norm classSignal
    private final float[][] classUnit; // [37][F], norm 1
    private final float[][] modeVec; // [modes][F], norm stateSignal
    private final float[][] attVec; // [3][F], norm attentionSignal
    private final float[][] unionMode; // [modes][C-2], norm unionSignal
    private final float[][] unionAtt; // [3][C-2], norm unionSignal / 2

    public FeatureSynth(WorldConfig cfg, long seed) {
        this.cfg = cfg;
        this.seed = seed;
        this.meta = meta(cfg);
        Random r = new Random(WorldGenerator.mix(seed, 7, 0));
        int f = cfg.featureDim();
        int u = cfg.unionChannels() - 2;
        classUnit = vectors(r, Vocabulary.NUM_OBJECT_CLASSES, f, 1);
        classVec = scaled(classUnit, cfg.classSignal());
        modeVec = vectors(r, WorldTables.MODES.size(), f, cfg.stateSignal());
        attVec = vectors(r, 3, f, cfg.attentionSignal());
        unionMode = vectors(r, WorldTables.MODES.size(), u, cfg.unionSignal());
        unionAtt = vectors(r, 3, u, cfg.unionSignal() / 2);
    }

    public static FeatureMeta meta(WorldConfig cfg) {
        return new FeatureMeta(FeatureMeta.FORMAT, cfg.featureDim(), cfg.unionChannels(), UNION_SIZE, true,
                FeatureMeta.PERSON_OBJECT, "m3sgg synthetic world (" + cfg.preset() + "): features drawn from the "
                + "latent interaction state, not from images");
    }

    public FeatureMeta meta() {
        return meta;
    }

    /** Writes {@code dir/<VID>.mp4.npz} for one video ({@code index} = its position in the world). */
    public Path write(Path dir, VideoTruth video, int index) {
        return build(video, index).write(dir, video.id(), meta);
    }

    /** The feature builder of one video (boxes per frame: the person, then visible objects in file order). */
    public VideoFeatures.Builder build(VideoTruth video, int index) {
        return build(video, index, new ArrayList<>());
    }

    /**
     * Which objects of each frame show their interaction evidence ({@link WorldConfig#evidenceRate()}), in the
     * order of {@link FrameTruth#objects()}: the draws behind {@link #build} (diagnostics split scores by them).
     */
    public List<boolean[]> evidence(VideoTruth video, int index) {
        List<boolean[]> out = new ArrayList<>();
        build(video, index, out);
        return out;
    }

    private VideoFeatures.Builder build(VideoTruth video, int index, List<boolean[]> evidenceOut) {
        Random rng = new Random(WorldGenerator.mix(seed, 8, index));
        VideoFeatures.Builder b = new VideoFeatures.Builder(meta);
        int f = cfg.featureDim();
        for (int t = 0; t < video.frames().size(); t++) {
            FrameTruth fr = video.frames().get(t);
            boolean[] evident = evidence(fr, t, rng);
            evidenceOut.add(evident);
            // draw a person's feature and occlusion even when undetected, so the stream does not depend on it
            float[] personMode = new float[f];
            int visible = 0;
            for (int j = 0; j < fr.objects().size(); j++) {
                ObjectTruth o = fr.objects().get(j);
                if (o.visible()) {
                    if (evident[j]) {
                        add(personMode, modeVec[o.mode()], 1);
                    }
                    visible++;
                }
            }
            float[] person = new float[f];
            double sp = fr.signal() * (rng.nextDouble() < cfg.occludedBoxRate() ? cfg.occludedSignal() : 1.0);
            add(person, classVec[Vocabulary.PERSON], sp);
            if (visible > 0) {
                add(person, personMode, 0.5 * sp / visible);
            }
            noise(person, rng);
            if (fr.personDetected()) {
                b.addBox(fr.frameNumber(), Vocabulary.PERSON, person, distribution(person));
            }
            for (int j = 0; j < fr.objects().size(); j++) {
                ObjectTruth o = fr.objects().get(j);
                if (!o.visible()) {
                    continue;
                }
                double s = fr.signal() * o.signal();
                double e = evident[j] ? s : 0;
                float[] x = new float[f];
                add(x, classVec[o.label()], s);
                add(x, modeVec[o.mode()], e);
                add(x, attVec[o.attention()], e);
                noise(x, rng);
                b.addBox(fr.frameNumber(), o.label(), x, distribution(x));
                float[] union = union(fr.person(), o, e, rng);
                if (fr.personDetected()) {
                    b.addUnion(fr.frameNumber(), Vocabulary.PERSON, o.label(), union);
                }
            }
        }
        return b;
    }

    /**
     * Whether each object of frame {@code t} shows its interaction evidence ({@link WorldConfig#evidenceRate()}, or
     * every other frame with {@link WorldConfig#evidenceAlternate()}); draws nothing at rate 1, so worlds without
     * the knob keep their streams.
     */
    private boolean[] evidence(FrameTruth fr, int t, Random rng) {
        boolean[] out = new boolean[fr.objects().size()];
        for (int j = 0; j < out.length; j++) {
            out[j] = cfg.evidenceRate() >= 1 || rng.nextDouble() < cfg.evidenceRate();
            if (cfg.evidenceAlternate()) {
                out[j] = (t + fr.objects().get(j).label()) % 2 == 0;
            }
        }
        return out;
    }

    /** {@code [C, 7, 7]}: geometry channels, then the interaction code (scaled by {@code s}) over the interaction map. */
    private float[] union(Box person, ObjectTruth o, double s, Random rng) {
        int cells = UNION_SIZE * UNION_SIZE;
        float[] out = new float[cfg.unionChannels() * cells];
        SpatialMasks.draw(person, o.box(), UNION_SIZE, out, 0);
        for (int c = 2; c < cfg.unionChannels(); c++) {
            double code = unionMode[o.mode()][c - 2] + unionAtt[o.attention()][c - 2];
            for (int i = 0; i < cells; i++) {
                double map = StrictMath.sqrt(out[i] * out[cells + i]) + 0.25;
                out[c * cells + i] = (float) (s * code * map);
            }
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = quantize(out[i] + cfg.noise() * rng.nextGaussian());
        }
        return out;
    }

    /** Softmax over labels 1..36 of sharpness * (unit class vector . feature). */
    private float[] distribution(float[] x) {
        int n = Vocabulary.NUM_OBJECT_CLASSES - 1;
        double[] logits = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            double dot = 0;
            float[] e = classUnit[c + 1];
            for (int i = 0; i < x.length; i++) {
                dot += e[i] * x[i];
            }
            logits[c] = cfg.detectorSharpness() * dot;
            max = StrictMath.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < n; c++) {
            logits[c] = StrictMath.exp(logits[c] - max);
            sum += logits[c];
        }
        float[] p = new float[n];
        for (int c = 0; c < n; c++) {
            p[c] = (float) (logits[c] / sum);
        }
        return p;
    }

    private void noise(float[] x, Random rng) {
        for (int i = 0; i < x.length; i++) {
            x[i] = quantize(x[i] + cfg.noise() * rng.nextGaussian());
        }
    }

    private float quantize(double v) {
        double q = cfg.quantum();
        return (float) (q > 0 ? StrictMath.rint(v / q) * q : v);
    }

    private static void add(float[] dst, float[] v, double scale) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] += (float) (scale * v[i]);
        }
    }

    private static float[][] vectors(Random r, int n, int dim, double norm) {
        float[][] out = new float[n][dim];
        for (float[] row : out) {
            double sq = 0;
            double[] g = new double[dim];
            for (int i = 0; i < dim; i++) {
                g[i] = r.nextGaussian();
                sq += g[i] * g[i];
            }
            double k = norm / StrictMath.sqrt(sq);
            for (int i = 0; i < dim; i++) {
                row[i] = (float) (g[i] * k);
            }
        }
        return out;
    }

    private static float[][] scaled(float[][] unit, double s) {
        float[][] out = new float[unit.length][];
        for (int i = 0; i < unit.length; i++) {
            out[i] = new float[unit[i].length];
            for (int j = 0; j < unit[i].length; j++) {
                out[i][j] = (float) (unit[i][j] * s);
            }
        }
        return out;
    }
}
