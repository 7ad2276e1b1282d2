package org.m3sgg.models.oed;

import java.util.Arrays;
import org.m3sgg.api.KitException;

/**
 * One frame's ground truth as OED's criterion reads it ({@code targets[i]} of {@code SetCriterionDSGG}): one row per
 * (person, object) pair. Boxes are normalised cxcywh of the (padded) input; an object box of all zeros marks a pair
 * without an object box (its box losses are masked out, as in the reference).
 *
 * @param objLabels  [T] object class per pair (an index into the object logits, below the no-object logit)
 * @param subBoxes   [T][4] subject boxes
 * @param objBoxes   [T][4] object boxes
 * @param attention  [T][A] one-hot attention class (A = attention logits minus the background logit)
 * @param spatial    [T][S] multi-hot spatial classes
 * @param contacting [T][C] multi-hot contacting classes
 */
public record OedTargets(int[] objLabels, double[][] subBoxes, double[][] objBoxes, double[][] attention,
        double[][] spatial, double[][] contacting) {

    public OedTargets {
        int t = objLabels.length;
        for (double[][] a : new double[][][] {subBoxes, objBoxes, attention, spatial, contacting}) {
            if (a.length != t) {
                throw new KitException("OED targets: " + t + " object labels but a table with " + a.length + " rows");
            }
        }
        for (int i = 0; i < t; i++) {
            if (subBoxes[i].length != 4 || objBoxes[i].length != 4) {
                throw new KitException("OED targets: pair " + i + " boxes must have 4 coordinates (cx, cy, w, h)");
            }
            double ones = 0;
            for (double v : attention[i]) {
                ones += v;
            }
            if (ones != 1) {
                throw new KitException("OED targets: pair " + i + " needs exactly one attention class, got "
                        + Arrays.toString(attention[i]));
            }
        }
    }

    public int size() {
        return objLabels.length;
    }

    /** Whether pair {@code i} has an object box (any coordinate non-zero). */
    public boolean hasObjectBox(int i) {
        for (double v : objBoxes[i]) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }
}
