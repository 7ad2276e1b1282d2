package org.m3sgg.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;

/**
 * Random but Action-Genome-shaped predictions files for benchmarks and cross-checks: 480x270 frames, 1-9 objects
 * per frame (about 2.6 on average, one per class), one attention, 1-3 spatial and 1-3 contacting labels per object;
 * half the videos PredCLS-like (GT boxes, scores 1), half SGDET-like (jittered, missing, mislabelled and extra
 * boxes, scores below 1). Probabilities lean towards the true labels so that every metric is far from 0 and 1.
 * Object labels are never "person", and every probability is positive, so no zero-score tie can change a result
 * (which keeps the Java and numpy evaluators comparable to the last digit).
 */
final class SyntheticPredictions {

    private static final double W = 480;
    private static final double H = 270;
    private static final double[] OBJECT_COUNT_CDF = {0.22, 0.52, 0.74, 0.86, 0.93, 0.97, 0.985, 0.995, 1.0};

    private SyntheticPredictions() {}

    static List<PredictionsFile.Entry> generate(int frames, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<PredictionsFile.Entry> out = new ArrayList<>(frames);
        int video = 0;
        while (out.size() < frames) {
            int length = Math.min(frames - out.size(), 3 + rnd.nextInt(10));
            boolean sgdet = rnd.nextBoolean();
            String videoId = String.format("S%05d.mp4", video++);
            for (int t = 0; t < length; t++) {
                out.add(frame(rnd, videoId, String.format("%06d.png", 1 + 12 * t), sgdet));
            }
        }
        return out;
    }

    private static PredictionsFile.Entry frame(SplittableRandom rnd, String video, String frame, boolean sgdet) {
        int nObj = 1;
        double u = rnd.nextDouble();
        while (u > OBJECT_COUNT_CDF[nObj - 1]) {
            nObj++;
        }
        Box person = randomBox(rnd);
        List<AgObject> objects = new ArrayList<>();
        boolean[] usedLabel = new boolean[Vocabulary.NUM_OBJECT_CLASSES];
        for (int i = 0; i < nObj; i++) {
            int label;
            do {
                label = 2 + rnd.nextInt(Vocabulary.NUM_OBJECT_CLASSES - 2);
            } while (usedLabel[label]);
            usedLabel[label] = true;
            objects.add(new AgObject(label, randomBox(rnd), new int[] {rnd.nextInt(3)},
                    distinct(rnd, 1 + (rnd.nextDouble() < 0.35 ? 1 : 0) + (rnd.nextDouble() < 0.05 ? 1 : 0), 6),
                    distinct(rnd, 1 + (rnd.nextDouble() < 0.3 ? 1 : 0) + (rnd.nextDouble() < 0.05 ? 1 : 0), 17)));
        }
        GroundTruthFrame gt = new GroundTruthFrame(video, frame, person, objects);

        List<double[]> boxes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        List<AgObject> truthOfBox = new ArrayList<>(); // null for an extra (false positive) box
        boxes.add(sgdet ? jitter(rnd, person) : person.toArray());
        labels.add(Vocabulary.PERSON);
        scores.add(sgdet ? 0.5 + 0.5 * rnd.nextDouble() : 1.0);
        truthOfBox.add(null);
        for (AgObject o : objects) {
            if (sgdet && rnd.nextDouble() < 0.15) {
                continue; // missed detection
            }
            boxes.add(sgdet ? jitter(rnd, o.box()) : o.box().toArray());
            int label = o.label();
            if (sgdet && rnd.nextDouble() < 0.15) {
                label = 2 + rnd.nextInt(Vocabulary.NUM_OBJECT_CLASSES - 2);
            }
            labels.add(label);
            scores.add(sgdet ? 0.05 + 0.95 * rnd.nextDouble() : 1.0);
            truthOfBox.add(o);
        }
        int extras = sgdet ? rnd.nextInt(3) : 0;
        for (int i = 0; i < extras; i++) {
            boxes.add(randomBox(rnd).toArray());
            labels.add(2 + rnd.nextInt(Vocabulary.NUM_OBJECT_CLASSES - 2));
            scores.add(0.05 + 0.95 * rnd.nextDouble());
            truthOfBox.add(null);
        }
        int n = boxes.size();
        int[][] pairs = new int[n - 1][];
        double[][] att = new double[n - 1][];
        double[][] spa = new double[n - 1][];
        double[][] con = new double[n - 1][];
        for (int i = 1; i < n; i++) {
            AgObject truth = truthOfBox.get(i);
            pairs[i - 1] = new int[] {0, i};
            att[i - 1] = softmax(rnd, 3, truth == null ? new int[0] : truth.attention());
            spa[i - 1] = sigmoids(rnd, 6, truth == null ? new int[0] : truth.spatial());
            con[i - 1] = sigmoids(rnd, 17, truth == null ? new int[0] : truth.contacting());
        }
        FramePrediction pred = new FramePrediction(boxes.toArray(new double[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(),
                scores.stream().mapToDouble(Double::doubleValue).toArray(), pairs, att, spa, con);
        return new PredictionsFile.Entry(gt, pred);
    }

    private static Box randomBox(SplittableRandom rnd) {
        double w = 20 + rnd.nextDouble() * 200;
        double h = 20 + rnd.nextDouble() * 150;
        double x = rnd.nextDouble() * (W - w);
        double y = rnd.nextDouble() * (H - h);
        return new Box(x, y, x + w, y + h);
    }

    /** Shifts each side by up to 15% of the box size (sometimes enough to miss IoU 0.5). */
    private static double[] jitter(SplittableRandom rnd, Box b) {
        double w = b.width();
        double h = b.height();
        return new double[] {b.x1() + w * 0.15 * (2 * rnd.nextDouble() - 1), b.y1() + h * 0.15 * (2 * rnd.nextDouble() - 1),
                b.x2() + w * 0.15 * (2 * rnd.nextDouble() - 1), b.y2() + h * 0.15 * (2 * rnd.nextDouble() - 1)};
    }

    private static int[] distinct(SplittableRandom rnd, int count, int size) {
        int[] out = new int[count];
        boolean[] used = new boolean[size];
        for (int i = 0; i < count; i++) {
            int v;
            do {
                v = rnd.nextInt(size);
            } while (used[v]);
            used[v] = true;
            out[i] = v;
        }
        return out;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        return Math.sqrt(-2 * Math.log(1 - rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    private static double[] softmax(SplittableRandom rnd, int n, int[] boosted) {
        double[] logits = new double[n];
        for (int i = 0; i < n; i++) {
            logits[i] = gaussian(rnd);
        }
        for (int b : boosted) {
            logits[b] += 1.5;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            logits[i] = Math.exp(logits[i]);
            sum += logits[i];
        }
        for (int i = 0; i < n; i++) {
            logits[i] /= sum;
        }
        return logits;
    }

    private static double[] sigmoids(SplittableRandom rnd, int n, int[] boosted) {
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = -1.5 + 1.5 * gaussian(rnd);
        }
        for (int b : boosted) {
            z[b] += 3;
        }
        for (int i = 0; i < n; i++) {
            z[i] = 1 / (1 + Math.exp(-z[i]));
        }
        return z;
    }
}
