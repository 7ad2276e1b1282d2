package org.m3sgg.detector;

import java.util.Arrays;
import java.util.Comparator;
import org.m3sgg.sgdet.ClassNms;

/**
 * faster-rcnn.pytorch's {@code _ProposalLayer} in test mode for one frame: foreground scores and deltas of every
 * anchor in (y, x, anchor) order, decoded ({@link BoxTransform#decode}) and clipped to the frame, sorted by score
 * descending (a stable sort: the reference's sort is not stable; ties among the top scores would make its order
 * undefined), the top {@code preNms}, the legacy NMS ({@link ClassNms#keep}: +1 widths, suppress at IoU above the
 * threshold), the top {@code postNms}; rows left over are zero boxes. There is no minimum-size filter (commented
 * out in the reference).
 */
public final class ProposalLayer {

    /** The decoded, clipped proposals of every anchor and their scores, then the RoIs after NMS. */
    public record Result(float[][] all, float[] scores, float[][] rois) {}

    private ProposalLayer() {}

    /**
     * @param fg      [A][h][w] flattened: foreground probability of anchor a at (y, x) = {@code fg[(a h + y) w + x]}
     * @param deltas  [4 A][h][w] flattened
     * @param anchors {@link Anchors#shifted}, [h w A][4]
     * @param frame   the frame index written in column 0 of every RoI (padding included)
     * @return rois [postNms][5] = (frame, x1, y1, x2, y2)
     */
    public static Result apply(float[] fg, float[] deltas, float[][] anchors, int a, int h, int w, float imHeight,
            float imWidth, int frame, int preNms, int postNms, double nmsThreshold) {
        int n = h * w * a;
        float[][] all = new float[n][];
        float[] scores = new float[n];
        int hw = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < a; k++) {
                    int i = (y * w + x) * a + k;
                    int cell = y * w + x;
                    float[] d = {deltas[(4 * k) * hw + cell], deltas[(4 * k + 1) * hw + cell],
                        deltas[(4 * k + 2) * hw + cell], deltas[(4 * k + 3) * hw + cell]};
                    float[] box = BoxTransform.decode(anchors[i], d);
                    BoxTransform.clip(box, imHeight, imWidth);
                    all[i] = box;
                    scores[i] = fg[k * hw + cell];
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        int top = preNms > 0 ? Math.min(preNms, n) : n;
        float[][] cand = new float[top][];
        for (int i = 0; i < top; i++) {
            cand[i] = all[order[i]];
        }
        int[] keep = ClassNms.keep(cand, (float) nmsThreshold);
        float[][] rois = new float[postNms][];
        for (int r = 0; r < postNms; r++) {
            rois[r] = new float[5];
            rois[r][0] = frame;
            if (r < keep.length) {
                System.arraycopy(cand[keep[r]], 0, rois[r], 1, 4);
            }
        }
        return new Result(all, scores, rois);
    }
}
