package org.m3sgg.models.oed;

/** Box helpers on OED's normalised cxcywh boxes ({@code util/box_ops.py}). */
final class OedBoxes {

    private OedBoxes() {}

    /** {cx, cy, w, h} to {x1, y1, x2, y2}. */
    static double[] xyxy(double[] b) {
        return new double[] {b[0] - 0.5 * b[2], b[1] - 0.5 * b[3], b[0] + 0.5 * b[2], b[1] + 0.5 * b[3]};
    }

    /** Generalised IoU of two cxcywh boxes ({@code generalized_box_iou} for one pair). */
    static double giou(double[] a, double[] b) {
        double[] p = xyxy(a);
        double[] q = xyxy(b);
        double areaP = (p[2] - p[0]) * (p[3] - p[1]);
        double areaQ = (q[2] - q[0]) * (q[3] - q[1]);
        double iw = Math.max(0, Math.min(p[2], q[2]) - Math.max(p[0], q[0]));
        double ih = Math.max(0, Math.min(p[3], q[3]) - Math.max(p[1], q[1]));
        double inter = iw * ih;
        double union = areaP + areaQ - inter;
        double ew = Math.max(0, Math.max(p[2], q[2]) - Math.min(p[0], q[0]));
        double eh = Math.max(0, Math.max(p[3], q[3]) - Math.min(p[1], q[1]));
        double enclosing = ew * eh;
        return inter / union - (enclosing - union) / enclosing;
    }
}
