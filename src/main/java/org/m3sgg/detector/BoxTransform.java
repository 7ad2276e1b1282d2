package org.m3sgg.detector;

/**
 * faster-rcnn.pytorch's {@code bbox_transform_inv} and {@code clip_boxes}, in float32 in the reference's order.
 * Decoding uses the legacy widths ({@code w = x2 - x1 + 1}, centre {@code x1 + 0.5 w}) but writes
 * {@code x2 = ctr + 0.5 w'} without the -1, so zero deltas move x2 and y2 one pixel out.
 */
public final class BoxTransform {

    private BoxTransform() {}

    /**
     * Decodes {@code deltas} (groups of (dx, dy, dw, dh), one group per class: [4 G]) against one box
     * (x1, y1, x2, y2) into [4 G] boxes.
     */
    public static float[] decode(float[] box, float[] deltas) {
        float width = box[2] - box[0] + 1.0f;
        float height = box[3] - box[1] + 1.0f;
        float ctrX = box[0] + 0.5f * width;
        float ctrY = box[1] + 0.5f * height;
        float[] out = new float[deltas.length];
        for (int g = 0; g + 3 < deltas.length; g += 4) {
            float predCtrX = deltas[g] * width + ctrX;
            float predCtrY = deltas[g + 1] * height + ctrY;
            float predW = (float) Math.exp(deltas[g + 2]) * width;
            float predH = (float) Math.exp(deltas[g + 3]) * height;
            out[g] = predCtrX - 0.5f * predW;
            out[g + 1] = predCtrY - 0.5f * predH;
            out[g + 2] = predCtrX + 0.5f * predW;
            out[g + 3] = predCtrY + 0.5f * predH;
        }
        return out;
    }

    /** Clamps every box group of {@code boxes} in place to [0, width - 1] x [0, height - 1]. */
    public static void clip(float[] boxes, float height, float width) {
        float maxX = width - 1;
        float maxY = height - 1;
        for (int g = 0; g + 3 < boxes.length; g += 4) {
            boxes[g] = clamp(boxes[g], maxX);
            boxes[g + 1] = clamp(boxes[g + 1], maxY);
            boxes[g + 2] = clamp(boxes[g + 2], maxX);
            boxes[g + 3] = clamp(boxes[g + 3], maxY);
        }
    }

    private static float clamp(float v, float max) {
        return Math.min(Math.max(v, 0f), max);
    }
}
