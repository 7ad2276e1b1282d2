package org.m3sgg.sgdet;

/**
 * Boxes with what follows them through the pipeline's steps, rows grouped by frame.
 *
 * @param boxes        [N][5] frame index, x1, y1, x2, y2 (original-frame pixels)
 * @param features     [N][F]
 * @param distribution [N][36] class distribution without background
 * @param labels       [N] class 1..36 per row, or null where a step does not define one (after NMS)
 * @param scores       [N] or null where a step does not define them (STTran's {@code clean_class} drops them)
 */
public record BoxSet(float[][] boxes, float[][] features, float[][] distribution, int[] labels, float[] scores) {

    public int size() {
        return boxes.length;
    }

    /** Frame of row {@code i}. */
    public int frame(int i) {
        return (int) boxes[i][0];
    }

    /** Start row of every frame and the end: {@code [T + 1]}; frame t holds rows {@code [s[t], s[t+1])}. */
    public int[] frameStarts(int frames) {
        return frameStarts(boxes, frames);
    }

    static int[] frameStarts(float[][] boxes, int frames) {
        int[] s = new int[frames + 1];
        for (float[] b : boxes) {
            s[(int) b[0] + 1]++;
        }
        for (int t = 0; t < frames; t++) {
            s[t + 1] += s[t];
        }
        return s;
    }
}
