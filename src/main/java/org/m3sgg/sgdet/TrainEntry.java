package org.m3sgg.sgdet;

import org.m3sgg.sgdet.RelationAssigner.Assignment;

/**
 * The SGDET training path's result for one video (STTran's detector {@code is_train} branch); N' boxes, P pairs,
 * T frames. Frame t holds rows {@code [frameStart[t], frameStart[t+1])}: its detections, then its supplied
 * ground-truth boxes in ground-truth order.
 *
 * @param boxes          [N'][5] frame, x1, y1, x2, y2 original pixels (supplied boxes after the float32 round trip
 *                       {@code box * scale / scale}; detections clamped at 0)
 * @param labels         [N'] assigned label per detection (0 = matched nothing), the class for supplied boxes
 * @param scores         [N'] detector score per detection, 1 for supplied boxes
 * @param features       [N'][F] detection features; supplied: {@code head(RoIAlign(map, box * scale))}
 * @param distribution   [N'][36] {@code softmax(cls_score(features)[1:])} for every row
 * @param assignedLabels [N] per input detection, its assigned label (0 = unmatched), as {@code assign_relations}
 * @param assignments    [T] each frame's assignment; its {@code found} indices include the supplied boxes as
 *                       frame-local rows n_frame + k and its {@code gt} the supplied ground truth appended
 * @param frameStart     [T + 1] first row of each frame, then N'
 * @param pairs          [P][2] (subject row, object row); the subject follows {@link SgdetOptions.Subject}
 * @param imIdx          [P] frame of each pair
 * @param pairGt         [P][2] (frame, ground-truth index 1..) whose relations label the pair
 * @param unionBoxes     [P][5] frame, union box in blob coordinates
 * @param unionFeatures  [P * C * 7 * 7] RoIAlign of the union boxes
 * @param masks          [P * 2 * 27 * 27] spatial masks minus 0.5
 */
public record TrainEntry(float[][] boxes, int[] labels, float[] scores, float[][] features, float[][] distribution,
        int[] assignedLabels, Assignment[] assignments, int[] frameStart, int[][] pairs, int[] imIdx, int[][] pairGt,
        float[][] unionBoxes, float[] unionFeatures, float[] masks) {}
