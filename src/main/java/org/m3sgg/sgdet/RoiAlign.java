package org.m3sgg.sgdet;

/**
 * RoIAlign as STTran runs it: {@code ROIAlign((7, 7), 1/16, 0)}, i.e. torchvision's {@code roi_align} with
 * {@code aligned=False} (no half-cell shift, a RoI is at least one cell on each side), an adaptive sampling grid
 * ({@code ceil(roi size / out)} points per bin side) and bilinear interpolation with the CPU kernel's border
 * rules (samples beyond one cell outside the map are 0, others are clamped onto it). Arithmetic in float32 in
 * the kernel's order, so the result equals the reference's to the last bit where the compiler does not reorder.
 * Forward only: the detector is frozen in every model of the kit.
 */
public final class RoiAlign {

    private RoiAlign() {}

    /**
     * Pools {@code rois} over {@code maps}.
     *
     * @param rois [R][5] = (frame index, x1, y1, x2, y2) in blob coordinates
     * @param out  output side (7)
     * @return [R * C * out * out] in C order
     */
    public static float[] apply(FrameMaps maps, float[][] rois, int out) {
        int c = maps.channels();
        float[] res = new float[rois.length * c * out * out];
        for (int n = 0; n < rois.length; n++) {
            pool(maps, rois[n], out, res, n * c * out * out);
        }
        return res;
    }

    /** Pools one RoI into {@code dst[offset .. offset + C*out*out)}. */
    public static void pool(FrameMaps maps, float[] roi, int out, float[] dst, int offset) {
        int c = maps.channels();
        int h = maps.height();
        int w = maps.width();
        int frame = (int) roi[0];
        int base = maps.offset(frame);
        float[] fm = maps.data();
        float scale = maps.spatialScale();
        float x1 = roi[1] * scale;
        float y1 = roi[2] * scale;
        float x2 = roi[3] * scale;
        float y2 = roi[4] * scale;
        float rw = Math.max(x2 - x1, 1f);
        float rh = Math.max(y2 - y1, 1f);
        float bh = rh / out;
        float bw = rw / out;
        int gh = (int) Math.ceil(rh / out);
        int gw = (int) Math.ceil(rw / out);
        float count = Math.max(gh * gw, 1);
        int samples = out * out * gh * gw;
        int[] pos = new int[samples * 4];
        float[] wt = new float[samples * 4];
        int k = 0;
        for (int ph = 0; ph < out; ph++) {
            for (int pw = 0; pw < out; pw++) {
                for (int iy = 0; iy < gh; iy++) {
                    float y = y1 + ph * bh + (iy + .5f) * bh / gh;
                    for (int ix = 0; ix < gw; ix++) {
                        float x = x1 + pw * bw + (ix + .5f) * bw / gw;
                        weights(y, x, h, w, pos, wt, 4 * k++);
                    }
                }
            }
        }
        for (int ch = 0; ch < c; ch++) {
            int plane = base + ch * h * w;
            int o = offset + ch * out * out;
            int s = 0;
            for (int cell = 0; cell < out * out; cell++) {
                float v = 0;
                for (int g = 0; g < gh * gw; g++, s += 4) {
                    v += wt[s] * fm[plane + pos[s]] + wt[s + 1] * fm[plane + pos[s + 1]]
                            + wt[s + 2] * fm[plane + pos[s + 2]] + wt[s + 3] * fm[plane + pos[s + 3]];
                }
                dst[o + cell] = v / count;
            }
        }
    }

    private static void weights(float y, float x, int h, int w, int[] pos, float[] wt, int at) {
        if (y < -1.0 || y > h || x < -1.0 || x > w) {
            return; // positions 0 with weights 0: the sample contributes nothing
        }
        if (y <= 0) {
            y = 0;
        }
        if (x <= 0) {
            x = 0;
        }
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
        float ly = y - yl;
        float lx = x - xl;
        float hy = 1f - ly;
        float hx = 1f - lx;
        pos[at] = yl * w + xl;
        pos[at + 1] = yl * w + xh;
        pos[at + 2] = yh * w + xl;
        pos[at + 3] = yh * w + xh;
        wt[at] = hy * hx;
        wt[at + 1] = hy * lx;
        wt[at + 2] = ly * hx;
        wt[at + 3] = ly * lx;
    }
}
