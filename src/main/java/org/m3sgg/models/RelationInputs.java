package org.m3sgg.models;

import java.util.Arrays;
import org.m3sgg.api.KitException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the kit hands a relation model for one video (STTran's {@code entry} dict, §1.9 of the reference notes).
 * Box and pair indices are global over the video; frames are 0-based.
 *
 * @param features      [N, F] object features
 * @param boxes         [N, 4] x1, y1, x2, y2 in original pixels
 * @param boxFrame      [N] frame of each box
 * @param labels        [N] object labels used for the class embeddings (PredCLS: ground truth; SGCLS training:
 *                      ground truth; SGCLS test: the classifier's relabelled prediction)
 * @param pairs         [P, 2] (subject box, object box)
 * @param pairFrame     [P] frame of each pair (STTran's {@code im_idx})
 * @param unionFeatures [P, C, 7, 7] RoIAlign of each pair's union box
 * @param spatialMasks  [P, 2, 27, 27] soft subject/object masks minus 0.5
 * @param distribution  [N, objectClasses - 1] detector class distribution without background (SGCLS), or null
 */
public record RelationInputs(INDArray features, double[][] boxes, int[] boxFrame, int[] labels, int[][] pairs,
        int[] pairFrame, INDArray unionFeatures, INDArray spatialMasks, INDArray distribution) {

    public RelationInputs {
        int n = (int) features.size(0);
        check(features.rank() == 2, "features must be [N, F], got " + Arrays.toString(features.shape()));
        check(boxes.length == n, "boxes has " + boxes.length + " rows, features " + n);
        check(boxFrame.length == n, "box frame index has " + boxFrame.length + " entries, features " + n);
        check(labels.length == n, "labels has " + labels.length + " entries, features " + n);
        int p = pairs.length;
        check(pairFrame.length == p, "pair frame index has " + pairFrame.length + " entries, pairs " + p);
        for (int i = 0; i < p; i++) {
            int[] pr = pairs[i];
            check(pr.length == 2 && pr[0] >= 0 && pr[0] < n && pr[1] >= 0 && pr[1] < n,
                    "pair " + i + " = " + Arrays.toString(pr) + " does not index the " + n + " boxes");
            check(pairFrame[i] >= 0, "pair " + i + " has negative frame " + pairFrame[i]);
        }
        for (int i = 0; i < n; i++) {
            check(boxes[i].length == 4, "box " + i + " has " + boxes[i].length + " coordinates, expected 4");
        }
        check(unionFeatures.rank() == 4 && unionFeatures.size(0) == p && unionFeatures.size(2) == 7
                        && unionFeatures.size(3) == 7,
                "union features must be [P=" + p + ", C, 7, 7], got " + Arrays.toString(unionFeatures.shape()));
        check(spatialMasks.rank() == 4 && spatialMasks.size(0) == p && spatialMasks.size(1) == 2
                        && spatialMasks.size(2) == 27 && spatialMasks.size(3) == 27,
                "spatial masks must be [P=" + p + ", 2, 27, 27], got " + Arrays.toString(spatialMasks.shape()));
        check(distribution == null || (distribution.rank() == 2 && distribution.size(0) == n),
                "distribution must be [N=" + n + ", classes - 1]");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new KitException("relation inputs: " + message);
        }
    }

    public int numBoxes() {
        return boxes.length;
    }

    public int numPairs() {
        return pairs.length;
    }

    /** A copy with other labels (SGCLS test relabelling) and other pairs with their union features and masks. */
    public RelationInputs withPairs(int[] newLabels, int[][] newPairs, int[] newPairFrame, INDArray newUnion,
            INDArray newMasks) {
        return new RelationInputs(features, boxes, boxFrame, newLabels, newPairs, newPairFrame, newUnion, newMasks,
                distribution);
    }
}
