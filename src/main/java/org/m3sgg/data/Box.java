package org.m3sgg.data;

/**
 * An axis-aligned box in original image pixels, corner form (x1, y1, x2, y2).
 *
 * <p>Action Genome stores person boxes as xyxy and object boxes as xywh; loaders convert everything to this form
 * (xywh -> xyxy without the -1, as STTran's loader does).
 */
public record Box(double x1, double y1, double x2, double y2) {

    /** Converts an Action Genome object box (x, y, w, h) into corner form, exactly as STTran: x2 = x + w. */
    public static Box fromXywh(double x, double y, double w, double h) {
        return new Box(x, y, x + w, y + h);
    }

    public double width() {
        return x2 - x1;
    }

    public double height() {
        return y2 - y1;
    }

    /** True when every coordinate is finite and x2 >= x1, y2 >= y1. */
    public boolean isValid() {
        return Double.isFinite(x1) && Double.isFinite(y1) && Double.isFinite(x2) && Double.isFinite(y2)
                && x2 >= x1 && y2 >= y1;
    }

    /** The smallest box that holds both (STTran's union box). */
    public Box union(Box o) {
        return new Box(Math.min(x1, o.x1), Math.min(y1, o.y1), Math.max(x2, o.x2), Math.max(y2, o.y2));
    }

    public double[] toArray() {
        return new double[] {x1, y1, x2, y2};
    }
}
