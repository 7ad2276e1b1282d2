package org.m3sgg.sgdet;

import org.m3sgg.api.KitException;

/**
 * Step 1, STTran's detector test tail ({@code object_detector.py}): boxes clamped at 0 from below only (the frame
 * column too, no upper clamp), the class distribution {@code softmax(cls_score(features)[:, 1:])} (36 classes,
 * the background logit dropped before the softmax) and score, label = its max and argmax + 1.
 */
public final class DetectorTail {

    private DetectorTail() {}

    /** The tail on one video's detections; {@code head} gives the logits when the detections carry none. */
    public static BoxSet apply(Detections d, BoxHead head) {
        int n = d.size();
        float[][] boxes = clampBoxes(d.boxes());
        float[][] dist = new float[n][];
        if (d.distribution() == null && n > 0 && head == null) {
            throw new KitException("sgdet: detections without a distribution need the box head");
        }
        for (int i = 0; i < n; i++) {
            dist[i] = d.distribution() != null ? d.distribution()[i].clone()
                    : distribution(head.classLogits(d.features()[i]));
        }
        int[] labels = new int[n];
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            int a = argmax(dist[i], 0);
            labels[i] = a + 1;
            scores[i] = dist[i][a];
        }
        float[][] feats = new float[n][];
        for (int i = 0; i < n; i++) {
            feats[i] = d.features()[i].clone();
        }
        return new BoxSet(boxes, feats, dist, labels, scores);
    }

    /** {@code torch.clamp(boxes, 0)}: every column, from below only. */
    static float[][] clampBoxes(float[][] boxes) {
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            out[i] = new float[5];
            for (int k = 0; k < 5; k++) {
                out[i][k] = Math.max(boxes[i][k], 0f);
            }
        }
        return out;
    }

    /**
     * The 36-class distribution of 37 logits: softmax over logits 1..36 in float32 (maximum subtracted, exponent,
     * sum, then times the reciprocal of the sum, as PyTorch's CPU kernel).
     */
    public static float[] distribution(float[] logits37) {
        if (logits37.length != Detections.CLASSES + 1) {
            throw new KitException("sgdet: expected " + (Detections.CLASSES + 1) + " class logits, got "
                    + logits37.length);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 1; k < logits37.length; k++) {
            max = Math.max(max, logits37[k]);
        }
        float[] p = new float[Detections.CLASSES];
        float sum = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] = (float) Math.exp(logits37[k + 1] - max);
            sum += p[k];
        }
        float inv = 1f / sum;
        for (int k = 0; k < p.length; k++) {
            p[k] *= inv;
        }
        return p;
    }

    /** Index of the largest value from {@code from} on, the first on ties (as {@code torch.argmax}). */
    static int argmax(float[] v, int from) {
        int a = from;
        for (int k = from + 1; k < v.length; k++) {
            if (v[k] > v[a]) {
                a = k;
            }
        }
        return a;
    }
}
