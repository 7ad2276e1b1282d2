package org.m3sgg.sgdet;

import org.m3sgg.api.KitException;

/**
 * One video's raw detections, what STTran's detector loop leaves behind ({@code FINAL_BBOXES},
 * {@code FINAL_FEATURES}, {@code FINAL_SCORES}), rows grouped by frame (frame 0's rows first, then frame 1's ...).
 *
 * @param boxes        [N][5] = (frame index 0..T-1, x1, y1, x2, y2) in original-frame pixels
 * @param features     [N][F] box features (the head's output for each box)
 * @param distribution [N][36] detector class distribution without background, or null: then the tail computes
 *                     it from the box head's class logits ({@code softmax(cls_score(features)[1:])}, as STTran)
 * @param scores       [N] the detector's score of each box, or null. Only training keeps them (its boxes carry
 *                     the detector's scores); when null, training uses the tail's maximum class probability
 */
public record Detections(float[][] boxes, float[][] features, float[][] distribution, float[] scores) {

    /** Object classes without background (Action Genome: 36, person = class 1 = column 0). */
    public static final int CLASSES = 36;

    public Detections {
        if (boxes == null || features == null) {
            throw new KitException("detections: boxes and features are required");
        }
        int n = boxes.length;
        if (features.length != n) {
            throw new KitException("detections: " + features.length + " feature rows for " + n + " boxes");
        }
        if (distribution != null && distribution.length != n) {
            throw new KitException("detections: " + distribution.length + " distribution rows for " + n + " boxes");
        }
        if (scores != null && scores.length != n) {
            throw new KitException("detections: " + scores.length + " scores for " + n + " boxes");
        }
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (boxes[i] == null || boxes[i].length != 5) {
                throw new KitException("detections: box " + i + " must have 5 values (frame, x1, y1, x2, y2)");
            }
            float f = boxes[i][0];
            if (f != Math.rint(f) || f < 0) {
                throw new KitException("detections: box " + i + " has frame index " + f
                        + ", expected an integer >= 0");
            }
            if (f < last) {
                throw new KitException("detections: box " + i + " of frame " + (int) f + " follows a box of frame "
                        + last + "; rows must be grouped by frame in ascending order");
            }
            last = (int) f;
            if (features[i] == null || features[i].length != features[0].length) {
                throw new KitException("detections: feature row " + i + " has a different width than row 0");
            }
            if (distribution != null && (distribution[i] == null || distribution[i].length != CLASSES)) {
                throw new KitException("detections: distribution row " + i + " must have " + CLASSES + " values");
            }
        }
    }

    /** N. */
    public int size() {
        return boxes.length;
    }

    /** Frame of row {@code i}. */
    public int frame(int i) {
        return (int) boxes[i][0];
    }
}
