package org.m3sgg.models.dsgdetr;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * RoIAlign as the reference's {@code ROIAlign((7, 7), 1/16, 0)} / {@code torchvision.ops.RoIAlign(aligned=False)}:
 * no half-pixel offset, bins at least one feature-map cell, adaptive sampling ({@code ceil(roi / output)} points
 * per bin side), bilinear interpolation with the CPU kernel's border rules.
 */
final class RoiAlign {

    private RoiAlign() {}

    /** {@code fmaps} [B, C, H, W]; {@code rois} [R][5] = (batch index, x1, y1, x2, y2); returns [R, C, out, out]. */
    static INDArray apply(INDArray fmaps, float[][] rois, int out, double spatialScale) {
        int c = (int) fmaps.size(1);
        int h = (int) fmaps.size(2);
        int w = (int) fmaps.size(3);
        double[] fm = fmaps.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int r = rois.length;
        double[] res = new double[r * c * out * out];
        for (int n = 0; n < r; n++) {
            int b = (int) rois[n][0];
            double x1 = rois[n][1] * spatialScale;
            double y1 = rois[n][2] * spatialScale;
            double x2 = rois[n][3] * spatialScale;
            double y2 = rois[n][4] * spatialScale;
            double rw = Math.max(x2 - x1, 1.0);
            double rh = Math.max(y2 - y1, 1.0);
            double bw = rw / out;
            double bh = rh / out;
            int gh = (int) Math.ceil(rh / out);
            int gw = (int) Math.ceil(rw / out);
            double count = Math.max(gh * gw, 1);
            for (int ch = 0; ch < c; ch++) {
                int base = (b * c + ch) * h * w;
                for (int ph = 0; ph < out; ph++) {
                    for (int pw = 0; pw < out; pw++) {
                        double sum = 0;
                        for (int iy = 0; iy < gh; iy++) {
                            double y = y1 + ph * bh + (iy + 0.5) * bh / gh;
                            for (int ix = 0; ix < gw; ix++) {
                                double x = x1 + pw * bw + (ix + 0.5) * bw / gw;
                                sum += bilinear(fm, base, h, w, y, x);
                            }
                        }
                        res[((n * c + ch) * out + ph) * out + pw] = sum / count;
                    }
                }
            }
        }
        return Nd4j.createFromArray(res).reshape(r, c, out, out);
    }

    private static double bilinear(double[] fm, int base, int h, int w, double y, double x) {
        if (y < -1.0 || y > h || x < -1.0 || x > w) {
            return 0;
        }
        y = Math.max(y, 0);
        x = Math.max(x, 0);
        int yl = (int) y;
        int xl = (int) x;
        int yh;
        int xh;
        if (yl >= h - 1) {
            yh = yl = h - 1;
            y = yl;
        } else {
            yh = yl + 1;
        }
        if (xl >= w - 1) {
            xh = xl = w - 1;
            x = xl;
        } else {
            xh = xl + 1;
        }
        double ly = y - yl;
        double lx = x - xl;
        double hy = 1 - ly;
        double hx = 1 - lx;
        return hy * hx * fm[base + yl * w + xl] + hy * lx * fm[base + yl * w + xh] + ly * hx * fm[base + yh * w + xl]
                + ly * lx * fm[base + yh * w + xh];
    }
}
