package org.m3sgg.sgdet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npy;

/**
 * Runs the SGDET pipeline on STTran's reference fixture ({@code src/test/resources/reference/sgdet-reference}: the
 * published detector tail, {@code assign_relations} and {@code ObjectClassifier} in PyTorch 1.13 on one synthetic
 * video) and reports, for every reference output, the largest absolute difference (float outputs) or the number
 * of differing entries (integer outputs and the lists of {@code train_assignment.json}, keyed
 * {@code train_assignment.KEY}). Keys are the file names without {@code .npy}. {@code roi_edge_rois} is the
 * RoIAlign edge cases' input; {@code roi_edge_feat} is compared.
 */
public final class SgdetParity {

    /** The head checkpoint {@code compare} uses when given none. */
    public static final String DEFAULT_CHECKPOINT = "sgdet_head.zip.tar";

    /** The stub head's convolution stride (the checkpoint does not hold it). */
    public static final int HEAD_STRIDE = 2;

    private static final String[] ASSIGNMENT_KEYS = {"detector_found_idx", "gt_relations", "supply_relations",
        "detector_found_idx_after_supply", "attention_gt", "spatial_gt", "contacting_gt"};

    private SgdetParity() {}

    /** The fixture's video: detections, frame maps, ground truth. */
    public record Inputs(Detections detections, FrameMaps maps, List<FrameTruth> truth, JsonNode annotation) {}

    /** Reads {@code in_*.npy} and {@code gt_annotation.json} of the fixture folder. */
    public static Inputs readInputs(Path fixture) {
        NdArray boxes = npy(fixture, "in_boxes", 2);
        NdArray feats = npy(fixture, "in_features", 2);
        NdArray scores = npy(fixture, "in_scores", 1);
        NdArray fmaps = npy(fixture, "in_fmaps", 4);
        NdArray info = npy(fixture, "in_im_info", 2);
        int t = fmaps.dim(0);
        if (info.dim(0) != t || info.dim(1) != 3) {
            throw new KitException(fixture.resolve("in_im_info.npy") + ": expected [" + t + ", 3]");
        }
        float[] inf = info.floats();
        float[] scales = new float[t];
        for (int i = 0; i < t; i++) {
            scales[i] = inf[3 * i + 2];
        }
        FrameMaps maps = new FrameMaps(t, fmaps.dim(1), fmaps.dim(2), fmaps.dim(3), fmaps.floats(), scales,
                FrameMaps.STRIDE_16);
        Detections det = new Detections(rows(boxes), rows(feats), null, scores.floats());
        Path gtFile = fixture.resolve("gt_annotation.json");
        JsonNode gt;
        try {
            gt = new ObjectMapper().readTree(gtFile.toFile());
        } catch (IOException e) {
            throw new KitException(gtFile + ": cannot read (" + e.getMessage() + ")");
        }
        return new Inputs(det, maps, truth(gt, gtFile), gt);
    }

    /** STTran's per-frame annotation lists (person entry first) as {@link FrameTruth}s. */
    public static List<FrameTruth> truth(JsonNode gt, Path file) {
        if (gt == null || !gt.isArray()) {
            throw new KitException(file + ": expected a list of frames");
        }
        List<FrameTruth> out = new ArrayList<>();
        for (int f = 0; f < gt.size(); f++) {
            JsonNode frame = gt.get(f);
            JsonNode person = frame.path(0).get("person_bbox");
            if (person == null || person.size() != 4) {
                throw new KitException(file + ": frame " + f + ": first entry needs 'person_bbox' [x1, y1, x2, y2]");
            }
            float[] pb = new float[4];
            for (int k = 0; k < 4; k++) {
                pb[k] = (float) person.get(k).asDouble();
            }
            int objects = frame.size() - 1;
            int[] classes = new int[objects];
            double[][] boxes = new double[objects][4];
            for (int o = 0; o < objects; o++) {
                JsonNode e = frame.get(o + 1);
                JsonNode b = e.get("bbox");
                if (!e.has("class") || b == null || b.size() != 4) {
                    throw new KitException(file + ": frame " + f + ", entry " + (o + 1) + ": needs 'class' and "
                            + "'bbox' [x1, y1, x2, y2]");
                }
                classes[o] = e.get("class").asInt();
                for (int k = 0; k < 4; k++) {
                    boxes[o][k] = b.get(k).asDouble();
                }
            }
            out.add(new FrameTruth(pb, classes, boxes));
        }
        return out;
    }

    /**
     * Every reference output against this implementation.
     *
     * @param checkpointOrNull the head checkpoint, or null for {@link #DEFAULT_CHECKPOINT} in the folder
     */
    public static LinkedHashMap<String, Double> compare(Path fixture, Path checkpointOrNull) {
        Path ckpt = checkpointOrNull != null ? checkpointOrNull : fixture.resolve(DEFAULT_CHECKPOINT);
        PooledHead head = PooledHead.load(ckpt, HEAD_STRIDE);
        Inputs in = readInputs(fixture);
        LinkedHashMap<String, Double> r = new LinkedHashMap<>();
        r.put("roi_edge_feat", diff(RoiAlign.apply(in.maps(), rows(npy(fixture, "roi_edge_rois", 2)), 7),
                npy(fixture, "roi_edge_feat", 4)));
        test(fixture, in, head, r);
        train(fixture, in, head, r);
        return r;
    }

    private static void test(Path fx, Inputs in, PooledHead head, LinkedHashMap<String, Double> r) {
        SgdetOptions opt = SgdetOptions.reference();
        int frames = in.maps().frames();
        BoxSet tail = DetectorTail.apply(in.detections(), head);
        r.put("test_det_distribution", diff(flat(tail.distribution()), npy(fx, "test_det_distribution", 2)));
        r.put("test_det_scores", diff(tail.scores(), npy(fx, "test_det_scores", 1)));
        r.put("test_det_pred_labels", count(tail.labels(), npy(fx, "test_det_pred_labels", 1)));
        BoxSet clean = CleanClass.applyAll(tail, opt.cleanClasses(), frames);
        r.put("test_clean_boxes", diff(flat(clean.boxes()), npy(fx, "test_clean_boxes", 2)));
        r.put("test_clean_pred_labels", count(clean.labels(), npy(fx, "test_clean_pred_labels", 1)));
        r.put("test_clean_distribution", diff(flat(clean.distribution()), npy(fx, "test_clean_distribution", 2)));
        TestEntry e = new SgdetPipeline(head, opt).test(in.detections(), in.maps());
        r.put("test_nms_boxes", diff(flat(e.nmsBoxes()), npy(fx, "test_nms_boxes", 2)));
        r.put("test_boxes", diff(flat(e.boxes()), npy(fx, "test_boxes", 2)));
        r.put("test_distribution", diff(flat(e.distribution()), npy(fx, "test_distribution", 2)));
        r.put("test_features", diff(flat(e.features()), npy(fx, "test_features", 2)));
        r.put("test_pred_labels", count(e.labels(), npy(fx, "test_pred_labels", 1)));
        r.put("test_pred_scores", diff(e.scores(), npy(fx, "test_pred_scores", 1)));
        r.put("test_human_idx", count(e.humanIdx(), npy(fx, "test_human_idx", 2)));
        r.put("test_pair_idx", count(flat(e.pairs()), npy(fx, "test_pair_idx", 2)));
        r.put("test_im_idx", diff(toFloat(e.imIdx()), npy(fx, "test_im_idx", 1)));
        r.put("test_union_box", diff(flat(e.unionBoxes()), npy(fx, "test_union_box", 2)));
        r.put("test_union_feat", diff(e.unionFeatures(), npy(fx, "test_union_feat", 4)));
        r.put("test_spatial_masks", diff(e.masks(), npy(fx, "test_spatial_masks", 4)));
    }

    private static void train(Path fx, Inputs in, PooledHead head, LinkedHashMap<String, Double> r) {
        TrainEntry e = new SgdetPipeline(head, SgdetOptions.reference()).train(in.detections(), in.maps(),
                in.truth());
        r.put("train_assigned_labels", diff(toFloat(e.assignedLabels()), npy(fx, "train_assigned_labels", 1)));
        r.put("train_boxes", diff(flat(e.boxes()), npy(fx, "train_boxes", 2)));
        r.put("train_labels", count(e.labels(), npy(fx, "train_labels", 1)));
        r.put("train_scores", diff(e.scores(), npy(fx, "train_scores", 1)));
        r.put("train_features", diff(flat(e.features()), npy(fx, "train_features", 2)));
        r.put("train_distribution", diff(flat(e.distribution()), npy(fx, "train_distribution", 2)));
        r.put("train_pair_idx", count(flat(e.pairs()), npy(fx, "train_pair_idx", 2)));
        r.put("train_im_idx", diff(toFloat(e.imIdx()), npy(fx, "train_im_idx", 1)));
        r.put("train_pair_gt", count(flat(e.pairGt()), npy(fx, "train_pair_gt", 2)));
        r.put("train_union_box", diff(flat(e.unionBoxes()), npy(fx, "train_union_box", 2)));
        r.put("train_union_feat", diff(e.unionFeatures(), npy(fx, "train_union_feat", 4)));
        r.put("train_spatial_masks", diff(e.masks(), npy(fx, "train_spatial_masks", 4)));

        Path file = fx.resolve("train_assignment.json");
        JsonNode ref;
        try {
            ref = new ObjectMapper().readTree(file.toFile());
        } catch (IOException ex) {
            throw new KitException(file + ": cannot read (" + ex.getMessage() + ")");
        }
        int frames = e.assignments().length;
        List<int[]> found = new ArrayList<>();
        List<int[]> gtRel = new ArrayList<>();
        List<int[]> supply = new ArrayList<>();
        List<int[]> after = new ArrayList<>();
        for (RelationAssigner.Assignment a : e.assignments()) {
            int before = a.found().length - a.supply().length;
            found.add(Arrays.copyOf(a.found(), before));
            gtRel.add(Arrays.copyOf(a.gt(), before));
            supply.add(a.supply());
            after.add(a.found());
        }
        List<int[]> att = new ArrayList<>();
        List<int[]> spa = new ArrayList<>();
        List<int[]> con = new ArrayList<>();
        for (int[] pg : e.pairGt()) {
            JsonNode g = in.annotation().get(pg[0]).get(pg[1]);
            att.add(ints(g.get("attention_relationship")));
            spa.add(ints(g.get("spatial_relationship")));
            con.add(ints(g.get("contacting_relationship")));
        }
        List<List<int[]>> mine = List.of(found, gtRel, supply, after, att, spa, con);
        for (int k = 0; k < ASSIGNMENT_KEYS.length; k++) {
            JsonNode lists = ref.get(ASSIGNMENT_KEYS[k]);
            if (lists == null || !lists.isArray()) {
                throw new KitException(file + ": key '" + ASSIGNMENT_KEYS[k] + "' missing or not a list");
            }
            r.put("train_assignment." + ASSIGNMENT_KEYS[k], (double) countLists(mine.get(k), lists));
        }
        if (frames != ref.get("detector_found_idx").size()) {
            throw new KitException(file + ": " + ref.get("detector_found_idx").size() + " frames, expected " + frames);
        }
    }

    // ---- helpers ----

    private static long countLists(List<int[]> mine, JsonNode ref) {
        long n = Math.abs(mine.size() - ref.size());
        for (int i = 0; i < Math.min(mine.size(), ref.size()); i++) {
            int[] a = mine.get(i);
            int[] b = ints(ref.get(i));
            n += Math.abs(a.length - b.length);
            for (int k = 0; k < Math.min(a.length, b.length); k++) {
                if (a[k] != b[k]) {
                    n++;
                }
            }
        }
        return n;
    }

    private static int[] ints(JsonNode list) {
        int[] v = new int[list == null ? 0 : list.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = list.get(i).asInt();
        }
        return v;
    }

    static NdArray npy(Path dir, String name, int rank) {
        Path f = dir.resolve(name + ".npy");
        if (!Files.isRegularFile(f)) {
            throw new KitException(f + ": file not found");
        }
        NdArray a = Npy.read(f);
        if (a.rank() != rank) {
            throw new KitException(f + ": expected rank " + rank + ", found shape " + Arrays.toString(a.shape()));
        }
        return a;
    }

    /** The rows of a 2-d (or higher) array, each the trailing dimensions flattened. */
    public static float[][] rows(NdArray a) {
        float[] d = a.floats();
        int n = a.dim(0);
        int w = n == 0 ? 0 : d.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(d, i * w, (i + 1) * w);
        }
        return out;
    }

    /** The rows one after another. */
    public static float[] flat(float[][] a) {
        int n = 0;
        for (float[] r : a) {
            n += r.length;
        }
        float[] f = new float[n];
        int k = 0;
        for (float[] r : a) {
            System.arraycopy(r, 0, f, k, r.length);
            k += r.length;
        }
        return f;
    }

    public static int[] flat(int[][] a) {
        return Arrays.stream(a).flatMapToInt(Arrays::stream).toArray();
    }

    private static float[] toFloat(int[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i];
        }
        return f;
    }

    /** Largest |a - b|; a size mismatch is an error naming the sizes. */
    static double diff(float[] mine, NdArray ref) {
        double[] b = ref.doubles();
        if (mine.length != b.length) {
            throw new KitException("sgdet parity: " + mine.length + " values where the reference has "
                    + Arrays.toString(ref.shape()));
        }
        double m = 0;
        for (int i = 0; i < b.length; i++) {
            m = Math.max(m, Math.abs(mine[i] - b[i]));
        }
        return m;
    }

    /** Differing entries; all of them when the sizes differ. */
    static double count(int[] mine, NdArray ref) {
        long[] b = ref.longs();
        if (mine.length != b.length) {
            return Math.max(mine.length, b.length);
        }
        long n = 0;
        for (int i = 0; i < b.length; i++) {
            if (mine[i] != b[i]) {
                n++;
            }
        }
        return n;
    }
}
