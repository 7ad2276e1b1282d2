package org.m3sgg.detector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.m3sgg.sgdet.ClassNms;

/**
 * STTran's detection loop ({@code object_detector.py}, SGDET) after the network: class-specific boxes from the RoIs
 * and the deltas, and per frame and class the detections.
 */
public final class DetectionLoop {

    private DetectionLoop() {}

    /**
     * {@code PRED_BOXES} of one chunk: deltas times the normalisation stds, {@code bbox_transform_inv} against
     * each RoI, {@code clip_boxes(..., batch_size=1)} (which clips only the chunk's first frame, to the video's
     * first {@code im_info}: frames 1.. keep boxes beyond the right and bottom edges and negative values), then
     * divided by the chunk's first scale.
     *
     * @param rois        the chunk's RoIs [n R][5]
     * @param bboxPred    their deltas [n R][4 K]
     * @param perFrame    R, the RoIs per frame
     * @param clipHeight  {@code im_info[0, 0]} of the video
     * @param clipWidth   {@code im_info[0, 1]} of the video
     * @param scale       {@code im_info[chunk start, 2]}
     * @return [n R][4 K] boxes in original pixels
     */
    public static float[][] predictedBoxes(float[][] rois, float[][] bboxPred, int perFrame, float[] stds,
            float clipHeight, float clipWidth, float scale) {
        float[][] out = new float[rois.length][];
        for (int r = 0; r < rois.length; r++) {
            float[] d = bboxPred[r].clone();
            for (int k = 0; k < d.length; k++) {
                d[k] = d[k] * stds[k % 4] + 0f;
            }
            float[] roi = rois[r];
            float[] pb = BoxTransform.decode(new float[] {roi[1], roi[2], roi[3], roi[4]}, d);
            if (r < perFrame) {
                BoxTransform.clip(pb, clipHeight, clipWidth);
            }
            for (int k = 0; k < pb.length; k++) {
                pb[k] /= scale;
            }
            out[r] = pb;
        }
        return out;
    }

    /** Detections of frames: boxes (frame, x1, y1, x2, y2) not yet clamped, labels, scores, feature rows. */
    public record Found(List<float[]> boxes, List<Integer> labels, List<Float> scores, List<Integer> rows) {
        public Found() {
            this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        }
    }

    /**
     * One frame's detections, appended to {@code found}: for each class j = 1..K-1 the rows
     * {@code r0 .. r0+R-1} whose probability is above the threshold (a float32 comparison), sorted by it
     * descending (stable), the legacy NMS on the class's boxes, for the person (j = 1) only the first survivor;
     * class by class. One row can give several detections (one per class), each keeping the row's feature.
     *
     * @param frame the frame index written in the boxes
     */
    public static void frame(float[][] clsProb, float[][] predBoxes, int r0, int perFrame, int frame,
            double scoreThreshold, double nms, Found found) {
        float thr = (float) scoreThreshold;
        int classes = clsProb[r0].length;
        for (int j = 1; j < classes; j++) {
            List<Integer> inds = new ArrayList<>();
            for (int r = r0; r < r0 + perFrame; r++) {
                if (clsProb[r][j] > thr) {
                    inds.add(r);
                }
            }
            if (inds.isEmpty()) {
                continue;
            }
            final int col = j;
            inds.sort(Comparator.comparingDouble((Integer r) -> clsProb[r][col]).reversed());
            float[][] cand = new float[inds.size()][];
            for (int c = 0; c < cand.length; c++) {
                cand[c] = Arrays.copyOfRange(predBoxes[inds.get(c)], 4 * j, 4 * j + 4);
            }
            int[] keep = ClassNms.keep(cand, (float) nms);
            if (j == 1) {
                keep = Arrays.copyOf(keep, 1); // the person: only the highest-scoring survivor
            }
            for (int k : keep) {
                int r = inds.get(k);
                float[] c = cand[k];
                found.boxes().add(new float[] {frame, c[0], c[1], c[2], c[3]});
                found.labels().add(j);
                found.scores().add(clsProb[r][j]);
                found.rows().add(r);
            }
        }
    }
}
