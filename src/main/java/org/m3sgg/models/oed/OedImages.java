package org.m3sgg.models.oed;

import java.util.List;
import org.m3sgg.api.KitException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * OED's evaluation preprocessing of raw frames, as its {@code make_coco_transforms('val')} and collate function do
 * it: {@code RandomResize([600], max_size=1000)} (short side 600, long side at most 1000, PIL bilinear),
 * {@code ToTensor} + {@code Normalize} with the ImageNet mean and std, then zero padding at the bottom and right to
 * the batch's largest height and width with a mask that is true on padding (DETR's {@code NestedTensor}).
 *
 * <p>The resampling is PIL's {@code ImagingResample} for 8-bit images with the bilinear filter: separable, the
 * horizontal pass first into an 8-bit intermediate, then the vertical pass; when shrinking, the filter's support is
 * widened by the scale factor (antialiasing); coefficients are normalised per output pixel, turned into 22-bit
 * fixed point (rounded half away from zero) and each sum starts at half a unit and is clipped to 0..255.
 */
public final class OedImages {

    /** ImageNet mean and std of OED's {@code T.Normalize} (float32, as torch holds them). */
    public static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] STD = {0.229f, 0.224f, 0.225f};
    /** OED's evaluation resize: short side and long-side limit. */
    public static final int SHORT_SIDE = 600;
    public static final int MAX_SIDE = 1000;

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private OedImages() {}

    /**
     * One RGB frame, HWC bytes as PIL gives them ({@code pixels[(y * width + x) * 3 + c]}, unsigned).
     */
    public record Rgb(int height, int width, byte[] pixels) {
        public Rgb {
            if (height <= 0 || width <= 0) {
                throw new KitException("OED frame: size must be positive, got " + height + " x " + width);
            }
            if (pixels == null || pixels.length != (long) height * width * 3) {
                throw new KitException("OED frame: expected " + height + " x " + width + " x 3 = "
                        + (long) height * width * 3 + " bytes (RGB, HWC), got "
                        + (pixels == null ? "none" : String.valueOf(pixels.length)));
            }
        }

        /** The value of channel {@code c} at (y, x), 0..255. */
        public int at(int y, int x, int c) {
            return pixels[(y * width + x) * 3 + c] & 0xff;
        }
    }

    /** A padded batch: images [B, 3, H, W] float32 and the padding mask [B][H][W] (true on padding). */
    public record Batch(INDArray images, boolean[][][] mask) {
        public int size() {
            return mask.length;
        }
    }

    /**
     * OED's evaluation size {@code (height, width)} of a {@code width x height} frame ({@code
     * get_size_with_aspect_ratio} with 600 / 1000): the short side becomes 600 unless the long side would pass
     * 1000, in which case the short side is {@code round(1000 * short / long)} (Python's round, half to even); the
     * other side is truncated.
     */
    public static int[] evalSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new KitException("OED resize: frame size must be positive, got " + width + " x " + height);
        }
        int size = SHORT_SIDE;
        double minSide = Math.min(width, height);
        double maxSide = Math.max(width, height);
        if (maxSide / minSide * size > MAX_SIDE) {
            size = (int) Math.rint(MAX_SIDE * minSide / maxSide);
        }
        if ((width <= height && width == size) || (height <= width && height == size)) {
            return new int[] {height, width};
        }
        if (width < height) {
            return new int[] {(int) ((double) size * height / width), size};
        }
        return new int[] {size, (int) ((double) size * width / height)};
    }

    /** The frame at OED's evaluation size ({@link #evalSize}, {@link #resize}). */
    public static Rgb evalResize(Rgb frame) {
        int[] s = evalSize(frame.width(), frame.height());
        return resize(frame, s[0], s[1]);
    }

    /** PIL's {@code Image.resize((width, height), Image.BILINEAR)} of an RGB image. */
    public static Rgb resize(Rgb in, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new KitException("OED resize: target size must be positive, got " + height + " x " + width);
        }
        if (height == in.height() && width == in.width()) {
            return new Rgb(height, width, in.pixels().clone());
        }
        Coeffs horiz = coeffs(in.width(), width);
        Coeffs vert = coeffs(in.height(), height);
        byte[] src = in.pixels();
        int srcH = in.height();
        int srcW = in.width();
        if (width != in.width()) {
            // only the rows the vertical pass reads (PIL's ybox_first .. ybox_last)
            int first = vert.min[0];
            int last = vert.min[height - 1] + vert.len[height - 1];
            byte[] tmp = new byte[(last - first) * width * 3];
            for (int y = 0; y < last - first; y++) {
                int row = (y + first) * srcW * 3;
                for (int x = 0; x < width; x++) {
                    int[] k = horiz.k[x];
                    int xmin = horiz.min[x];
                    for (int c = 0; c < 3; c++) {
                        int ss = 1 << (PRECISION_BITS - 1);
                        for (int t = 0; t < horiz.len[x]; t++) {
                            ss += (src[row + (xmin + t) * 3 + c] & 0xff) * k[t];
                        }
                        tmp[(y * width + x) * 3 + c] = clip8(ss);
                    }
                }
            }
            for (int y = 0; y < height; y++) {
                vert.min[y] -= first;
            }
            src = tmp;
            srcH = last - first;
            srcW = width;
        }
        if (height == in.height()) {
            return new Rgb(height, width, src);
        }
        byte[] out = new byte[height * width * 3];
        for (int y = 0; y < height; y++) {
            int[] k = vert.k[y];
            int ymin = vert.min[y];
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int ss = 1 << (PRECISION_BITS - 1);
                    for (int t = 0; t < vert.len[y]; t++) {
                        ss += (src[((ymin + t) * srcW + x) * 3 + c] & 0xff) * k[t];
                    }
                    out[(y * width + x) * 3 + c] = clip8(ss);
                }
            }
        }
        return new Rgb(height, width, out);
    }

    private static byte clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return (byte) 255;
        }
        if (v <= 0) {
            return 0;
        }
        return (byte) (v >> PRECISION_BITS);
    }

    /** Per output pixel: first source index, number of taps and the fixed-point weights. */
    private record Coeffs(int[] min, int[] len, int[][] k) {}

    /** PIL's {@code precompute_coeffs} + {@code normalize_coeffs_8bpc} for the bilinear filter (support 1). */
    private static Coeffs coeffs(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = 1.0 * filterScale;
        int[] min = new int[outSize];
        int[] len = new int[outSize];
        int[][] k = new int[outSize][];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            double[] w = new double[xmax];
            double ww = 0;
            for (int x = 0; x < xmax; x++) {
                double t = Math.abs((x + xmin - center + 0.5) * ss);
                w[x] = t < 1.0 ? 1.0 - t : 0.0;
                ww += w[x];
            }
            int[] fixed = new int[xmax];
            for (int x = 0; x < xmax; x++) {
                double v = ww != 0.0 ? w[x] / ww : w[x];
                fixed[x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS)) : (int) (0.5 + v * (1 << PRECISION_BITS));
            }
            min[xx] = xmin;
            len[xx] = xmax;
            k[xx] = fixed;
        }
        return new Coeffs(min, len, k);
    }

    /**
     * {@code ToTensor} then {@code Normalize} in float32: {@code (v / 255 - mean) / std} per channel, in that order
     * (a true division by 255, as torchvision's {@code to_tensor}), as [3][H][W].
     */
    public static float[][][] normalize(Rgb f) {
        float[][][] out = new float[3][f.height()][f.width()];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < f.height(); y++) {
                for (int x = 0; x < f.width(); x++) {
                    out[c][y][x] = ((float) f.at(y, x, c) / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }

    /**
     * Normalised frames zero-padded at the bottom and right to the largest height and width among them, with the
     * mask true on padding (DETR's {@code nested_tensor_from_tensor_list}). The frames are used at their size: call
     * {@link #evalResize} first for OED's evaluation size.
     */
    public static Batch batch(List<Rgb> frames) {
        if (frames.isEmpty()) {
            throw new KitException("OED: no frames to batch");
        }
        int h = 0;
        int w = 0;
        for (Rgb f : frames) {
            h = Math.max(h, f.height());
            w = Math.max(w, f.width());
        }
        float[] data = new float[frames.size() * 3 * h * w];
        boolean[][][] mask = new boolean[frames.size()][h][w];
        for (int b = 0; b < frames.size(); b++) {
            Rgb f = frames.get(b);
            float[][][] n = normalize(f);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < f.height(); y++) {
                    System.arraycopy(n[c][y], 0, data, ((b * 3 + c) * h + y) * w, f.width());
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    mask[b][y][x] = y >= f.height() || x >= f.width();
                }
            }
        }
        return new Batch(Nd4j.create(data, new long[] {frames.size(), 3, h, w}, DataType.FLOAT), mask);
    }

    /** A frame from an [H, W, 3] array of 0..255 values (any numeric type, e.g. a uint8 .npy). */
    public static Rgb fromArray(INDArray hwc) {
        if (hwc.rank() != 3 || hwc.size(2) != 3) {
            throw new KitException("OED frame: expected an [H, W, 3] RGB array, got "
                    + java.util.Arrays.toString(hwc.shape()));
        }
        int h = (int) hwc.size(0);
        int w = (int) hwc.size(1);
        int[] v = hwc.castTo(DataType.INT).dup('c').data().asInt();
        byte[] px = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] > 255) {
                throw new KitException("OED frame: pixel value " + v[i] + " at flat index " + i + " is outside 0..255");
            }
            px[i] = (byte) v[i];
        }
        return new Rgb(h, w, px);
    }
}
