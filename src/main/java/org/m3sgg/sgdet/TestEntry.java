package org.m3sgg.sgdet;

/**
 * The SGDET test path's result for one video (STTran's {@code entry} after {@code ObjectClassifier}); M boxes,
 * P pairs, T frames. Boxes are grouped by frame: frame t holds rows {@code [frameStart[t], frameStart[t+1])}.
 *
 * @param boxes          [M][5] frame, x1, y1, x2, y2 in original pixels after the float32 scale round trip
 * @param nmsBoxes       [M][5] the same before the round trip (as the NMS kept them)
 * @param distribution   [M][36] the detector's class distribution (person = column 0)
 * @param features       [M][F] box features
 * @param labels         [M] 1 for each frame's human, else the best non-person class 2..36
 * @param scores         [M] the human's person probability, else the best non-person probability
 * @param humanIdx       [T] the human row per frame (argmax of the person column), -1 for a frame without boxes
 * @param frameStart     [T + 1] first row of each frame, then M
 * @param pairs          [P][2] (human row, object row), per frame every other box in order
 * @param imIdx          [P] frame of each pair
 * @param unionBoxes     [P][5] frame, union box in blob coordinates (original pixels times the frame's scale)
 * @param unionFeatures  [P * C * 7 * 7] RoIAlign of the union boxes
 * @param masks          [P * 2 * 27 * 27] spatial masks minus 0.5, subject channel first
 */
public record TestEntry(float[][] boxes, float[][] nmsBoxes, float[][] distribution, float[][] features,
        int[] labels, float[] scores, int[] humanIdx, int[] frameStart, int[][] pairs, int[] imIdx,
        float[][] unionBoxes, float[] unionFeatures, float[] masks) {}
