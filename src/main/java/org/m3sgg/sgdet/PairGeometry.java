package org.m3sgg.sgdet;

import org.m3sgg.api.KitException;
import org.m3sgg.features.SpatialMasks;

/**
 * What STTran derives from a pair's two boxes: the union box in blob coordinates, its RoIAlign feature and the
 * two-channel spatial mask.
 */
public final class PairGeometry {

    /** Side of the pooled union feature. */
    public static final int POOL = 7;

    private PairGeometry() {}

    /**
     * Union boxes {@code [P][5]} = (frame, min x1, min y1, max x2, max y2) of the pair's boxes, times the frame's
     * scale in float32 (blob coordinates). Scaling the union equals taking the union of scaled boxes (rounding
     * is monotone), which covers both of STTran's orders (test: scale the boxes; train: scale the union).
     *
     * @param boxes [N][5] (frame, x1, y1, x2, y2) original pixels
     */
    public static float[][] unionBoxes(float[][] boxes, int[][] pairs, int[] imIdx, float[] scales) {
        float[][] u = new float[pairs.length][];
        for (int p = 0; p < pairs.length; p++) {
            float[] a = boxes[pairs[p][0]];
            float[] b = boxes[pairs[p][1]];
            float s = scales[imIdx[p]];
            u[p] = new float[] {imIdx[p], Math.min(a[1], b[1]) * s, Math.min(a[2], b[2]) * s,
                Math.max(a[3], b[3]) * s, Math.max(a[4], b[4]) * s};
        }
        return u;
    }

    /** RoIAlign 7x7 of the union boxes over the frame maps: {@code [P * C * 7 * 7]}. */
    public static float[] unionFeatures(FrameMaps maps, float[][] unionBoxes) {
        return RoiAlign.apply(maps, unionBoxes, POOL);
    }

    /**
     * STTran's {@code draw_union_boxes(pair_rois, 27) - 0.5} in float32 ({@link SpatialMasks}, which computes
     * exactly that): {@code [P * 2 * 27 * 27]}, subject channel first. A union of zero width or height (the
     * reference divides by zero there) is an error naming the pair.
     */
    public static float[] masks(float[][] boxes, int[][] pairs) {
        float[] rois = new float[8 * pairs.length];
        for (int p = 0; p < pairs.length; p++) {
            float[] a = boxes[pairs[p][0]];
            float[] b = boxes[pairs[p][1]];
            if (Math.max(a[3], b[3]) - Math.min(a[1], b[1]) == 0 || Math.max(a[4], b[4]) - Math.min(a[2], b[2]) == 0) {
                throw new KitException("sgdet: pair " + p + " (boxes " + pairs[p][0] + ", " + pairs[p][1]
                        + ", frame " + (int) a[0] + ") has a union box of zero width or height; no spatial mask");
            }
            for (int k = 0; k < 4; k++) {
                rois[8 * p + k] = a[k + 1];
                rois[8 * p + 4 + k] = b[k + 1];
            }
        }
        return SpatialMasks.of(rois);
    }
}
