package org.m3sgg.sgdet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.sgdet.RelationAssigner.Assignment;

/**
 * STTran's SGDET object pipeline between the detector and the relation model, for one video: {@link #test} (the
 * detector tail and {@code ObjectClassifier}'s SGDET test path) and {@link #train} ({@code assign_relations},
 * SUPPLY, pairs). Models never call it with files: callers hand in the detections, the frame maps and the head.
 */
public final class SgdetPipeline {

    private final BoxHead head;
    private final SgdetOptions options;

    /**
     * @param head the detector's box head: class logits when detections carry no distribution, features of
     *             supplied ground-truth boxes in training (may be null for a test run whose detections carry a
     *             distribution)
     */
    public SgdetPipeline(BoxHead head, SgdetOptions options) {
        if (options == null) {
            throw new KitException("sgdet: options missing");
        }
        this.head = head;
        this.options = options;
    }

    public SgdetOptions options() {
        return options;
    }

    /**
     * The test path: tail, {@code clean_class} for each option class, per-class NMS, labels and scores, one
     * human per frame, pairs (human, every other box), union boxes (float32 scale round trip), union features,
     * masks. A frame without boxes has no human ({@code -1}) and no pairs.
     */
    public TestEntry test(Detections det, FrameMaps maps) {
        int frames = maps.frames();
        checkFrames(det, frames);
        checkHead(det, maps);
        BoxSet tail = DetectorTail.apply(det, head);
        BoxSet clean = CleanClass.applyAll(tail, options.cleanClasses(), frames);
        BoxSet kept = ClassNms.apply(clean, frames, options.nmsThreshold());
        int m = kept.size();
        float[][] dist = kept.distribution();
        int[] labels = new int[m];
        float[] scores = new float[m];
        for (int i = 0; i < m; i++) {
            int a = DetectorTail.argmax(dist[i], 1);
            labels[i] = a + 1;
            scores[i] = dist[i][a];
        }
        int[] starts = kept.frameStarts(frames);
        int[] human = new int[frames];
        List<int[]> pairs = new ArrayList<>();
        List<Integer> imIdx = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            human[t] = -1;
            for (int i = starts[t]; i < starts[t + 1]; i++) {
                if (human[t] < 0 || dist[i][0] > dist[human[t]][0]) {
                    human[t] = i;
                }
            }
            if (human[t] >= 0) {
                labels[human[t]] = 1;
                scores[human[t]] = dist[human[t]][0];
            }
        }
        for (int t = 0; t < frames; t++) {
            for (int i = starts[t]; i < starts[t + 1]; i++) {
                if (labels[i] != 1) {
                    pairs.add(new int[] {human[t], i});
                    imIdx.add(t);
                }
            }
        }
        int[][] pairArr = pairs.toArray(new int[0][]);
        int[] im = imIdx.stream().mapToInt(Integer::intValue).toArray();
        float[][] nmsBoxes = kept.boxes();
        float[][] boxes = roundTrip(nmsBoxes, maps.scales());
        float[][] union = PairGeometry.unionBoxes(nmsBoxes, pairArr, im, maps.scales());
        float[] unionFeat = PairGeometry.unionFeatures(maps, union);
        float[] masks = PairGeometry.masks(boxes, pairArr);
        return new TestEntry(boxes, copy(nmsBoxes), copy(dist), copy(kept.features()), labels, scores, human,
                starts, pairArr, im, union, unionFeat, masks);
    }

    /**
     * The training path: tail boxes (clamped at 0), {@code assign_relations} per frame, SUPPLY of unmatched
     * ground truth (when on), the distribution of every row from the head, pairs (subject per
     * {@link SgdetOptions#subject()}, one per matched or supplied object), union boxes, union features, masks.
     *
     * @param truth one entry per frame, {@code maps.frames()} of them
     */
    public TrainEntry train(Detections det, FrameMaps maps, List<FrameTruth> truth) {
        int frames = maps.frames();
        if (truth.size() != frames) {
            throw new KitException("sgdet: " + truth.size() + " ground-truth frames for " + frames + " frame maps");
        }
        if (head == null) {
            throw new KitException("sgdet: training needs the box head (distributions, supplied boxes)");
        }
        checkFrames(det, frames);
        checkHead(det, maps);
        float[][] clamped = DetectorTail.clampBoxes(det.boxes());
        int[] detStart = BoxSet.frameStarts(clamped, frames);
        float[] detScores = det.scores() != null ? det.scores() : DetectorTail.apply(det, head).scores();
        int[] assigned = new int[det.size()];
        Assignment[] assignments = new Assignment[frames];
        List<float[]> boxes = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        int[] start = new int[frames + 1];
        for (int t = 0; t < frames; t++) {
            start[t] = boxes.size();
            int s = detStart[t];
            int n = detStart[t + 1] - s;
            float[][] local = Arrays.copyOfRange(clamped, s, s + n);
            Assignment a = RelationAssigner.assign(local, truth.get(t), options.assignIou());
            System.arraycopy(a.labels(), 0, assigned, s, n);
            for (int i = 0; i < n; i++) {
                boxes.add(local[i]);
                feats.add(det.features()[s + i].clone());
                labels.add(a.labels()[i]);
                scores.add(detScores[s + i]);
            }
            int[] found = a.found();
            int[] gt = a.gt();
            if (options.supply() && a.supply().length > 0) {
                int k = a.supply().length;
                float scale = maps.scales()[t];
                float[][] scaled = new float[k][];
                found = Arrays.copyOf(found, found.length + k);
                gt = Arrays.copyOf(gt, gt.length + k);
                for (int j = 0; j < k; j++) {
                    int g = a.supply()[j];
                    double[] b = truth.get(t).box(g);
                    scaled[j] = new float[] {t, (float) (b[0] * scale), (float) (b[1] * scale),
                        (float) (b[2] * scale), (float) (b[3] * scale)};
                    found[a.found().length + j] = n + j;
                    gt[a.gt().length + j] = g;
                }
                float[][] pooled = head.features(maps, scaled);
                for (int j = 0; j < k; j++) {
                    float[] back = new float[5];
                    back[0] = t;
                    for (int c = 1; c < 5; c++) {
                        back[c] = scaled[j][c] / scale;
                    }
                    boxes.add(back);
                    feats.add(pooled[j]);
                    labels.add(truth.get(t).label(a.supply()[j]));
                    scores.add(1f);
                }
            }
            assignments[t] = new Assignment(a.labels(), found, gt, a.supply());
        }
        start[frames] = boxes.size();
        float[][] boxArr = boxes.toArray(new float[0][]);
        float[][] featArr = feats.toArray(new float[0][]);
        float[][] dist = new float[featArr.length][];
        for (int i = 0; i < featArr.length; i++) {
            dist[i] = DetectorTail.distribution(head.classLogits(featArr[i]));
        }
        List<int[]> pairs = new ArrayList<>();
        List<int[]> pairGt = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            Assignment a = assignments[t];
            int kkk = -1;
            for (int k = 0; k < a.gt().length; k++) {
                if (a.gt()[k] == 0) {
                    kkk = k;
                    break;
                }
            }
            if (kkk < 0) {
                continue; // person neither matched nor supplied (SUPPLY off): no subject, no pairs
            }
            int rows = start[t + 1] - start[t];
            int local = options.subject() == SgdetOptions.Subject.REFERENCE ? kkk : a.found()[kkk];
            if (local >= rows) {
                throw new KitException("sgdet: frame " + t + ": the reference subject rule picks box " + local
                        + " of a frame with " + rows + " boxes");
            }
            for (int m = 0; m < a.found().length; m++) {
                if (a.gt()[m] != 0) {
                    pairs.add(new int[] {start[t] + local, start[t] + a.found()[m]});
                    pairGt.add(new int[] {t, a.gt()[m]});
                }
            }
        }
        int[][] pairArr = pairs.toArray(new int[0][]);
        int[] im = new int[pairArr.length];
        for (int p = 0; p < im.length; p++) {
            im[p] = pairGt.get(p)[0];
        }
        float[][] union = PairGeometry.unionBoxes(boxArr, pairArr, im, maps.scales());
        float[] unionFeat = PairGeometry.unionFeatures(maps, union);
        float[] masks = PairGeometry.masks(boxArr, pairArr);
        float[] sc = new float[scores.size()];
        for (int i = 0; i < sc.length; i++) {
            sc[i] = scores.get(i);
        }
        return new TrainEntry(boxArr, labels.stream().mapToInt(Integer::intValue).toArray(), sc, featArr, dist,
                assigned, assignments, start, pairArr, im, pairGt.toArray(new int[0][]), union, unionFeat, masks);
    }

    /** {@code boxes[:, 1:] * scale / scale} in float32, the frame's scale. */
    static float[][] roundTrip(float[][] boxes, float[] scales) {
        float[][] out = new float[boxes.length][5];
        for (int i = 0; i < boxes.length; i++) {
            float s = scales[(int) boxes[i][0]];
            out[i][0] = boxes[i][0];
            for (int k = 1; k < 5; k++) {
                out[i][k] = (boxes[i][k] * s) / s;
            }
        }
        return out;
    }

    private static void checkFrames(Detections det, int frames) {
        for (int i = 0; i < det.size(); i++) {
            if (det.frame(i) >= frames) {
                throw new KitException("sgdet: detection " + i + " is on frame " + det.frame(i) + " of a video with "
                        + frames + " frame maps");
            }
        }
    }

    private void checkHead(Detections det, FrameMaps maps) {
        if (head != null && det.size() > 0 && det.features()[0].length != head.featureDim()) {
            throw new KitException("sgdet: detection features have " + det.features()[0].length
                    + " values, the box head " + head.featureDim());
        }
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
