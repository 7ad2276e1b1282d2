package org.m3sgg.models.oed;

/**
 * What OED derives from the padding mask before the transformer: the mask at the C5 resolution and DETR's sine
 * position encoding. Both follow the reference in float32 arithmetic.
 */
public final class OedPositions {

    private OedPositions() {}

    /**
     * {@code F.interpolate(mask, size=(h, w))} in mode nearest: output cell (y, x) takes input pixel
     * (floor(y · H/h), floor(x · W/w)) with the scale in float32, clamped to the last row/column. A cell is padding
     * exactly when its sampled pixel is, however much of its area is padding.
     *
     * @param mask [H][W], true on padding
     */
    public static boolean[][] downsampleMask(boolean[][] mask, int h, int w) {
        int inH = mask.length;
        int inW = mask[0].length;
        float sy = (float) inH / h;
        float sx = (float) inW / w;
        boolean[][] out = new boolean[h][w];
        for (int y = 0; y < h; y++) {
            int iy = Math.min((int) Math.floor(y * sy), inH - 1);
            for (int x = 0; x < w; x++) {
                out[y][x] = mask[iy][Math.min((int) Math.floor(x * sx), inW - 1)];
            }
        }
        return out;
    }

    /**
     * DETR's {@code PositionEmbeddingSine(numPosFeats, temperature 10000, normalize=True, scale=2π)}: y and x are
     * running counts of valid cells down the rows and along the columns, divided by the count in the last row /
     * column plus 1e-6 and multiplied by 2π (padded cells carry the last valid count on; a fully padded column has
     * y = 0). Channel i of each half is sin (i even) or cos (i odd) of coordinate / 10000^(2⌊i/2⌋/numPosFeats);
     * the y half comes first.
     *
     * @param mask [h][w], true on padding
     * @return [2·numPosFeats][h][w]
     */
    public static float[][][] sine(boolean[][] mask, int numPosFeats) {
        int h = mask.length;
        int w = mask[0].length;
        float[][] ye = new float[h][w];
        float[][] xe = new float[h][w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = mask[y][x] ? 0f : 1f;
                ye[y][x] = (y > 0 ? ye[y - 1][x] : 0f) + v;
                xe[y][x] = (x > 0 ? xe[y][x - 1] : 0f) + v;
            }
        }
        float scale = (float) (2 * Math.PI);
        float eps = 1e-6f;
        float[] lastRow = ye[h - 1].clone();
        for (int y = 0; y < h; y++) {
            float lastCol = xe[y][w - 1];
            for (int x = 0; x < w; x++) {
                ye[y][x] = ye[y][x] / (lastRow[x] + eps) * scale;
                xe[y][x] = xe[y][x] / (lastCol + eps) * scale;
            }
        }
        float[] dimT = new float[numPosFeats];
        for (int i = 0; i < numPosFeats; i++) {
            dimT[i] = (float) Math.pow(10000f, (float) (2 * (i / 2)) / numPosFeats);
        }
        float[][][] pos = new float[2 * numPosFeats][h][w];
        for (int i = 0; i < numPosFeats; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float py = ye[y][x] / dimT[i];
                    float px = xe[y][x] / dimT[i];
                    pos[i][y][x] = (float) (i % 2 == 0 ? Math.sin(py) : Math.cos(py));
                    pos[numPosFeats + i][y][x] = (float) (i % 2 == 0 ? Math.sin(px) : Math.cos(px));
                }
            }
        }
        return pos;
    }
}
