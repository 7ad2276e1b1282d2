package org.m3sgg.eval;

import org.m3sgg.data.Box;

/**
 * Intersection over union with the legacy "+1 pixel" convention of the Faster R-CNN era Cython helper that STTran's
 * evaluator (and its SGDET ground-truth assignment) uses: a box spans {@code x2 - x1 + 1} pixels, and the overlap
 * counts only when the +1 widths are positive. The arithmetic is done in the reference's order, so results agree
 * to the last bit and a {@code >= 0.5} test flips exactly where the reference's does.
 */
public final class LegacyIou {

    private LegacyIou() {}

    /** IoU of two {@code [x1, y1, x2, y2]} boxes (the first four entries of each array are read). */
    public static double iou(double[] a, double[] b) {
        return iou(a[0], a[1], a[2], a[3], b[0], b[1], b[2], b[3]);
    }

    public static double iou(Box a, Box b) {
        return iou(a.x1(), a.y1(), a.x2(), a.y2(), b.x1(), b.y1(), b.x2(), b.y2());
    }

    static double iou(double ax1, double ay1, double ax2, double ay2,
                      double bx1, double by1, double bx2, double by2) {
        double iw = Math.min(ax2, bx2) - Math.max(ax1, bx1) + 1;
        if (!(iw > 0)) {
            return 0.0;
        }
        double ih = Math.min(ay2, by2) - Math.max(ay1, by1) + 1;
        if (!(ih > 0)) {
            return 0.0;
        }
        double areaA = (ax2 - ax1 + 1) * (ay2 - ay1 + 1);
        double areaB = (bx2 - bx1 + 1) * (by2 - by1 + 1);
        // (area + area) - intersection, as the reference; the sum is symmetric so argument order does not matter.
        double union = areaA + areaB - iw * ih;
        return iw * ih / union;
    }
}
