package org.m3sgg.video;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;

/** Raw 8-bit RGB values of any decoded image, without colour management (what PIL and OpenCV read). */
final class Pixels {

    private Pixels() {}

    /**
     * The image's pixels as packed {@code 0xRRGGBB}, row-major. Grey images give the stored grey value in all three
     * channels (Java's {@code getRGB} would map linear grey to sRGB and change it); 16-bit samples are scaled to
     * 8 bits; alpha is dropped, not composited.
     */
    static int[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof ComponentColorModel && cm.getNumColorComponents() == 1) {
            int bits = cm.getComponentSize(0);
            int[] out = new int[w * h];
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                r.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int v = to8(row[x], bits);
                    out[y * w + x] = v << 16 | v << 8 | v;
                }
            }
            return out;
        }
        if (cm instanceof ComponentColorModel && cm.getNumColorComponents() == 3
                && cm.getColorSpace().isCS_sRGB() && cm.getComponentSize(0) > 8) {
            int bits = cm.getComponentSize(0);
            int[] out = new int[w * h];
            int[][] rows = new int[3][w];
            for (int y = 0; y < h; y++) {
                for (int b = 0; b < 3; b++) {
                    r.getSamples(0, y, w, 1, b, rows[b]);
                }
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = to8(rows[0][x], bits) << 16 | to8(rows[1][x], bits) << 8 | to8(rows[2][x], bits);
                }
            }
            return out;
        }
        int[] out = img.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < out.length; i++) {
            out[i] &= 0xffffff;
        }
        return out;
    }

    private static int to8(int v, int bits) {
        if (bits == 8) {
            return v & 0xff;
        }
        long max = (1L << bits) - 1;
        return (int) ((v * 255L + max / 2) / max);
    }

    /** The image itself when it is {@code TYPE_3BYTE_BGR} or {@code TYPE_INT_RGB}, else a TYPE_3BYTE_BGR copy. */
    static BufferedImage asRgb(BufferedImage img) {
        int t = img.getType();
        if (t == BufferedImage.TYPE_3BYTE_BGR || t == BufferedImage.TYPE_INT_RGB) {
            return img;
        }
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        out.setRGB(0, 0, w, h, rgb(img), 0, w);
        return out;
    }
}
