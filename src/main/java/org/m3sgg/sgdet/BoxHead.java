package org.m3sgg.sgdet;

/**
 * The detector's box head: what turns a box on a frame map into the box's feature and class logits. SGDET
 * training needs it for ground-truth boxes the detector missed (STTran's SUPPLY: {@code
 * head(RoIAlign(map, box * scale))}) and the SGDET detector tail for the class distribution
 * ({@code softmax(cls_score(feature)[:, 1:])}).
 */
public interface BoxHead {

    /** F, the width of a box feature. */
    int featureDim();

    /**
     * Features of boxes, {@code [R][F]}.
     *
     * @param rois [R][5] = (frame index, x1, y1, x2, y2) in blob coordinates (original pixels times the scale)
     */
    float[][] features(FrameMaps maps, float[][] rois);

    /** The 37 class logits (background first) of one feature. */
    float[] classLogits(float[] feature);
}
