package org.m3sgg.features;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;

/**
 * The features of one video, read once from {@code features/<VID>.mp4.npz} and indexed by (frame number, object
 * label) for boxes and (frame number, label a, label b) for union boxes. Immutable; lookups that miss throw a
 * {@link KitException} naming the file, the video, the frame and the labels.
 *
 * <p>Arrays of the file (see {@code datasets/README.md}):
 * <pre>
 *   index       [N, 2]        int64   (frame number, label); the person is label 1
 *   features    [N, F]        float32 per-box visual feature
 *   distribution[N, 36]       float32 optional: detector class probabilities over labels 1..36
 *   union_index [P, 3]        int64   (frame number, label a, label b), a &lt; b
 *   union_feat  [P, C, S, S]  float32 feature of the pair's union box, shared by both directions
 * </pre>
 */
public final class VideoFeatures {

    /** Number of non-background classes in {@code distribution}. */
    public static final int DISTRIBUTION_CLASSES = Vocabulary.NUM_OBJECT_CLASSES - 1;

    private final String videoId;
    private final Path file;
    private final int featureDim;
    private final int unionLength;
    private final long[] index; // [N, 2]
    private final float[] features; // [N, F]
    private final float[] distribution; // [N, 36] or null
    private final long[] unionIndex; // [P, 3]
    private final float[] unionFeat; // [P, C*S*S]
    private final Map<Long, Integer> boxRows;
    private final Map<Long, Integer> unionRows;

    private VideoFeatures(String videoId, Path file, int featureDim, int unionLength, long[] index,
            float[] features, float[] distribution, long[] unionIndex, float[] unionFeat) {
        this.videoId = videoId;
        this.file = file;
        this.featureDim = featureDim;
        this.unionLength = unionLength;
        this.index = index;
        this.features = features;
        this.distribution = distribution;
        this.unionIndex = unionIndex;
        this.unionFeat = unionFeat;
        int n = index.length / 2;
        boxRows = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            long frame = index[2 * i];
            long label = index[2 * i + 1];
            checkFrame(frame, "index", i);
            if (label < 1 || label > DISTRIBUTION_CLASSES) {
                throw new KitException(file + ": index row " + i + " has label " + label + ": expected 1..36");
            }
            if (boxRows.put(boxKey(frame, (int) label), i) != null) {
                throw new KitException(file + ": index has (frame " + frame + ", label " + label
                        + ") twice: a class occurs at most once per frame");
            }
        }
        int p = unionIndex.length / 3;
        unionRows = new HashMap<>(p * 2);
        for (int i = 0; i < p; i++) {
            long frame = unionIndex[3 * i];
            long a = unionIndex[3 * i + 1];
            long b = unionIndex[3 * i + 2];
            checkFrame(frame, "union_index", i);
            if (a < 1 || b > DISTRIBUTION_CLASSES || a >= b) {
                throw new KitException(file + ": union_index row " + i + " is (" + frame + ", " + a + ", " + b
                        + "): expected labels 1 <= a < b <= 36");
            }
            if (unionRows.put(unionKey(frame, (int) a, (int) b), i) != null) {
                throw new KitException(file + ": union_index has (frame " + frame + ", " + a + ", " + b
                        + ") twice");
            }
        }
    }

    /**
     * Reads and checks one video's file.
     *
     * @param meta the folder's widths; the file's arrays must match them
     */
    public static VideoFeatures read(Path file, String videoId, FeatureMeta meta) {
        Map<String, NdArray> a = Npz.read(file);
        NdArray index = require(a, "index", file);
        NdArray feats = require(a, "features", file);
        NdArray unionIndex = require(a, "union_index", file);
        NdArray unionFeat = require(a, "union_feat", file);
        NdArray dist = a.get("distribution");
        checkInt(index, "index", file);
        checkInt(unionIndex, "union_index", file);
        checkFloat(feats, "features", file);
        checkFloat(unionFeat, "union_feat", file);
        checkShape(index, file, "index", -1, 2);
        int n = index.dim(0);
        checkShape(feats, file, "features", n, meta.featureDim());
        checkShape(unionIndex, file, "union_index", -1, 3);
        int p = unionIndex.dim(0);
        checkShape(unionFeat, file, "union_feat", p, meta.unionChannels(), meta.unionSize(), meta.unionSize());
        float[] distribution = null;
        if (dist != null) {
            checkFloat(dist, "distribution", file);
            checkShape(dist, file, "distribution", n, DISTRIBUTION_CLASSES);
            distribution = dist.floats();
        } else if (meta.distribution()) {
            throw new KitException(file + ": no 'distribution' array, but meta.json says the folder has one");
        }
        return new VideoFeatures(videoId, file, meta.featureDim(), meta.unionLength(), index.longs(),
                feats.floats(), distribution, unionIndex.longs(), unionFeat.floats());
    }

    public String videoId() {
        return videoId;
    }

    public Path file() {
        return file;
    }

    public int featureDim() {
        return featureDim;
    }

    /** C * S * S. */
    public int unionLength() {
        return unionLength;
    }

    public int boxCount() {
        return index.length / 2;
    }

    public int unionCount() {
        return unionIndex.length / 3;
    }

    public boolean hasDistribution() {
        return distribution != null;
    }

    public boolean hasBox(int frame, int label) {
        return boxRows.containsKey(boxKey(frame, label));
    }

    /** Whether a union feature exists for the pair, in either order. */
    public boolean hasUnion(int frame, int labelA, int labelB) {
        return labelA != labelB && unionRows.containsKey(unionKey(frame, Math.min(labelA, labelB),
                Math.max(labelA, labelB)));
    }

    /** The feature of the box of class {@code label} in frame {@code frame}, {@code [F]} (a copy). */
    public float[] feature(int frame, int label) {
        int row = boxRow(frame, label);
        return Arrays.copyOfRange(features, row * featureDim, (row + 1) * featureDim);
    }

    /** Copies the box feature into {@code dst[offset .. offset+F)}. */
    public void copyFeature(int frame, int label, float[] dst, int offset) {
        int row = boxRow(frame, label);
        System.arraycopy(features, row * featureDim, dst, offset, featureDim);
    }

    /** Box features of many boxes, {@code [N, F]} flattened in the order given. */
    public float[] features(int[] frames, int[] labels) {
        float[] out = new float[frames.length * featureDim];
        for (int i = 0; i < frames.length; i++) {
            copyFeature(frames[i], labels[i], out, i * featureDim);
        }
        return out;
    }

    /** The detector's class probabilities of a box, {@code [36]} over labels 1..36. */
    public float[] distribution(int frame, int label) {
        if (distribution == null) {
            throw new KitException(file + " (video " + videoId + "): no 'distribution' array; SGCLS needs the "
                    + "detector's class probabilities");
        }
        int row = boxRow(frame, label);
        return Arrays.copyOfRange(distribution, row * DISTRIBUTION_CLASSES, (row + 1) * DISTRIBUTION_CLASSES);
    }

    /** The union feature of a pair (either order), {@code [C * S * S]} (a copy). */
    public float[] union(int frame, int labelA, int labelB) {
        float[] out = new float[unionLength];
        copyUnion(frame, labelA, labelB, out, 0);
        return out;
    }

    /** Copies the union feature of a pair (either order) into {@code dst[offset .. offset+C*S*S)}. */
    public void copyUnion(int frame, int labelA, int labelB, float[] dst, int offset) {
        Integer row = labelA == labelB ? null
                : unionRows.get(unionKey(frame, Math.min(labelA, labelB), Math.max(labelA, labelB)));
        if (row == null) {
            throw new KitException(file + " (video " + videoId + "): no union feature for frame " + frame
                    + ", labels " + labelA + " (" + className(labelA) + ") and " + labelB + " ("
                    + className(labelB) + ")");
        }
        System.arraycopy(unionFeat, row * unionLength, dst, offset, unionLength);
    }

    /** Union features of many pairs, {@code [P, C*S*S]} flattened in the order given. */
    public float[] unions(int[] frames, int[] labelsA, int[] labelsB) {
        float[] out = new float[frames.length * unionLength];
        for (int i = 0; i < frames.length; i++) {
            copyUnion(frames[i], labelsA[i], labelsB[i], out, i * unionLength);
        }
        return out;
    }

    private int boxRow(int frame, int label) {
        Integer row = boxRows.get(boxKey(frame, label));
        if (row == null) {
            throw new KitException(file + " (video " + videoId + "): no box feature for frame " + frame
                    + ", label " + label + " (" + className(label) + ")");
        }
        return row;
    }

    private void checkFrame(long frame, String array, int row) {
        if (frame < 0 || frame > Integer.MAX_VALUE) {
            throw new KitException(file + ": " + array + " row " + row + " has frame number " + frame);
        }
    }

    private static String className(int label) {
        return label >= 0 && label < Vocabulary.NUM_OBJECT_CLASSES ? Vocabulary.OBJECT_CLASSES.get(label) : "?";
    }

    static long boxKey(long frame, int label) {
        return frame << 8 | label;
    }

    static long unionKey(long frame, int a, int b) {
        return frame << 16 | (long) a << 8 | b;
    }

    private static NdArray require(Map<String, NdArray> a, String name, Path file) {
        NdArray x = a.get(name);
        if (x == null) {
            throw new KitException(file + ": missing array '" + name + "' (has " + a.keySet() + ")");
        }
        return x;
    }

    private static void checkInt(NdArray a, String name, Path file) {
        if (a.dtype() != NdArray.DType.I8 && a.dtype() != NdArray.DType.I4) {
            throw new KitException(file + ": '" + name + "' is " + a.dtype().descr + ": expected int64");
        }
    }

    private static void checkFloat(NdArray a, String name, Path file) {
        if (a.dtype() != NdArray.DType.F4 && a.dtype() != NdArray.DType.F8) {
            throw new KitException(file + ": '" + name + "' is " + a.dtype().descr + ": expected float32");
        }
    }

    /** Checks the shape; -1 accepts any length on that axis. */
    private static void checkShape(NdArray a, Path file, String name, int... expected) {
        boolean ok = a.rank() == expected.length;
        for (int i = 0; ok && i < expected.length; i++) {
            ok = expected[i] < 0 || a.dim(i) == expected[i];
        }
        if (!ok) {
            String want = Arrays.toString(expected).replace("-1", "*");
            throw new KitException(file + ": '" + name + "' has shape " + Arrays.toString(a.shape())
                    + ": expected " + want);
        }
    }

    /**
     * Collects one video's features and writes them in the format above. Boxes and pairs keep the order they
     * were added in; the pair order given is normalised to a &lt; b.
     */
    public static final class Builder {
        private final int featureDim;
        private final int unionLength;
        private final boolean withDistribution;
        private final java.util.List<long[]> index = new java.util.ArrayList<>();
        private final java.util.List<float[]> feats = new java.util.ArrayList<>();
        private final java.util.List<float[]> dists = new java.util.ArrayList<>();
        private final java.util.List<long[]> unionIndex = new java.util.ArrayList<>();
        private final java.util.List<float[]> unions = new java.util.ArrayList<>();

        public Builder(FeatureMeta meta) {
            this.featureDim = meta.featureDim();
            this.unionLength = meta.unionLength();
            this.withDistribution = meta.distribution();
        }

        /** Adds a box; {@code distribution} is {@code [36]} or null when the folder has none. */
        public Builder addBox(int frame, int label, float[] feature, float[] distribution) {
            if (feature.length != featureDim) {
                throw new IllegalArgumentException("feature must have " + featureDim + " values");
            }
            if (withDistribution != (distribution != null)
                    || (distribution != null && distribution.length != DISTRIBUTION_CLASSES)) {
                throw new IllegalArgumentException("distribution must be " + (withDistribution ? "[36]" : "null"));
            }
            index.add(new long[] {frame, label});
            feats.add(feature);
            dists.add(distribution);
            return this;
        }

        public Builder addUnion(int frame, int labelA, int labelB, float[] union) {
            if (union.length != unionLength) {
                throw new IllegalArgumentException("union feature must have " + unionLength + " values");
            }
            if (labelA == labelB) {
                throw new IllegalArgumentException("a pair needs two different labels, got " + labelA + " twice");
            }
            unionIndex.add(new long[] {frame, Math.min(labelA, labelB), Math.max(labelA, labelB)});
            unions.add(union);
            return this;
        }

        /** The arrays of the file, in the order they are written. */
        public Map<String, NdArray> arrays(FeatureMeta meta) {
            int n = index.size();
            int p = unionIndex.size();
            Map<String, NdArray> out = new LinkedHashMap<>();
            out.put("index", NdArray.of(flattenLongs(index, 2), n, 2));
            out.put("features", NdArray.of(flatten(feats, featureDim), n, featureDim));
            if (withDistribution) {
                out.put("distribution", NdArray.of(flatten(dists, DISTRIBUTION_CLASSES), n, DISTRIBUTION_CLASSES));
            }
            out.put("union_index", NdArray.of(flattenLongs(unionIndex, 3), p, 3));
            out.put("union_feat", NdArray.of(flatten(unions, unionLength), p, meta.unionChannels(),
                    meta.unionSize(), meta.unionSize()));
            return out;
        }

        /** Writes {@code dir/<videoId>.npz} atomically. */
        public Path write(Path dir, String videoId, FeatureMeta meta) {
            Path file = dir.resolve(videoId + ".npz");
            Npz.write(file, arrays(meta));
            return file;
        }

        private static float[] flatten(java.util.List<float[]> rows, int width) {
            float[] out = new float[rows.size() * width];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, out, i * width, width);
            }
            return out;
        }

        private static long[] flattenLongs(java.util.List<long[]> rows, int width) {
            long[] out = new long[rows.size() * width];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, out, i * width, width);
            }
            return out;
        }
    }
}
