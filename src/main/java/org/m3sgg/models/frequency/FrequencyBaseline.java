package org.m3sgg.models.frequency;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.models.relation.SgclsRelabeler;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The class prior: for every object class, how often each predicate holds between the person and an object of
 * that class in the training split. No training, no features: every results table shows it so that a model's gain
 * over the prior is visible.
 *
 * <p>Attention is a distribution per class (one label per object); spatial and contacting are per-predicate
 * frequencies (the fraction of that class's training objects carrying the label), in the role of the sigmoid
 * outputs. A class never seen in training falls back to the frequencies over all classes.
 */
public final class FrequencyBaseline {

    private final double[][] attention = new double[Vocabulary.NUM_OBJECT_CLASSES][];
    private final double[][] spatial = new double[Vocabulary.NUM_OBJECT_CLASSES][];
    private final double[][] contacting = new double[Vocabulary.NUM_OBJECT_CLASSES][];
    private final long[] objectsPerClass = new long[Vocabulary.NUM_OBJECT_CLASSES];

    private FrequencyBaseline() {}

    /** Counts the training videos' relations per object class. */
    public static FrequencyBaseline fit(List<AgVideo> train) {
        int c = Vocabulary.NUM_OBJECT_CLASSES;
        long[][] att = new long[c + 1][Vocabulary.NUM_ATTENTION]; // row c: all classes together
        long[][] spa = new long[c + 1][Vocabulary.NUM_SPATIAL];
        long[][] con = new long[c + 1][Vocabulary.NUM_CONTACTING];
        long[] n = new long[c + 1];
        for (AgVideo v : train) {
            for (AgFrame f : v.frames()) {
                for (AgObject o : f.objects()) {
                    for (int row : new int[] {o.label(), c}) {
                        n[row]++;
                        for (int a : o.attention()) {
                            att[row][a]++;
                        }
                        for (int s : o.spatial()) {
                            spa[row][s]++;
                        }
                        for (int k : o.contacting()) {
                            con[row][k]++;
                        }
                    }
                }
            }
        }
        FrequencyBaseline b = new FrequencyBaseline();
        for (int k = 0; k < c; k++) {
            int row = n[k] > 0 ? k : c;
            b.objectsPerClass[k] = n[k];
            long attTotal = 0;
            for (long x : att[row]) {
                attTotal += x;
            }
            b.attention[k] = divide(att[row], Math.max(attTotal, 1));
            b.spatial[k] = divide(spa[row], Math.max(n[row], 1));
            b.contacting[k] = divide(con[row], Math.max(n[row], 1));
        }
        return b;
    }

    /**
     * The PredCLS prediction for a ground-truth frame: its boxes and labels (score 1), the person paired with every
     * object, each pair scored by its object class's frequencies.
     */
    public FramePrediction predictPredCls(AgFrame frame) {
        int n = frame.objects().size() + 1;
        double[][] boxes = new double[n][];
        int[] labels = new int[n];
        double[] scores = new double[n];
        boxes[0] = frame.personBox().toArray();
        labels[0] = Vocabulary.PERSON;
        scores[0] = 1;
        List<int[]> pairs = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            AgObject o = frame.objects().get(i - 1);
            boxes[i] = o.box().toArray();
            labels[i] = o.label();
            scores[i] = 1;
            pairs.add(new int[] {0, i});
        }
        return predict(boxes, labels, scores, pairs.toArray(int[][]::new));
    }

    /**
     * The SGCLS prediction for a ground-truth frame: the labels come from the detector's class distribution
     * ({@code [N, 36]}, rows in the order person, then the frame's objects) through STTran's test-time relabelling
     * ({@link SgclsRelabeler}: the most person-like box becomes the person, duplicates of the most frequent label
     * are re-labelled, the person is paired with every other box), each pair scored by its object's predicted
     * class.
     */
    public FramePrediction predictSgcls(AgFrame frame, float[][] distribution) {
        int n = frame.objects().size() + 1;
        if (distribution.length != n) {
            throw new IllegalArgumentException(distribution.length + " distributions for " + n + " boxes");
        }
        double[][] boxes = new double[n][];
        boxes[0] = frame.personBox().toArray();
        for (int i = 1; i < n; i++) {
            boxes[i] = frame.objects().get(i - 1).box().toArray();
        }
        // logits whose softmax over columns 1.. is the distribution itself (column 0, background, is ignored)
        double[][] logits = new double[n][Vocabulary.NUM_OBJECT_CLASSES];
        for (int i = 0; i < n; i++) {
            logits[i][0] = 0;
            for (int k = 1; k < Vocabulary.NUM_OBJECT_CLASSES; k++) {
                logits[i][k] = Math.log(Math.max(distribution[i][k - 1], 1e-30));
            }
        }
        SgclsRelabeler.Result r = SgclsRelabeler.relabel(Nd4j.createFromArray(logits), new int[n]);
        return predict(boxes, r.labels(), r.scores(), r.pairs());
    }

    /** Scores given pairs (subject, object) of given boxes by the object's class frequencies. */
    public FramePrediction predict(double[][] boxes, int[] labels, double[] scores, int[][] pairs) {
        int p = pairs.length;
        double[][] a = new double[p][];
        double[][] s = new double[p][];
        double[][] c = new double[p][];
        for (int i = 0; i < p; i++) {
            int cls = labels[pairs[i][1]];
            a[i] = attention[cls].clone();
            s[i] = spatial[cls].clone();
            c[i] = contacting[cls].clone();
        }
        return new FramePrediction(boxes, labels, scores, pairs, a, s, c);
    }

    /** P(attention predicate | object class), local ids. */
    public double[] attention(int objectClass) {
        return attention[objectClass].clone();
    }

    /** Fraction of training objects of the class with each spatial predicate. */
    public double[] spatial(int objectClass) {
        return spatial[objectClass].clone();
    }

    /** Fraction of training objects of the class with each contacting predicate. */
    public double[] contacting(int objectClass) {
        return contacting[objectClass].clone();
    }

    /** How many training objects of the class were counted (0: it uses the all-class frequencies). */
    public long objectCount(int objectClass) {
        return objectsPerClass[objectClass];
    }

    private static double[] divide(long[] counts, long total) {
        double[] out = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            out[i] = (double) counts[i] / total;
        }
        return out;
    }
}
