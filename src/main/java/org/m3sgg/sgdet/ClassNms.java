package org.m3sgg.sgdet;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 3, STTran's per-frame, per-class NMS in {@code ObjectClassifier} (SGDET test): for each frame and each
 * class column j = 0..35, the rows whose argmax of the distribution is j (recomputed, not the labels; first on
 * ties), sorted by column j descending (a stable sort: the reference's sort is not stable, the fixture has no
 * ties), then the legacy NMS. Output order: frame, class, score descending; features and distribution follow.
 */
public final class ClassNms {

    private ClassNms() {}

    /** The NMS over frames 0..frames-1 at IoU {@code threshold} (held as a C float, as the kernel's). */
    public static BoxSet apply(BoxSet in, int frames, double threshold) {
        int[] starts = in.frameStarts(frames);
        float thr = (float) threshold;
        List<float[]> boxes = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        List<float[]> dist = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            for (int j = 0; j < Detections.CLASSES; j++) {
                List<Integer> rows = new ArrayList<>();
                for (int i = starts[t]; i < starts[t + 1]; i++) {
                    if (DetectorTail.argmax(in.distribution()[i], 0) == j) {
                        rows.add(i);
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                final int col = j;
                rows.sort((a, b) -> Float.compare(in.distribution()[b][col], in.distribution()[a][col]));
                float[][] cand = new float[rows.size()][];
                for (int r = 0; r < cand.length; r++) {
                    cand[r] = in.boxes()[rows.get(r)];
                }
                for (int k : keep(cand, thr)) {
                    int i = rows.get(k);
                    boxes.add(in.boxes()[i]);
                    feats.add(in.features()[i]);
                    dist.add(in.distribution()[i]);
                }
            }
        }
        return new BoxSet(boxes.toArray(new float[0][]), feats.toArray(new float[0][]),
                dist.toArray(new float[0][]), null, null);
    }

    /**
     * Legacy greedy NMS over boxes already in score order: IoU with +1 widths in float32, a box is suppressed when
     * its IoU with a kept box exceeds {@code thr}. Returns the kept positions, ascending.
     *
     * @param boxes [R][5] (frame, x1, y1, x2, y2) or [R][4]; the last four values are the box
     */
    public static int[] keep(float[][] boxes, float thr) {
        int r = boxes.length;
        boolean[] removed = new boolean[r];
        int[] kept = new int[r];
        int n = 0;
        for (int i = 0; i < r; i++) {
            if (removed[i]) {
                continue;
            }
            kept[n++] = i;
            for (int j = i + 1; j < r; j++) {
                if (!removed[j] && iou(boxes[i], boxes[j]) > thr) {
                    removed[j] = true;
                }
            }
        }
        return java.util.Arrays.copyOf(kept, n);
    }

    /** The kernel's {@code devIoU}: +1 widths, float32. */
    static float iou(float[] a, float[] b) {
        int o = a.length - 4;
        float left = Math.max(a[o], b[o]);
        float right = Math.min(a[o + 2], b[o + 2]);
        float top = Math.max(a[o + 1], b[o + 1]);
        float bottom = Math.min(a[o + 3], b[o + 3]);
        float width = Math.max(right - left + 1, 0f);
        float height = Math.max(bottom - top + 1, 0f);
        float inter = width * height;
        float sa = (a[o + 2] - a[o] + 1) * (a[o + 3] - a[o + 1] + 1);
        float sb = (b[o + 2] - b[o] + 1) * (b[o + 3] - b[o + 1] + 1);
        return inter / (sa + sb - inter);
    }
}
