package org.m3sgg.models.dsgdetr;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.m3sgg.api.KitException;

/**
 * DSG-DETR's object tracks: which boxes of a video are the same object over time. Each track is the list of its
 * box indices (global over the video) in frame order; every box is in exactly one track.
 *
 * <ul>
 *   <li>{@link #byLabel}: PredCLS (oracle tracks): boxes grouped by ground-truth label, labels ascending.</li>
 *   <li>{@link #track}: SGCLS: frame-by-frame Hungarian matching of the frame's boxes (rows) against the live
 *       tracks (columns) on cost {@code wc * cosdist(one-hot class) + wf * cosdist(feature) + wb * L1(normalised
 *       cx, cy, w, h) - wg * GIoU}. An assignment is accepted when its class cost or its feature cost is below
 *       {@code accept}; a rejected or unassigned box starts a new track. A track's class and feature are the means
 *       over its boxes so far; its box is its latest box. A track not matched for {@code maxGap} time units is
 *       dropped from matching. Boxes outside the image stay in the track they joined (or alone) but neither update
 *       nor start a live track.</li>
 * </ul>
 *
 * <p><b>Image size.</b> The reference normalises boxes by the frame's width and height. {@link
 * org.m3sgg.models.RelationInputs} does not carry them, so the extent of the video's boxes (largest x2 and y2,
 * at least 1) stands in: the same for every box of a video, so it rescales the box-L1 cost by a per-video constant
 * close to the image size (boxes of people and held objects span most of Action Genome frames). The
 * out-of-image rule then reduces to negative coordinates.
 *
 * <p><b>Time unit.</b> The reference measures the gap in video frame numbers (drop after 50); the inputs carry
 * the annotated frame index, so {@code maxGap} is in key-frame steps (see {@link DsgDetrConfig#trackMaxGap}).
 */
public final class ObjectTracker {

    /**
     * Matching weights and thresholds.
     *
     * @param classWeight   weight of the class cost (0.5 in the reference)
     * @param featureWeight weight of the feature cost (1)
     * @param boxWeight     weight of the normalised box L1 cost (1)
     * @param giouWeight    weight of the negative GIoU (0.5)
     * @param accept        an assignment is kept when its class or feature cost is below this (0.5)
     * @param maxGap        a track unmatched for at least this many time units is dropped
     */
    public record Params(double classWeight, double featureWeight, double boxWeight, double giouWeight,
            double accept, int maxGap) {

        public Params {
            if (maxGap < 1) {
                throw new KitException("tracker: maxGap must be >= 1, got " + maxGap);
            }
        }

        /** The reference weights {@code HungarianMatcher(0.5, 1, 1, 0.5)} and threshold 0.5. */
        public static Params reference(int maxGap) {
            return new Params(0.5, 1.0, 1.0, 0.5, 0.5, maxGap);
        }
    }

    private ObjectTracker() {}

    /** Oracle tracks: boxes grouped by label, groups in ascending label order (PyTorch's {@code unique}). */
    public static List<int[]> byLabel(int[] labels) {
        TreeMap<Integer, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            groups.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> g : groups.values()) {
            out.add(g.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /** A live track: its cluster (index into the track list), latest box and time, and running sums. */
    private static final class Live {
        final int cluster;
        double[] box;        // x1, y1, x2, y2 in pixels
        int time;
        boolean updated;

        Live(int cluster, double[] box, int time) {
            this.cluster = cluster;
            this.box = box;
            this.time = time;
        }
    }

    /**
     * Hungarian tracking over the frames 0 .. max(boxFrame), in order.
     *
     * @param boxes        [N][4] x1, y1, x2, y2
     * @param features     [N][F] box features
     * @param distribution [N][K] detector class distribution (only its argmax is used, as a one-hot)
     * @param boxFrame     [N] frame index of each box (the time unit of {@code maxGap})
     */
    public static List<int[]> track(double[][] boxes, double[][] features, double[][] distribution, int[] boxFrame,
            Params p) {
        double width = 1;
        double height = 1;
        int frames = 0;
        for (int i = 0; i < boxes.length; i++) {
            width = Math.max(width, boxes[i][2]);
            height = Math.max(height, boxes[i][3]);
            frames = Math.max(frames, boxFrame[i] + 1);
        }
        int[] time = new int[frames];
        for (int t = 0; t < frames; t++) {
            time[t] = t;
        }
        return track(boxes, features, distribution, boxFrame, time, width, height, false, p);
    }

    /**
     * The reference's tracker with the image size and the video frame number of each frame known.
     *
     * @param frameTime   [T] the time of frame t in the unit of {@code maxGap} (the reference: the key frame's video
     *                    frame number, maxGap 50)
     * @param imageWidth  image width W in the boxes' pixels
     * @param imageHeight image height H
     * @param swapped     the reference's quirk: boxes normalised by (H, W, H, W) instead of (W, H, W, H) (its
     *                    {@code w, h = shape} with {@code shape = im_info[:2] / scale} = (H, W)); the out-of-image
     *                    rule is not affected
     */
    public static List<int[]> track(double[][] boxes, double[][] features, double[][] distribution, int[] boxFrame,
            int[] frameTime, double imageWidth, double imageHeight, boolean swapped, Params p) {
        int n = boxes.length;
        if (features.length != n || distribution.length != n || boxFrame.length != n) {
            throw new IllegalArgumentException("tracker: " + n + " boxes, " + features.length + " features, "
                    + distribution.length + " distributions, " + boxFrame.length + " frame ids");
        }
        int frames = frameTime.length;
        for (int i = 0; i < n; i++) {
            if (boxFrame[i] < 0 || boxFrame[i] >= frames) {
                throw new IllegalArgumentException("tracker: box " + i + " in frame " + boxFrame[i] + " of " + frames);
            }
        }
        double width = swapped ? imageHeight : imageWidth;
        double height = swapped ? imageWidth : imageHeight;
        int[] cls = new int[n];
        for (int i = 0; i < n; i++) {
            cls[i] = argmax(distribution[i]);
        }
        int k = n == 0 ? 0 : distribution[0].length;
        int f = n == 0 ? 0 : features[0].length;
        List<List<Integer>> clusters = new ArrayList<>();
        List<double[]> featSum = new ArrayList<>();     // per cluster: sum of member features
        List<double[]> clsSum = new ArrayList<>();      // per cluster: sum of member one-hot classes
        List<Integer> members = new ArrayList<>();      // per cluster: boxes in the sums
        List<Live> live = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            List<Integer> frame = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (boxFrame[i] == t) {
                    frame.add(i);
                }
            }
            for (Live l : live) {
                l.updated = false;
            }
            int rows = frame.size();
            boolean[] assignedRow = new boolean[rows];
            List<Live> born = new ArrayList<>();
            if (!live.isEmpty() && rows > 0) {
                int cols = live.size();
                double[][] cClass = new double[rows][cols];
                double[][] cFeat = new double[rows][cols];
                double[][] cost = new double[rows][cols];
                for (int r = 0; r < rows; r++) {
                    int i = frame.get(r);
                    double[] onehot = new double[k];
                    onehot[cls[i]] = 1;
                    double[] nb = normCxcywh(boxes[i], width, height);
                    for (int c = 0; c < cols; c++) {
                        Live l = live.get(c);
                        int m = members.get(l.cluster);
                        cClass[r][c] = cosineDistance(onehot, clsSum.get(l.cluster), m);
                        cFeat[r][c] = cosineDistance(features[i], featSum.get(l.cluster), m);
                        double[] tb = normCxcywh(l.box, width, height);
                        double l1 = 0;
                        for (int q = 0; q < 4; q++) {
                            l1 += Math.abs(nb[q] - tb[q]);
                        }
                        double giou = giou(toXyxy(nb), toXyxy(tb));
                        cost[r][c] = p.classWeight() * cClass[r][c] + p.featureWeight() * cFeat[r][c]
                                + p.boxWeight() * l1 - p.giouWeight() * giou;
                    }
                }
                int[] match = Hungarian.assign(cost);
                for (int r = 0; r < rows; r++) {
                    int c = match[r];
                    if (c < 0) {
                        continue;
                    }
                    assignedRow[r] = true;
                    int i = frame.get(r);
                    if (cClass[r][c] < p.accept() || cFeat[r][c] < p.accept()) {
                        Live l = live.get(c);
                        clusters.get(l.cluster).add(i);
                        if (inside(boxes[i], imageWidth, imageHeight)) {
                            add(featSum, clsSum, members, l.cluster, features[i], cls[i]);
                            l.box = boxes[i];
                            l.time = frameTime[t];
                            l.updated = true;
                        }
                    } else {
                        startTrack(i, frameTime[t], imageWidth, imageHeight, boxes, features, cls, f, k, clusters, featSum,
                                clsSum, members, born);
                    }
                }
            }
            for (int r = 0; r < rows; r++) {
                if (!assignedRow[r]) {
                    startTrack(frame.get(r), frameTime[t], imageWidth, imageHeight, boxes, features, cls, f, k, clusters,
                            featSum, clsSum, members, born);
                }
            }
            List<Live> next = new ArrayList<>();
            for (Live l : live) {
                if (l.updated || frameTime[t] - l.time < p.maxGap()) {
                    next.add(l);
                }
            }
            next.addAll(born);
            live = next;
        }
        List<int[]> out = new ArrayList<>();
        for (List<Integer> c : clusters) {
            out.add(c.stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    private static void startTrack(int i, int t, double imageWidth, double imageHeight, double[][] boxes, double[][] features, int[] cls, int f, int k,
            List<List<Integer>> clusters, List<double[]> featSum, List<double[]> clsSum, List<Integer> members,
            List<Live> born) {
        List<Integer> c = new ArrayList<>();
        c.add(i);
        clusters.add(c);
        featSum.add(new double[f]);
        clsSum.add(new double[k]);
        members.add(0);
        int id = clusters.size() - 1;
        if (inside(boxes[i], imageWidth, imageHeight)) {
            add(featSum, clsSum, members, id, features[i], cls[i]);
            born.add(new Live(id, boxes[i], t));
        }
    }

    private static void add(List<double[]> featSum, List<double[]> clsSum, List<Integer> members, int cluster,
            double[] feature, int cls) {
        double[] s = featSum.get(cluster);
        for (int q = 0; q < s.length; q++) {
            s[q] += feature[q];
        }
        clsSum.get(cluster)[cls] += 1;
        members.set(cluster, members.get(cluster) + 1);
    }

    /** The reference's rule: x1, y1 >= 0, x2 <= W, y2 <= H (with the video extent as the image, only negative
     * coordinates leave it). */
    private static boolean inside(double[] b, double imageWidth, double imageHeight) {
        return b[0] >= 0 && b[1] >= 0 && b[0] + (b[2] - b[0]) <= imageWidth && b[1] + (b[3] - b[1]) <= imageHeight;
    }

    /** {@code 1 - cos(x, mean)} where {@code mean = sum / m}, each vector normalised with +1e-12 as the reference. */
    static double cosineDistance(double[] x, double[] sum, int m) {
        double nx = 0;
        double ny = 0;
        double dot = 0;
        for (int q = 0; q < x.length; q++) {
            double y = sum[q] / m;
            nx += x[q] * x[q];
            ny += y * y;
            dot += x[q] * y;
        }
        return 1 - dot / ((Math.sqrt(nx) + 1e-12) * (Math.sqrt(ny) + 1e-12));
    }

    /** x1, y1, x2, y2 in pixels -> cx, cy, w, h divided by the image size. */
    static double[] normCxcywh(double[] b, double width, double height) {
        double w = b[2] - b[0];
        double h = b[3] - b[1];
        return new double[] {(b[0] + w / 2) / width, (b[1] + h / 2) / height, w / width, h / height};
    }

    private static double[] toXyxy(double[] c) {
        return new double[] {c[0] - 0.5 * c[2], c[1] - 0.5 * c[3], c[0] + 0.5 * c[2], c[1] + 0.5 * c[3]};
    }

    /** Generalised IoU of two x1, y1, x2, y2 boxes (0 for degenerate boxes with no enclosing area). */
    static double giou(double[] a, double[] b) {
        double areaA = (a[2] - a[0]) * (a[3] - a[1]);
        double areaB = (b[2] - b[0]) * (b[3] - b[1]);
        double iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = iw * ih;
        double union = areaA + areaB - inter;
        double ew = Math.max(a[2], b[2]) - Math.min(a[0], b[0]);
        double eh = Math.max(a[3], b[3]) - Math.min(a[1], b[1]);
        double enclosing = ew * eh;
        if (union <= 0 || enclosing <= 0) {
            return 0;
        }
        return inter / union - (enclosing - union) / enclosing;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int q = 1; q < v.length; q++) {
            if (v[q] > v[best]) {
                best = q;
            }
        }
        return best;
    }
}
