package org.m3sgg.features;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.sgdet.FrameMaps;

/**
 * The detections of one video: {@code <VID>.mp4.npz} of a detections folder (format in {@code datasets/README.md},
 * "Detections format"), or the synthetic world's detector's output. Immutable and checked on construction; every
 * problem is one {@link KitException} naming the source (file), the array and the row or frame.
 *
 * <pre>
 *   frames       [T]           int64    annotated frame numbers, strictly ascending
 *   scales       [T]           float32  blob = original * scale (STTran: 600 / the frame's short side)
 *   image_size   [2]           int64    (height, width) of the original frames
 *   boxes        [N, 5]        float32  (frame index 0..T-1, x1, y1, x2, y2) in original pixels; per frame contiguous;
 *                                      within the frame, or beyond its right/bottom edge with meta.json "boxes": "reference"
 *   features     [N, F]        float32  RoI features
 *   distribution [N, 36]       float32  class probabilities over labels 1..36 (no background), rows sum to 1
 *   scores       [N]           float32  optional: the detector's confidence
 *   labels       [N]           int64    optional: the detector's label 1..36
 *   maps         [T, C, H, W]  float16 or float32 (meta.json's map_dtype): the stride-16 feature maps
 * </pre>
 * Map size rule: with {@code blobH = max_t round(height * scale_t)} (and blobW alike), H must lie within one cell of
 * {@code ceil(blobH / 16)} (detectors pad and round differently; STTran's ResNet gives the ceiling).
 */
public final class VideoDetections {

    /** Classes of a distribution row (labels 1..36). */
    public static final int CLASSES = VideoFeatures.DISTRIBUTION_CLASSES;
    /** How far a distribution row's sum may be from 1. */
    public static final double SUM_TOLERANCE = 1e-3;
    /**
     * How far (original pixels) a box may reach outside the frame (beyond the left/top edge only, when the meta's
     * {@code boxes} is {@code reference}).
     */
    public static final double EDGE_TOLERANCE = 1.0;

    private final String videoId;
    private final String source;
    private final long[] frames;
    private final float[] scales;
    private final int imageHeight;
    private final int imageWidth;
    private final float[] boxes;
    private final float[] features;
    private final float[] distribution;
    private final float[] scores;
    private final long[] labels;
    private final FrameMaps maps;
    private final int featureDim;
    private final boolean beyondEdge;
    private final int[] frameStart; // [T + 1] row ranges per frame

    /**
     * Checks and wraps one video's arrays (not copied).
     *
     * @param source what to name in errors (the file)
     * @param scores null when absent
     * @param labels null when absent
     * @param maps   [T * C * H * W]
     */
    public VideoDetections(String videoId, String source, DetectionsMeta meta, long[] frames, float[] scales,
            int imageHeight, int imageWidth, float[] boxes, float[] features, float[] distribution, float[] scores,
            long[] labels, float[] maps, int mapHeight, int mapWidth) {
        this.videoId = videoId;
        this.source = source;
        this.frames = frames;
        this.scales = scales;
        this.imageHeight = imageHeight;
        this.imageWidth = imageWidth;
        this.boxes = boxes;
        this.features = features;
        this.distribution = distribution;
        this.scores = scores;
        this.labels = labels;
        this.featureDim = meta.featureDim();
        this.beyondEdge = meta.boxesBeyondEdge();
        int t = frames.length;
        if (imageHeight < 1 || imageWidth < 1) {
            throw fail("'image_size' is (" + imageHeight + ", " + imageWidth + "): expected positive (height, width)");
        }
        if (t == 0) {
            throw fail("'frames' is empty: a video needs at least one annotated frame");
        }
        if (scales.length != t) {
            throw fail("'scales' has " + scales.length + " values for " + t + " frames");
        }
        for (int i = 0; i < t; i++) {
            if (frames[i] < 0 || frames[i] > Integer.MAX_VALUE) {
                throw fail("'frames' entry " + i + " is " + frames[i] + ": expected a frame number >= 0");
            }
            if (i > 0 && frames[i] <= frames[i - 1]) {
                throw fail("'frames' not ascending: entry " + i + " is " + frames[i] + " after " + frames[i - 1]);
            }
            if (!(scales[i] > 0) || !Float.isFinite(scales[i])) {
                throw fail("'scales' entry " + i + " (frame " + frames[i] + ") is " + scales[i]
                        + ": expected a positive finite factor");
            }
        }
        int n = boxes.length / 5;
        if (boxes.length % 5 != 0 || features.length != (long) n * featureDim
                || distribution.length != (long) n * CLASSES) {
            throw fail("arrays do not match: " + n + " boxes, " + features.length + " feature values (F = "
                    + featureDim + "), " + distribution.length + " distribution values");
        }
        if (scores != null && scores.length != n || labels != null && labels.length != n) {
            throw fail("'scores'/'labels' must have one value per box (" + n + ")");
        }
        frameStart = new int[t + 1];
        int frame = 0;
        for (int r = 0; r < n; r++) {
            float fi = boxes[5 * r];
            if (!(fi >= 0 && fi < t) || fi != (int) fi) {
                throw fail("'boxes' row " + r + " has frame index " + fi + ": expected an integer 0.." + (t - 1));
            }
            int k = (int) fi;
            if (k < frame) {
                throw fail("'boxes' row " + r + " (frame index " + k + ") comes after frame index " + frame
                        + ": rows must be grouped by frame, in frame order");
            }
            while (frame < k) {
                frameStart[++frame] = r;
            }
            checkBox(r, k);
            for (int i = 0; i < featureDim; i++) {
                if (!Float.isFinite(features[r * featureDim + i])) {
                    throw fail("'features' row " + r + " (frame " + frames[k] + ") has " + features[r * featureDim + i]
                            + " at column " + i);
                }
            }
            checkDistribution(r, k);
            if (scores != null && !(scores[r] >= 0 && scores[r] <= 1)) {
                throw fail("'scores' row " + r + " (frame " + frames[k] + ") is " + scores[r] + ": expected 0..1");
            }
            if (labels != null && (labels[r] < 1 || labels[r] > CLASSES)) {
                throw fail("'labels' row " + r + " (frame " + frames[k] + ") is " + labels[r] + ": expected 1..36");
            }
        }
        while (frame < t) {
            frameStart[++frame] = n;
        }
        this.maps = checkMaps(meta, maps, mapHeight, mapWidth);
    }

    private void checkBox(int r, int k) {
        float x1 = boxes[5 * r + 1];
        float y1 = boxes[5 * r + 2];
        float x2 = boxes[5 * r + 3];
        float y2 = boxes[5 * r + 4];
        String at = "'boxes' row " + r + " (frame " + frames[k] + ") is (" + x1 + ", " + y1 + ", " + x2 + ", " + y2
                + ")";
        if (!Float.isFinite(x1) || !Float.isFinite(y1) || !Float.isFinite(x2) || !Float.isFinite(y2)) {
            throw fail(at + ": not finite");
        }
        if (x2 < x1 || y2 < y1) {
            throw fail(at + ": inverted (expected x1 <= x2 and y1 <= y2)");
        }
        double e = EDGE_TOLERANCE;
        if (beyondEdge) {
            if (x1 < -e || y1 < -e) {
                throw fail(at + ": beyond the left/top edge of the " + imageWidth + "x" + imageHeight + " frame");
            }
        } else if (x1 < -e || y1 < -e || x2 > imageWidth + e || y2 > imageHeight + e) {
            throw fail(at + ": outside the " + imageWidth + "x" + imageHeight + " frame (meta.json \"boxes\": \""
                    + DetectionsMeta.CLIPPED + "\"; \"" + DetectionsMeta.REFERENCE
                    + "\" allows boxes beyond the right/bottom edge)");
        }
    }

    private void checkDistribution(int r, int k) {
        double sum = 0;
        for (int c = 0; c < CLASSES; c++) {
            float p = distribution[r * CLASSES + c];
            if (!(p >= 0) || !Float.isFinite(p)) {
                throw fail("'distribution' row " + r + " (frame " + frames[k] + ") has " + p + " for label " + (c + 1)
                        + ": expected probabilities >= 0");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > SUM_TOLERANCE) {
            throw fail("'distribution' row " + r + " (frame " + frames[k] + ") sums to " + sum
                    + ": expected 1 (within " + SUM_TOLERANCE + ")");
        }
    }

    private FrameMaps checkMaps(DetectionsMeta meta, float[] data, int h, int w) {
        int t = frames.length;
        int c = meta.mapChannels();
        if (h < 1 || w < 1 || data.length != (long) t * c * h * w) {
            throw fail("'maps' has " + data.length + " values: expected T*C*H*W with T = " + t + ", C = " + c
                    + " (meta.json), H = " + h + ", W = " + w);
        }
        int blobH = 0;
        int blobW = 0;
        for (float s : scales) {
            blobH = Math.max(blobH, Math.round(imageHeight * s));
            blobW = Math.max(blobW, Math.round(imageWidth * s));
        }
        int wantH = (blobH + DetectionsMeta.STRIDE - 1) / DetectionsMeta.STRIDE;
        int wantW = (blobW + DetectionsMeta.STRIDE - 1) / DetectionsMeta.STRIDE;
        if (Math.abs(h - wantH) > 1 || Math.abs(w - wantW) > 1) {
            throw fail("'maps' is " + h + "x" + w + " cells: expected " + wantH + "x" + wantW + " (+-1) for "
                    + imageWidth + "x" + imageHeight + " frames at scale " + scales[0] + " and stride 16");
        }
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                int plane = h * w;
                throw fail("'maps' has " + data[i] + " in frame " + frames[i / (c * plane)] + ", channel "
                        + (i / plane) % c);
            }
        }
        return new FrameMaps(t, c, h, w, data, scales, 1f / DetectionsMeta.STRIDE);
    }

    private KitException fail(String what) {
        return new KitException(source + ": " + what);
    }

    /** Per-row arrays joined in order: the flat boxes, features, distributions or maps the constructor takes. */
    public static float[] concat(java.util.List<float[]> rows) {
        int len = 0;
        for (float[] r : rows) {
            len += r.length;
        }
        float[] out = new float[len];
        int at = 0;
        for (float[] r : rows) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    /** Reads and checks one video's file of a detections folder. */
    public static VideoDetections read(Path file, String videoId, DetectionsMeta meta) {
        Map<String, NdArray> a = Npz.read(file);
        String src = file.toString();
        NdArray frames = require(a, "frames", src, true, 1);
        NdArray scales = require(a, "scales", src, false, 1);
        NdArray size = require(a, "image_size", src, true, 1);
        NdArray boxes = require(a, "boxes", src, false, 2);
        NdArray feats = require(a, "features", src, false, 2);
        NdArray dist = require(a, "distribution", src, false, 2);
        NdArray maps = a.get("maps");
        if (maps == null) {
            throw new KitException(src + ": missing array 'maps' (has " + a.keySet() + ")");
        }
        if (maps.dtype() != meta.mapType() || maps.rank() != 4) {
            throw new KitException(src + ": 'maps' is " + maps.dtype().descr + " of shape "
                    + Arrays.toString(maps.shape()) + ": expected " + meta.mapDtype() + " (meta.json) [T, C, H, W]");
        }
        int t = frames.dim(0);
        int n = boxes.dim(0);
        shape(size, src, "image_size", 2);
        shape(scales, src, "scales", t);
        shape(boxes, src, "boxes", -1, 5);
        shape(feats, src, "features", n, meta.featureDim());
        shape(dist, src, "distribution", n, CLASSES);
        shape(maps, src, "maps", t, meta.mapChannels(), -1, -1);
        float[] scores = null;
        long[] labels = null;
        if (a.containsKey("scores")) {
            NdArray s = require(a, "scores", src, false, 1);
            shape(s, src, "scores", n);
            scores = s.floats();
        }
        if (a.containsKey("labels")) {
            NdArray l = require(a, "labels", src, true, 1);
            shape(l, src, "labels", n);
            labels = l.longs();
        }
        long[] hw = size.longs();
        if (hw[0] < 1 || hw[1] < 1 || hw[0] > 1 << 16 || hw[1] > 1 << 16) {
            throw new KitException(src + ": 'image_size' is " + Arrays.toString(hw)
                    + ": expected (height, width) in pixels, 1..65536");
        }
        return new VideoDetections(videoId, src, meta, frames.longs(), scales.floats(), (int) hw[0], (int) hw[1],
                boxes.floats(), feats.floats(), dist.floats(), scores, labels, maps.floats(), maps.dim(2),
                maps.dim(3));
    }

    private static NdArray require(Map<String, NdArray> a, String name, String src, boolean integer, int rank) {
        NdArray x = a.get(name);
        if (x == null) {
            throw new KitException(src + ": missing array '" + name + "' (has " + a.keySet() + ")");
        }
        boolean ok = integer ? x.dtype() == NdArray.DType.I8 || x.dtype() == NdArray.DType.I4
                : x.dtype() == NdArray.DType.F4 || x.dtype() == NdArray.DType.F8;
        if (!ok) {
            throw new KitException(src + ": '" + name + "' is " + x.dtype().descr + ": expected "
                    + (integer ? "int64" : "float32"));
        }
        if (x.rank() != rank) {
            throw new KitException(src + ": '" + name + "' has shape " + Arrays.toString(x.shape()) + ": expected "
                    + rank + " dimension" + (rank == 1 ? "" : "s"));
        }
        return x;
    }

    /** Checks the shape; -1 accepts any length on that axis. */
    private static void shape(NdArray a, String src, String name, int... expected) {
        boolean ok = a.rank() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = expected[i] < 0 || a.dim(i) == expected[i];
        }
        if (!ok) {
            throw new KitException(src + ": '" + name + "' has shape " + Arrays.toString(a.shape()) + ": expected "
                    + Arrays.toString(expected).replace("-1", "*"));
        }
    }

    /** The arrays of the file, in the order they are written ({@code maps} in the meta's type). */
    public Map<String, NdArray> arrays(DetectionsMeta meta) {
        int n = boxCount();
        int t = frameCount();
        Map<String, NdArray> out = new LinkedHashMap<>();
        out.put("frames", NdArray.of(frames.clone(), t));
        out.put("scales", NdArray.of(scales.clone(), t));
        out.put("image_size", NdArray.of(new long[] {imageHeight, imageWidth}, 2));
        out.put("boxes", NdArray.of(boxes.clone(), n, 5));
        out.put("features", NdArray.of(features.clone(), n, featureDim));
        out.put("distribution", NdArray.of(distribution.clone(), n, CLASSES));
        if (scores != null) {
            out.put("scores", NdArray.of(scores.clone(), n));
        }
        if (labels != null) {
            out.put("labels", NdArray.of(labels.clone(), n));
        }
        int[] shape = {t, maps.channels(), maps.height(), maps.width()};
        out.put("maps", meta.mapType() == NdArray.DType.F2 ? NdArray.half(maps.data(), shape)
                : NdArray.of(maps.data().clone(), shape));
        return out;
    }

    /** Writes {@code dir/<videoId>.npz} atomically. */
    public Path write(Path dir, DetectionsMeta meta) {
        Path file = dir.resolve(videoId + ".npz");
        Npz.write(file, arrays(meta));
        return file;
    }

    public String videoId() {
        return videoId;
    }

    /** The file (or, on the fly, the description) named in errors. */
    public String source() {
        return source;
    }

    public int frameCount() {
        return frames.length;
    }

    public int boxCount() {
        return boxes.length / 5;
    }

    public int featureDim() {
        return featureDim;
    }

    public int imageHeight() {
        return imageHeight;
    }

    public int imageWidth() {
        return imageWidth;
    }

    /** The frame number of frame index {@code t}. */
    public int frameNumber(int t) {
        return (int) frames[t];
    }

    /** Frame numbers, ascending (a copy). */
    public long[] frames() {
        return frames.clone();
    }

    /** blob = original * scale, per frame (a copy). */
    public float[] scales() {
        return scales.clone();
    }

    /** First box row of frame index {@code t}; the frame's rows are {@code [firstBox(t), firstBox(t + 1))}. */
    public int firstBox(int t) {
        return frameStart[t];
    }

    /** (frame index, x1, y1, x2, y2) of box {@code r}, original pixels (a copy). */
    public float[] box(int r) {
        return Arrays.copyOfRange(boxes, 5 * r, 5 * r + 5);
    }

    /** [N * 5] (not copied: do not modify). */
    public float[] boxes() {
        return boxes;
    }

    /** [N * F] (not copied: do not modify). */
    public float[] features() {
        return features;
    }

    public float[] feature(int r) {
        return Arrays.copyOfRange(features, r * featureDim, (r + 1) * featureDim);
    }

    /** [N * 36] (not copied: do not modify). */
    public float[] distribution() {
        return distribution;
    }

    public float[] distribution(int r) {
        return Arrays.copyOfRange(distribution, r * CLASSES, (r + 1) * CLASSES);
    }

    /** The detector's confidences, or null when the file has none. */
    public float[] scores() {
        return scores;
    }

    /** The detector's labels 1..36, or null when the file has none. */
    public long[] labels() {
        return labels;
    }

    /** The frame maps with the scales, spatial scale 1/16. */
    public FrameMaps maps() {
        return maps;
    }

    /**
     * Collects one video's detections frame by frame and checks and writes them (atomically, like
     * {@link VideoFeatures.Builder}): {@code frame(...)} starts a frame with its map, {@code addBox(...)} adds the
     * frame's boxes. Scores and labels are written when every box has them.
     */
    public static final class Builder {
        private final DetectionsMeta meta;
        private final int imageHeight;
        private final int imageWidth;
        private final int mapHeight;
        private final int mapWidth;
        private final java.util.List<Long> frames = new java.util.ArrayList<>();
        private final java.util.List<Float> scales = new java.util.ArrayList<>();
        private final java.util.List<float[]> maps = new java.util.ArrayList<>();
        private final java.util.List<float[]> boxes = new java.util.ArrayList<>();
        private final java.util.List<float[]> features = new java.util.ArrayList<>();
        private final java.util.List<float[]> dists = new java.util.ArrayList<>();
        private final java.util.List<Float> scores = new java.util.ArrayList<>();
        private final java.util.List<Long> labels = new java.util.ArrayList<>();

        /** A video of {@code imageWidth x imageHeight} frames whose maps are {@code mapHeight x mapWidth} cells. */
        public Builder(DetectionsMeta meta, int imageHeight, int imageWidth, int mapHeight, int mapWidth) {
            this.meta = meta;
            this.imageHeight = imageHeight;
            this.imageWidth = imageWidth;
            this.mapHeight = mapHeight;
            this.mapWidth = mapWidth;
        }

        /** Starts the next annotated frame: its number, its resize factor and its map {@code [C * H * W]}. */
        public Builder frame(long frameNumber, float scale, float[] map) {
            if (map.length != meta.mapChannels() * mapHeight * mapWidth) {
                throw new IllegalArgumentException("a map must have C*H*W = "
                        + meta.mapChannels() * mapHeight * mapWidth + " values, got " + map.length);
            }
            frames.add(frameNumber);
            scales.add(scale);
            maps.add(map.clone());
            return this;
        }

        /**
         * Adds a box to the current frame.
         *
         * @param box          (x1, y1, x2, y2) in original pixels
         * @param distribution [36] over labels 1..36
         * @param score        the detector's confidence, or NaN for none
         * @param label        the detector's label 1..36, or 0 for none
         */
        public Builder addBox(float[] box, float[] feature, float[] distribution, float score, int label) {
            if (frames.isEmpty()) {
                throw new IllegalStateException("addBox before the first frame(...)");
            }
            if (box.length != 4 || feature.length != meta.featureDim() || distribution.length != CLASSES) {
                throw new IllegalArgumentException("a box needs 4 coordinates, " + meta.featureDim()
                        + " feature values and " + CLASSES + " probabilities");
            }
            boxes.add(new float[] {frames.size() - 1, box[0], box[1], box[2], box[3]});
            features.add(feature.clone());
            dists.add(distribution.clone());
            scores.add(score);
            labels.add((long) label);
            return this;
        }

        /** The checked detections (a {@code KitException} naming {@code videoId} for bad values). */
        public VideoDetections build(String videoId) {
            int n = boxes.size();
            boolean withScores = n > 0 && scores.stream().noneMatch(x -> Float.isNaN(x));
            boolean withLabels = n > 0 && labels.stream().allMatch(x -> x > 0);
            float[] sc = new float[scales.size()];
            long[] fr = new long[frames.size()];
            for (int i = 0; i < fr.length; i++) {
                sc[i] = scales.get(i);
                fr[i] = frames.get(i);
            }
            float[] s = withScores ? new float[n] : null;
            long[] l = withLabels ? new long[n] : null;
            for (int i = 0; i < n; i++) {
                if (s != null) {
                    s[i] = scores.get(i);
                }
                if (l != null) {
                    l[i] = labels.get(i);
                }
            }
            return new VideoDetections(videoId, "detections of " + videoId, meta, fr, sc, imageHeight, imageWidth,
                    concat(boxes), concat(features), concat(dists), s, l, concat(maps), mapHeight, mapWidth);
        }

        /** Checks and writes {@code dir/<videoId>.npz} atomically. */
        public Path write(Path dir, String videoId) {
            return build(videoId).write(dir, meta);
        }
    }
}
