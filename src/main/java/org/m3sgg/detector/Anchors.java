package org.m3sgg.detector;

/**
 * faster-rcnn.pytorch's anchors ({@code generate_anchors.py}, {@code proposal_layer.py}): the base anchor
 * {@code [0, 0, base-1, base-1]} with the legacy +1 pixel convention (width = x2 - x1 + 1, centre = x1 + (w-1)/2),
 * one anchor per ratio ({@code ws = round(sqrt(w h / ratio))}, {@code hs = round(ws ratio)}, NumPy's round half
 * to even) times each scale, ratio-major; then shifted to every map cell (y, then x), anchor-minor.
 */
public final class Anchors {

    private Anchors() {}

    /** The base anchors, [ratios * scales][4] as (x1, y1, x2, y2), float32 like the reference's tensor. */
    public static float[][] base(int baseSize, double[] ratios, double[] scales) {
        double w0 = baseSize;
        double h0 = baseSize;
        double xc = 0.5 * (w0 - 1);
        double yc = 0.5 * (h0 - 1);
        double size = w0 * h0;
        float[][] out = new float[ratios.length * scales.length][];
        int k = 0;
        for (double r : ratios) {
            double ws = Math.rint(Math.sqrt(size / r));
            double hs = Math.rint(ws * r);
            // the ratio anchor, then its centre and size again (exact in double)
            double[] a = make(ws, hs, xc, yc);
            double w = a[2] - a[0] + 1;
            double h = a[3] - a[1] + 1;
            double cx = a[0] + 0.5 * (w - 1);
            double cy = a[1] + 0.5 * (h - 1);
            for (double s : scales) {
                double[] b = make(w * s, h * s, cx, cy);
                out[k++] = new float[] {(float) b[0], (float) b[1], (float) b[2], (float) b[3]};
            }
        }
        return out;
    }

    private static double[] make(double ws, double hs, double xc, double yc) {
        return new double[] {xc - 0.5 * (ws - 1), yc - 0.5 * (hs - 1), xc + 0.5 * (ws - 1), yc + 0.5 * (hs - 1)};
    }

    /**
     * All anchors of an {@code h x w} map, [h * w * A][4], row {@code (y * w + x) * A + a} = base anchor a shifted
     * by (x * stride, y * stride).
     */
    public static float[][] shifted(float[][] base, int h, int w, int stride) {
        int a = base.length;
        float[][] out = new float[h * w * a][];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sx = x * stride;
                float sy = y * stride;
                for (int k = 0; k < a; k++) {
                    float[] b = base[k];
                    out[(y * w + x) * a + k] = new float[] {b[0] + sx, b[1] + sy, b[2] + sx, b[3] + sy};
                }
            }
        }
        return out;
    }
}
