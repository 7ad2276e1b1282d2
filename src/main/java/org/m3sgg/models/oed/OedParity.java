package org.m3sgg.models.oed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.m3sgg.api.KitException;
import org.m3sgg.eval.OedEvaluator;
import org.m3sgg.models.sttran.SttranParity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runs the Java OED on the OED reference fixture from the raw frames on: the frames ({@code in_*_frame*_uint8.npy})
 * go through OED's preprocessing ({@link OedImages}: ToTensor, Normalize, zero padding with the mask; the fixture's
 * frames are at their final size, so the resize is not exercised here) and the ResNet backbone
 * ({@link OedBackbone}), and every output is compared — the normalised images and masks, the C5 map, the C5 mask,
 * position encoding, input projection, encoder memory, both decoder stacks, the heads of the last and auxiliary
 * layers, the cross-attention maps, the PRM's scores, top-k indices and refined queries, the temporal heads and the
 * post-processing. Every stage consumes the Java side's own output of the stage before, so the heads are the
 * pipeline's from pixels. OED's evaluator ({@link OedEvaluator}) is run on the fixture's own post-processing arrays
 * and synthetic ground truth ({@code evaluation.json}), as the reference was, for both models, with and without the
 * NMS filter, both constraints: every list there must be equal (a count of differing entries).
 */
public final class OedParity {

    /** The default checkpoints in the fixture folder. */
    public static final String SPATIAL_CHECKPOINT = "oed_sgdet_spatial.zip.tar";
    public static final String TEMPORAL_CHECKPOINT = "oed_sgdet_temporal.zip.tar";

    private OedParity() {}

    /**
     * {@code m3sgg parity --kind oed}: with no checkpoint, the fixture's zip checkpoints (spatial outputs from the
     * spatial one, temporal from the temporal one); a temporal checkpoint serves both (its non-temporal tensors are
     * the spatial model); a spatial checkpoint gives the spatial outputs, the temporal ones coming from the
     * fixture's default temporal checkpoint.
     */
    public static LinkedHashMap<String, Double> compare(Path fixture, Path checkpointOrNull) {
        Path spatial = fixture.resolve(SPATIAL_CHECKPOINT);
        Path temporal = fixture.resolve(TEMPORAL_CHECKPOINT);
        if (checkpointOrNull != null) {
            OedCheckpoint ck = OedCheckpoint.load(checkpointOrNull);
            if (OedConfig.from(ck, topk(fixture)).temporal()) {
                return compare(fixture, ck, ck);
            }
            return compare(fixture, ck, OedCheckpoint.load(temporal));
        }
        return compare(fixture, OedCheckpoint.load(spatial), OedCheckpoint.load(temporal));
    }

    /** Every compared output: max |diff| for floats, the number of differing entries for integers and booleans. */
    public static LinkedHashMap<String, Double> compare(Path fixture, OedCheckpoint spatialCk, OedCheckpoint temporalCk) {
        int[] topk = topk(fixture);
        LinkedHashMap<String, Double> d = new LinkedHashMap<>();

        OedModel spatial = OedModel.fromCheckpoint(spatialCk, topk, true);
        List<OedModel.Frame> sf = frames(d, spatial, spatialCk, fixture, "spatial");
        compareFrames(d, fixture, "spatial", spatial, sf);
        List<OedPostProcess> sp = new ArrayList<>();
        for (OedModel.Frame f : sf) {
            sp.add(post(f.outputs(), "pred_"));
        }
        comparePost(d, fixture, "spatial", sp);
        for (String head : OedModel.HEADS) {
            d.put("spatial_pred_" + head, diff(stack(sf, f -> f.get("pred_" + head)),
                    npy(fixture, "out_spatial_pred_" + head)));
            List<INDArray> aux = new ArrayList<>();
            for (int i = 0; i < spatial.auxCount(); i++) {
                final int a = i;
                aux.add(stack(sf, f -> f.get("aux" + a + "_pred_" + head)));
            }
            d.put("spatial_aux_pred_" + head, diff(Nd4j.stack(0, aux.toArray(new INDArray[0])),
                    npy(fixture, "out_spatial_aux_pred_" + head)));
        }
        for (String w : List.of("ins_attn_weight", "rel_attn_weight")) {
            d.put("spatial_" + w, diff(stack(sf, f -> f.get(w).reshape(f.get(w).size(0), f.h(), f.w())),
                    npy(fixture, "out_spatial_" + w)));
        }

        OedModel temporal = OedModel.fromCheckpoint(temporalCk, topk, false);
        if (!temporal.config().temporal()) {
            throw new KitException(temporalCk.source() + ": not a temporal OED checkpoint (no PRM layers)");
        }
        List<OedModel.Frame> tf = frames(d, temporal, temporalCk, fixture, "temporal");
        compareFrames(d, fixture, "temporal", temporal, tf);
        OedModel.Temporal t = temporal.temporal(tf.get(0), tf.subList(1, tf.size()));
        d.put("mid_temporal_prm_overall_probs", diff(Nd4j.createFromArray(t.scores()).reshape(1, t.scores().length),
                npy(fixture, "mid_temporal_prm_overall_probs.npy")));
        for (int i = 0; i < t.topk().length; i++) {
            INDArray ref = npy(fixture, "mid_temporal_prm_topk" + (i + 1) + ".npy");
            d.put("mid_temporal_prm_topk" + (i + 1), differing(Nd4j.createFromArray(t.topk()[i])
                    .reshape(1, t.topk()[i].length), ref));
            d.put("mid_temporal_prm_out" + (i + 1), diff(t.refined().get(i).reshape(1, -1, temporal.config().prmWidth()),
                    npy(fixture, "mid_temporal_prm_out" + (i + 1) + ".npy")));
        }
        for (String head : OedModel.HEADS) {
            INDArray a = t.heads().get(head);
            d.put("temporal_pred_" + head, diff(a.reshape(1, a.size(0), a.size(1)),
                    npy(fixture, "out_temporal_pred_" + head)));
        }
        LinkedHashMap<String, INDArray> heads = new LinkedHashMap<>();
        t.heads().forEach((k, v) -> heads.put("pred_" + k, v));
        comparePost(d, fixture, "temporal", List.of(post(heads, "pred_")));
        compareEvaluation(d, fixture);
        return d;
    }

    /**
     * OED's evaluator on {@code evaluation.json}'s ground truth and the fixture's {@code post_*} arrays; per model,
     * NMS setting and constraint three counts of differing entries: {@code recall} (per-frame recall and R@K),
     * {@code mean_recall} (per-predicate frame recalls, hit and count) and {@code frames} (ranked relations, their
     * predicate scores, sorted triplet scores and matches).
     */
    static void compareEvaluation(LinkedHashMap<String, Double> d, Path fixture) {
        Path file = fixture.resolve("evaluation.json");
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (java.io.IOException e) {
            throw new KitException(file + ": cannot read (" + e.getMessage() + ")");
        }
        for (String model : List.of("spatial", "temporal")) {
            JsonNode m = root.path(model);
            JsonNode gts = m.path("ground_truth");
            List<OedEvaluator.Prediction> preds = predictions(fixture, model);
            if (!gts.isArray() || gts.size() != preds.size()) {
                throw new KitException(file + ": " + model + ".ground_truth must list one frame per post_" + model
                        + "_* row (" + preds.size() + ")");
            }
            for (boolean nms : new boolean[] {false, true}) {
                for (boolean with : new boolean[] {true, false}) {
                    String c = with ? "with" : "no";
                    JsonNode ref = m.path("nms_filter_" + nms).path(c);
                    OedEvaluator ev = new OedEvaluator(with, nms);
                    List<OedEvaluator.FrameResult> frs = new ArrayList<>();
                    for (int f = 0; f < preds.size(); f++) {
                        frs.add(ev.process(groundTruth(gts.get(f), file), preds.get(f)));
                    }
                    OedEvaluator.Summary sum = ev.summary();
                    String key = "evaluation." + model + ".nms_filter_" + nms + "." + c + ".";
                    ObjectMapper om = new ObjectMapper();
                    int recall = 0;
                    int mean = 0;
                    for (int k : OedEvaluator.KS) {
                        String ks = String.valueOf(k);
                        recall += differing(om.valueToTree(sum.recallPerFrame().get(k)), ref.path("recall_per_frame").path(ks));
                        recall += differing(om.valueToTree(sum.recall().get(k)), ref.path("R@K").path(ks));
                        mean += differing(om.valueToTree(sum.perPredicateFrameRecalls().get(k)),
                                ref.path("per_predicate_frame_recalls").path(ks));
                        mean += differing(om.valueToTree(sum.recallHit().get(k)), ref.path("recall_hit").path(ks));
                        mean += differing(om.valueToTree(sum.recallCount().get(k)), ref.path("recall_count").path(ks));
                    }
                    int frames = 0;
                    for (int f = 0; f < frs.size(); f++) {
                        OedEvaluator.FrameResult r = frs.get(f);
                        JsonNode rf = ref.path("frames").path(f);
                        frames += differing(om.valueToTree(r.predRels()), rf.path("pred_rels"));
                        frames += differing(om.valueToTree(r.predicateScores()), rf.path("predicate_scores"));
                        frames += differing(om.valueToTree(r.sortedTripletScores()), rf.path("sorted_triplet_scores"));
                        frames += differing(om.valueToTree(r.predToGt()), rf.path("pred_to_gt"));
                    }
                    d.put(key + "recall", (double) recall);
                    d.put(key + "mean_recall", (double) mean);
                    d.put(key + "frames", (double) frames);
                }
            }
        }
    }

    /** Leaves that differ (numbers by more than 1e-12), a missing or extra entry counting as one. */
    private static int differing(JsonNode a, JsonNode b) {
        if (a.isArray() && b.isArray()) {
            int n = Math.abs(a.size() - b.size());
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                n += differing(a.get(i), b.get(i));
            }
            return n;
        }
        if (a.isNumber() && b.isNumber()) {
            return Math.abs(a.asDouble() - b.asDouble()) <= 1e-12 ? 0 : 1;
        }
        return a.equals(b) ? 0 : 1;
    }

    private static List<OedEvaluator.Prediction> predictions(Path fixture, String model) {
        String pre = "post_" + model + "_";
        INDArray scores = npy(fixture, pre + "pred_scores.npy");
        INDArray labels = npy(fixture, pre + "pred_labels.npy");
        INDArray boxes = npy(fixture, pre + "pred_boxes.npy");
        INDArray pairs = npy(fixture, pre + "pair_idx.npy");
        INDArray attn = npy(fixture, pre + "attention_distribution.npy");
        INDArray spa = npy(fixture, pre + "spatial_distribution.npy");
        INDArray con = npy(fixture, pre + "contacting_distribution.npy");
        List<OedEvaluator.Prediction> out = new ArrayList<>();
        for (int f = 0; f < scores.size(0); f++) {
            INDArray lab = labels.get(NDArrayIndex.point(f));
            int[] l = new int[(int) lab.length()];
            for (int i = 0; i < l.length; i++) {
                l[i] = (int) lab.getFloat(i);
            }
            out.add(new OedEvaluator.Prediction(scores.get(NDArrayIndex.point(f)).toFloatVector(), l,
                    boxes.get(NDArrayIndex.point(f)).toFloatMatrix(),
                    pairs.get(NDArrayIndex.point(f)).castTo(DataType.INT).toIntMatrix(),
                    attn.get(NDArrayIndex.point(f)).toFloatMatrix(), spa.get(NDArrayIndex.point(f)).toFloatMatrix(),
                    con.get(NDArrayIndex.point(f)).toFloatMatrix()));
        }
        return out;
    }

    private static OedEvaluator.GroundTruth groundTruth(JsonNode g, Path file) {
        JsonNode boxes = g.path("boxes");
        JsonNode labels = g.path("labels");
        if (!boxes.isArray() || !labels.isArray() || boxes.size() != labels.size()) {
            throw new KitException(file + ": a ground-truth frame needs 'boxes' and 'labels' of equal length");
        }
        float[][] b = new float[boxes.size()][4];
        int[] l = new int[labels.size()];
        for (int i = 0; i < b.length; i++) {
            for (int k = 0; k < 4; k++) {
                b[i][k] = (float) boxes.get(i).get(k).asDouble();
            }
            l[i] = labels.get(i).asInt();
        }
        return new OedEvaluator.GroundTruth(b, l, hot(g.path("attn_labels")), hot(g.path("spatial_labels")),
                hot(g.path("contacting_labels")));
    }

    private static boolean[][] hot(JsonNode rows) {
        boolean[][] out = new boolean[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new boolean[rows.get(i).size()];
            for (int c = 0; c < out[i].length; c++) {
                out[i][c] = rows.get(i).get(c).asDouble() != 0;
            }
        }
        return out;
    }

    /** The fixture's PRM top-k per reference frame ({@code dims.json widths.prm_topk_per_ref_frame}). */
    static int[] topk(Path fixture) {
        Path dims = fixture.resolve("dims.json");
        try {
            var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dims.toFile())
                    .path("widths").path("prm_topk_per_ref_frame");
            if (!node.isArray() || node.isEmpty()) {
                throw new KitException(dims + ": key widths.prm_topk_per_ref_frame missing or not a list");
            }
            int[] k = new int[node.size()];
            for (int i = 0; i < k.length; i++) {
                if (!node.get(i).canConvertToInt()) {
                    throw new KitException(dims + ": widths.prm_topk_per_ref_frame[" + i + "] is not an integer");
                }
                k[i] = node.get(i).asInt();
            }
            return k;
        } catch (java.io.IOException e) {
            throw new KitException(dims + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /**
     * The fixture's raw frames of {@code which} through OED's preprocessing and the checkpoint's backbone, then the
     * spatial part of {@code model} frame by frame; records the images, mask and C5 diffs in {@code d}.
     */
    private static List<OedModel.Frame> frames(LinkedHashMap<String, Double> d, OedModel model, OedCheckpoint ck,
            Path fixture, String which) {
        INDArray refMask = npy(fixture, "in_" + which + "_mask.npy");
        List<OedImages.Rgb> rgb = new ArrayList<>();
        for (int b = 0; b < refMask.size(0); b++) {
            rgb.add(OedImages.fromArray(npy(fixture, "in_" + which + "_frame" + b + "_uint8.npy")));
        }
        OedImages.Batch batch = OedImages.batch(rgb);
        d.put("in_" + which + "_images", diff(batch.images(), npy(fixture, "in_" + which + "_images.npy")));
        d.put("in_" + which + "_mask", differing(Nd4j.createFromArray(batch.mask()).castTo(DataType.DOUBLE), refMask));
        INDArray c5 = OedBackbone.fromCheckpoint(ck, DataType.DOUBLE).c5(batch.images());
        d.put("mid_" + which + "_c5", diff(c5, npy(fixture, "mid_" + which + "_c5.npy")));
        List<OedModel.Frame> out = new ArrayList<>();
        for (int b = 0; b < c5.size(0); b++) {
            out.add(model.frame(c5.get(NDArrayIndex.point(b)).dup(), batch.mask()[b]));
        }
        return out;
    }

    private static void compareFrames(LinkedHashMap<String, Double> d, Path fixture, String which, OedModel m,
            List<OedModel.Frame> fs) {
        int dm = m.config().dModel();
        INDArray refMask = npy(fixture, "mid_" + which + "_c5_mask.npy");
        INDArray mask = stack(fs, f -> {
            INDArray a = Nd4j.create(DataType.DOUBLE, f.h(), f.w());
            for (int y = 0; y < f.h(); y++) {
                for (int x = 0; x < f.w(); x++) {
                    a.putScalar(y, x, f.c5Mask()[y][x] ? 1 : 0);
                }
            }
            return a;
        });
        d.put("mid_" + which + "_c5_mask", differing(mask, refMask));
        for (String s : List.of("pos", "proj")) {
            d.put("mid_" + which + "_" + s, diff(stack(fs, f -> f.get(s).transpose().reshape(dm, f.h(), f.w())),
                    npy(fixture, "mid_" + which + "_" + s + ".npy")));
        }
        d.put("mid_" + which + "_memory", diff(Nd4j.stack(1, fs.stream().map(f -> f.get("memory"))
                .toArray(INDArray[]::new)), npy(fixture, "mid_" + which + "_memory.npy")));
        for (String[] s : new String[][] {{"hopd", "hopd"}, {"interaction", "interaction"}}) {
            int layers = s[0].equals("hopd") ? m.config().hopdLayers() : m.config().interLayers();
            List<INDArray> ls = new ArrayList<>();
            for (int i = 0; i < layers; i++) {
                final int l = i;
                ls.add(stack(fs, f -> f.get(s[1] + l)));
            }
            d.put("mid_" + which + "_" + s[0], diff(Nd4j.stack(0, ls.toArray(new INDArray[0])),
                    npy(fixture, "mid_" + which + "_" + s[0] + ".npy")));
        }
    }

    private static OedPostProcess post(java.util.Map<String, INDArray> o, String p) {
        return OedPostProcess.of(o.get(p + "obj_logits"), o.get(p + "sub_boxes"), o.get(p + "obj_boxes"),
                o.get(p + "attn_logits"), o.get(p + "spatial_logits"), o.get(p + "contacting_logits"));
    }

    private static void comparePost(LinkedHashMap<String, Double> d, Path fixture, String which,
            List<OedPostProcess> ps) {
        String pre = "post_" + which + "_";
        d.put(pre + "pred_scores", diff(rows(ps, p -> Nd4j.createFromArray(p.scores())), npy(fixture, pre + "pred_scores.npy")));
        // labels are float32 in the reference (type promotion); compared exactly, as integers
        d.put(pre + "pred_labels", differing(rows(ps, p -> Nd4j.createFromArray(p.labels()).castTo(DataType.DOUBLE)),
                npy(fixture, pre + "pred_labels.npy")));
        d.put(pre + "pred_boxes", diff(rows(ps, p -> Nd4j.createFromArray(p.boxes())), npy(fixture, pre + "pred_boxes.npy")));
        d.put(pre + "pair_idx", differing(rows(ps, p -> Nd4j.createFromArray(p.pairs()).castTo(DataType.DOUBLE)),
                npy(fixture, pre + "pair_idx.npy")));
        d.put(pre + "attention_distribution", diff(rows(ps, p -> Nd4j.createFromArray(p.attention())),
                npy(fixture, pre + "attention_distribution.npy")));
        d.put(pre + "spatial_distribution", diff(rows(ps, p -> Nd4j.createFromArray(p.spatial())),
                npy(fixture, pre + "spatial_distribution.npy")));
        d.put(pre + "contacting_distribution", diff(rows(ps, p -> Nd4j.createFromArray(p.contacting())),
                npy(fixture, pre + "contacting_distribution.npy")));
    }

    private static INDArray rows(List<OedPostProcess> ps, Function<OedPostProcess, INDArray> f) {
        return Nd4j.stack(0, ps.stream().map(f).toArray(INDArray[]::new));
    }

    private static INDArray stack(List<OedModel.Frame> fs, Function<OedModel.Frame, INDArray> f) {
        return Nd4j.stack(0, fs.stream().map(f).toArray(INDArray[]::new));
    }

    static INDArray npy(Path fixture, String name) {
        String file = name.endsWith(".npy") ? name : name.startsWith("out_") ? name + ".npy" : name;
        if (!Files.isRegularFile(fixture.resolve(file))) {
            throw new KitException(fixture.resolve(file) + ": file not found (the OED reference fixture's layout)");
        }
        return SttranParity.npy(fixture, file);
    }

    private static double diff(INDArray a, INDArray ref) {
        checkShape(a, ref);
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a.castTo(DataType.DOUBLE).sub(ref.castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue();
    }

    private static double differing(INDArray a, INDArray ref) {
        checkShape(a, ref);
        double[] x = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] y = ref.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            n += x[i] == y[i] ? 0 : 1;
        }
        return n;
    }

    private static void checkShape(INDArray a, INDArray ref) {
        if (!java.util.Arrays.equals(a.shape(), ref.shape())) {
            throw new KitException("OED parity: output shape " + java.util.Arrays.toString(a.shape())
                    + " differs from the reference's " + java.util.Arrays.toString(ref.shape()));
        }
    }
}
