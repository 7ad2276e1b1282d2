package org.m3sgg.features;

import org.m3sgg.data.Box;

/**
 * The two-channel spatial masks STTran feeds its relation head: each box of a pair drawn into a
 * {@code size x size} grid spanning the pair's union box, a cell holding the fraction of it the box covers, then
 * shifted by -0.5. This is STTran's Cython {@code draw_union_boxes(pair_rois, 27) - 0.5} computed in float32
 * with the same operation order, so the values agree bit for bit (M3SGG's hard 0/1 rasteriser is not
 * reproduced).
 */
public final class SpatialMasks {

    /** STTran's mask resolution. */
    public static final int SIZE = 27;

    private SpatialMasks() {}

    /** Masks of one pair (subject first), {@code [2, 27, 27]} flattened, already shifted by -0.5. */
    public static float[] of(Box subject, Box object) {
        float[] out = new float[2 * SIZE * SIZE];
        draw(subject, object, SIZE, out, 0);
        for (int i = 0; i < out.length; i++) {
            out[i] -= 0.5f;
        }
        return out;
    }

    /**
     * Masks of many pairs at once: {@code pairRois [P, 8]} = (subject x1, y1, x2, y2, object x1, y1, x2, y2) in
     * original pixels, returned as {@code [P, 2, 27, 27]} shifted by -0.5 (what STTran puts in
     * {@code entry['spatial_masks']}).
     */
    public static float[] of(float[] pairRois) {
        if (pairRois.length % 8 != 0) {
            throw new IllegalArgumentException("pair rois must be [P, 8], got " + pairRois.length + " values");
        }
        int p = pairRois.length / 8;
        int per = 2 * SIZE * SIZE;
        float[] out = new float[p * per];
        for (int n = 0; n < p; n++) {
            int r = 8 * n;
            drawRaw(pairRois[r], pairRois[r + 1], pairRois[r + 2], pairRois[r + 3], pairRois[r + 4],
                    pairRois[r + 5], pairRois[r + 6], pairRois[r + 7], SIZE, out, n * per);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] -= 0.5f;
        }
        return out;
    }

    /**
     * The unshifted coverage masks of one pair at any resolution, written into {@code out[offset ..
     * offset + 2*size*size)}. Values lie in [0, 1].
     */
    public static void draw(Box subject, Box object, int size, float[] out, int offset) {
        drawRaw((float) subject.x1(), (float) subject.y1(), (float) subject.x2(), (float) subject.y2(),
                (float) object.x1(), (float) object.y1(), (float) object.x2(), (float) object.y2(), size, out,
                offset);
    }

    // float32 throughout, as the Cython original (DTYPE_t = np.float32)
    private static void drawRaw(float sx1, float sy1, float sx2, float sy2, float ox1, float oy1, float ox2,
            float oy2, int size, float[] out, int offset) {
        float ux1 = Math.min(sx1, ox1);
        float uy1 = Math.min(sy1, oy1);
        float ux2 = Math.max(sx2, ox2);
        float uy2 = Math.max(sy2, oy2);
        float w = ux2 - ux1;
        float h = uy2 - uy1;
        float pool = size;
        float[][] boxes = {{sx1, sy1, sx2, sy2}, {ox1, oy1, ox2, oy2}};
        for (int c = 0; c < 2; c++) {
            float[] b = boxes[c];
            float x1 = (b[0] - ux1) * pool / w;
            float y1 = (b[1] - uy1) * pool / h;
            float x2 = (b[2] - ux1) * pool / w;
            float y2 = (b[3] - uy1) * pool / h;
            int base = offset + c * size * size;
            for (int j = 0; j < size; j++) {
                float yc = clamp01((float) (j + 1) - y1) * clamp01(y2 - (float) j);
                for (int k = 0; k < size; k++) {
                    float xc = clamp01((float) (k + 1) - x1) * clamp01(x2 - (float) k);
                    out[base + j * size + k] = xc * yc;
                }
            }
        }
    }

    private static float clamp01(float x) {
        return Math.min(Math.max(x, 0f), 1f);
    }
}
