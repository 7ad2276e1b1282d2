package org.m3sgg.sgdet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.m3sgg.api.KitException;

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
        int per = maps.channels() * out * out;
        float[] res = new float[rois.length * per];
        Map<Integer, List<Integer>> byFrame = new TreeMap<>();
        for (int n = 0; n < rois.length; n++) {
            if (rois[n] == null || rois[n].length != 5) {
                throw new KitException("RoIAlign: RoI " + n + " must have 5 values (frame, x1, y1, x2, y2)");
            }
            int frame = (int) rois[n][0];
            maps.offset(frame); // checks the index
            byFrame.computeIfAbsent(frame, f -> new ArrayList<>()).add(n);
        }
        for (Map.Entry<Integer, List<Integer>> e : byFrame.entrySet()) {
            float[] hwc = channelsLast(maps, e.getKey());
            // RoIs in parallel: each writes its own slice with the same arithmetic, whatever the thread count
            e.getValue().parallelStream().forEach(n -> pool(maps, hwc, rois[n], out, res, n * per));
        }
        return res;
    }

    /** One frame's map in [H, W, C] order: the channels of a position side by side for the pooling loop. */
    private static float[] channelsLast(FrameMaps maps, int t) {
        int c = maps.channels();
        int hw = maps.height() * maps.width();
        int base = maps.offset(t);
        float[] src = maps.data();
        float[] hwc = new float[c * hw];
        IntStream.range(0, hw).parallel().forEach(p -> {
            for (int ch = 0; ch < c; ch++) {
                hwc[p * c + ch] = src[base + ch * hw + p];
            }
        });
        return hwc;
    }

    /**
     * Pools one RoI into {@code dst[offset .. offset + C*out*out)}. Per channel and bin the sum runs over the
     * samples in the kernel's order with the kernel's expression, so looping over channels innermost (on the
     * channels-last copy) changes nothing in the result.
     */
    private static void pool(FrameMaps maps, float[] hwc, float[] roi, int out, float[] dst, int offset) {
        int c = maps.channels();
        int h = maps.height();
        int w = maps.width();
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
        float[] acc = new float[c];
        int s = 0;
        for (int cell = 0; cell < out * out; cell++) {
            Arrays.fill(acc, 0f);
            for (int g = 0; g < gh * gw; g++, s += 4) {
                int p1 = pos[s] * c;
                int p2 = pos[s + 1] * c;
                int p3 = pos[s + 2] * c;
                int p4 = pos[s + 3] * c;
                float w1 = wt[s];
                float w2 = wt[s + 1];
                float w3 = wt[s + 2];
                float w4 = wt[s + 3];
                for (int ch = 0; ch < c; ch++) {
                    acc[ch] += w1 * hwc[p1 + ch] + w2 * hwc[p2 + ch] + w3 * hwc[p3 + ch] + w4 * hwc[p4 + ch];
                }
            }
            for (int ch = 0; ch < c; ch++) {
                dst[offset + ch * out * out + cell] = acc[ch] / count;
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
