package org.m3sgg.video;

import java.awt.image.BufferedImage;
import java.util.List;
import org.m3sgg.api.KitException;

/**
 * STTran's loader preprocessing ({@code dataloader/action_genome.py} with faster-rcnn.pytorch's
 * {@code prep_im_for_blob} and {@code im_list_to_blob}), so that the published detector sees what it was trained on.
 *
 * <ol>
 *   <li>RGB to BGR, {@code float32}, minus the BGR pixel means {@code [102.9801, 115.9465, 122.7717]} (numpy
 *       subtracts in float64 and stores float32: so here).</li>
 *   <li>{@code cv2.resize(fx = fy = target / short side, INTER_LINEAR)} with no cap on the long side (the
 *       reference's {@code MAX_SIZE} test is commented out: 480x270 becomes 1067x600). The output size is OpenCV's
 *       {@code round(w * fx)} (half to even), the scale is a double in the resize and float32 in {@code im_info}.
 *       The float path of OpenCV's resize: source coordinate {@code (d + 0.5) / fx - 0.5} rounded to float, float
 *       weights {@code 1 - f, f}, columns clamped to the image (a clamped column takes the edge pixel), rows
 *       clamped by repeating the edge row with the weights kept; horizontal pass first, then vertical. An output
 *       of the input's size is a copy; an exact halving is OpenCV's 2x2 area average, as cv2 switches to it.</li>
 *   <li>{@link #batch}: zero padding to the largest height and width of the batch; every {@code im_info} row is
 *       {@code [padded H, padded W, scale of the FIRST frame]}, as the loader builds it for a video.</li>
 * </ol>
 */
public final class DetectorInput {

    /** STTran's BGR pixel means. */
    public static final double[] PIXEL_MEANS_BGR = {102.9801, 115.9465, 122.7717};

    /** The published short side (STTran's loader: 600). */
    public static final int STTRAN_SHORT_SIDE = 600;

    private DetectorInput() {}

    /**
     * One preprocessed frame.
     *
     * @param chw [3, height, width] BGR planes, means subtracted, C order
     * @param scale the resize factor {@code target / short side} as float32 (im_info's)
     */
    public record Blob(float[] chw, int height, int width, float scale) {
        public Blob {
            if (chw.length != 3 * height * width) {
                throw new IllegalArgumentException("blob of " + chw.length + " values for 3x" + height + "x" + width);
            }
        }
    }

    /**
     * Frames of one video for {@code FasterRcnn.detect}.
     *
     * @param images [frames, 3, height, width] zero padded, C order
     * @param imInfo [frames][3] = (height, width, first frame's scale)
     */
    public record Batch(float[] images, int frames, int height, int width, float[][] imInfo) {}

    /** STTran's preprocessing of one RGB frame to a short side of {@code targetShortSide}. */
    public static Blob sttran(BufferedImage rgb, int targetShortSide) {
        if (targetShortSide < 1) {
            throw new KitException("preprocessing: target short side " + targetShortSide + " is not allowed,"
                    + " expected >= 1 (STTran: 600)");
        }
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        int[] packed = Pixels.rgb(rgb);
        // HWC, BGR, float32 of (value - mean) computed in double (numpy: float32 array -= float64 means)
        float[] src = new float[h * w * 3];
        for (int i = 0; i < h * w; i++) {
            int p = packed[i];
            src[3 * i] = (float) ((p & 0xff) - PIXEL_MEANS_BGR[0]);
            src[3 * i + 1] = (float) ((p >> 8 & 0xff) - PIXEL_MEANS_BGR[1]);
            src[3 * i + 2] = (float) ((p >> 16 & 0xff) - PIXEL_MEANS_BGR[2]);
        }
        double scale = (double) targetShortSide / (double) Math.min(h, w);
        int dw = outputSize(w, scale);
        int dh = outputSize(h, scale);
        if (dw < 1 || dh < 1) {
            throw new KitException("preprocessing: a " + w + "x" + h + " frame scaled by " + scale
                    + " has no pixels left");
        }
        float[] hwc = resizeLinear(src, h, w, 3, dh, dw, scale, scale);
        float[] chw = new float[3 * dh * dw];
        int plane = dh * dw;
        for (int i = 0; i < plane; i++) {
            chw[i] = hwc[3 * i];
            chw[plane + i] = hwc[3 * i + 1];
            chw[2 * plane + i] = hwc[3 * i + 2];
        }
        return new Blob(chw, dh, dw, (float) scale);
    }

    /** STTran's preprocessing at the published short side, 600. */
    public static Blob sttran(BufferedImage rgb) {
        return sttran(rgb, STTRAN_SHORT_SIDE);
    }

    /** OpenCV's output size for a scale factor: {@code saturate_cast<int>(size * fx)}, rounding half to even. */
    static int outputSize(int size, double fx) {
        return (int) Math.rint(size * fx);
    }

    /**
     * OpenCV's {@code cv::resize(INTER_LINEAR)} of a float32 image ({@code h x w x cn}, C order) to
     * {@code dh x dw}, with the scale factors as given ({@code fx} and {@code fy}: output over input).
     */
    static float[] resizeLinear(float[] src, int h, int w, int cn, int dh, int dw, double fx, double fy) {
        if (dh == h && dw == w) {
            return src.clone();
        }
        double sx = 1.0 / fx;
        double sy = 1.0 / fy;
        if (Math.abs(sx - 2) < Math.ulp(1.0) && Math.abs(sy - 2) < Math.ulp(1.0)) {
            return halveArea(src, h, w, cn, dh, dw);
        }
        // horizontal tables: source column and the two weights per output column
        int[] xofs = new int[dw];
        float[] a0 = new float[dw];
        float[] a1 = new float[dw];
        boolean[] edge = new boolean[dw];
        for (int dx = 0; dx < dw; dx++) {
            float f = (float) ((dx + 0.5) * sx - 0.5);
            int x = (int) Math.floor(f);
            f -= x;
            if (x < 0) {
                f = 0;
                x = 0;
            }
            if (x >= w - 1) {
                // OpenCV copies the edge pixel for these columns
                edge[dx] = true;
                x = w - 1;
                f = 0;
            }
            xofs[dx] = x;
            a0[dx] = 1.f - f;
            a1[dx] = f;
        }
        // one horizontally resized row per source row, computed when first needed
        float[][] rows = new float[h][];
        float[] out = new float[dh * dw * cn];
        for (int dy = 0; dy < dh; dy++) {
            float f = (float) ((dy + 0.5) * sy - 0.5);
            int y = (int) Math.floor(f);
            f -= y;
            float b0 = 1.f - f;
            float b1 = f;
            int y0 = Math.min(Math.max(y, 0), h - 1);
            int y1 = Math.min(Math.max(y + 1, 0), h - 1);
            float[] r0 = row(rows, src, y0, w, cn, dw, xofs, a0, a1, edge);
            float[] r1 = row(rows, src, y1, w, cn, dw, xofs, a0, a1, edge);
            int o = dy * dw * cn;
            for (int i = 0; i < dw * cn; i++) {
                out[o + i] = r0[i] * b0 + r1[i] * b1;
            }
            if (y0 > 0) {
                rows[y0 - 1] = null;   // rows are visited in order: keep at most a few alive
            }
        }
        return out;
    }

    private static float[] row(float[][] rows, float[] src, int y, int w, int cn, int dw, int[] xofs, float[] a0,
            float[] a1, boolean[] edge) {
        if (rows[y] != null) {
            return rows[y];
        }
        float[] r = new float[dw * cn];
        int base = y * w * cn;
        for (int dx = 0; dx < dw; dx++) {
            int s = base + xofs[dx] * cn;
            for (int c = 0; c < cn; c++) {
                r[dx * cn + c] = edge[dx] ? src[s + c] : src[s + c] * a0[dx] + src[s + cn + c] * a1[dx];
            }
        }
        rows[y] = r;
        return r;
    }

    /**
     * OpenCV's fast area path for an exact halving (which INTER_LINEAR switches to): the mean of each 2x2 block,
     * summed in row order and multiplied by 0.25f; a last row or column without a partner (odd input rounded up)
     * averages what the image has.
     */
    private static float[] halveArea(float[] src, int h, int w, int cn, int dh, int dw) {
        float[] out = new float[dh * dw * cn];
        for (int dy = 0; dy < dh; dy++) {
            for (int dx = 0; dx < dw; dx++) {
                for (int c = 0; c < cn; c++) {
                    float sum = 0;
                    int n = 0;
                    for (int yy = 2 * dy; yy < Math.min(2 * dy + 2, h); yy++) {
                        for (int xx = 2 * dx; xx < Math.min(2 * dx + 2, w); xx++) {
                            sum += src[(yy * w + xx) * cn + c];
                            n++;
                        }
                    }
                    out[(dy * dw + dx) * cn + c] = n == 4 ? sum * 0.25f : sum / n;
                }
            }
        }
        return out;
    }

    /**
     * STTran's {@code im_list_to_blob} for one video: the frames zero padded to the largest height and width, in
     * [T, 3, H, W]; every im_info row {@code [H, W, scale of the first frame]}.
     */
    public static Batch batch(List<Blob> blobs) {
        if (blobs.isEmpty()) {
            throw new KitException("preprocessing: no frames to batch (expected at least one)");
        }
        int hb = 0;
        int wb = 0;
        for (Blob b : blobs) {
            hb = Math.max(hb, b.height());
            wb = Math.max(wb, b.width());
        }
        int t = blobs.size();
        long total = (long) t * 3 * hb * wb;
        if (total > Integer.MAX_VALUE - 8) {
            throw new KitException("preprocessing: " + t + " frames of " + wb + "x" + hb + " do not fit in one"
                    + " array; give the detector fewer frames at a time");
        }
        float[] images = new float[(int) total];
        float[][] info = new float[t][];
        float scale = blobs.get(0).scale();
        for (int i = 0; i < t; i++) {
            Blob b = blobs.get(i);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < b.height(); y++) {
                    System.arraycopy(b.chw(), (c * b.height() + y) * b.width(), images,
                            ((i * 3 + c) * hb + y) * wb, b.width());
                }
            }
            info[i] = new float[] {hb, wb, scale};
        }
        return new Batch(images, t, hb, wb, info);
    }
}
