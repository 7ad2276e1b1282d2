package org.m3sgg.sgdet;

import org.m3sgg.api.KitException;

/**
 * One frame's ground truth as SGDET training needs it: STTran's {@code gt_annotation[frame]} reduced to boxes and
 * classes, in annotation order (index 0 is the person, objects are 1..).
 *
 * @param personBox [4] x1, y1, x2, y2 in original-frame pixels (float32 values in Action Genome's annotations)
 * @param classes   [K] object classes 2..36 (index 1..36 of the 37-class list; 1 is the person)
 * @param boxes     [K][4] object boxes x1, y1, x2, y2 in original-frame pixels (float64 in the annotations)
 */
public record FrameTruth(float[] personBox, int[] classes, double[][] boxes) {

    public FrameTruth {
        if (personBox == null || personBox.length != 4) {
            throw new KitException("ground truth: the person box must have 4 values (x1, y1, x2, y2)");
        }
        if (classes == null || boxes == null || classes.length != boxes.length) {
            throw new KitException("ground truth: object classes and boxes must have the same length");
        }
        for (int k = 0; k < classes.length; k++) {
            if (classes[k] < 1 || classes[k] > Detections.CLASSES) {
                throw new KitException("ground truth: object " + (k + 1) + " has class " + classes[k]
                        + ", expected 1.." + Detections.CLASSES);
            }
            if (boxes[k] == null || boxes[k].length != 4) {
                throw new KitException("ground truth: object " + (k + 1) + " box must have 4 values");
            }
        }
    }

    /** G = 1 + objects. */
    public int size() {
        return 1 + classes.length;
    }

    /** Box of ground-truth entry {@code g} (0 = person) in float64. */
    public double[] box(int g) {
        if (g == 0) {
            return new double[] {personBox[0], personBox[1], personBox[2], personBox[3]};
        }
        return boxes[g - 1].clone();
    }

    /** Class of entry {@code g} (person = 1). */
    public int label(int g) {
        return g == 0 ? 1 : classes[g - 1];
    }
}
