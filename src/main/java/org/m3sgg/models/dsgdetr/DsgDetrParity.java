package org.m3sgg.models.dsgdetr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.relation.RelationLoss;
import org.m3sgg.models.relation.SgclsRelabeler;
import org.m3sgg.models.sttran.SttranParity;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.RoiAlign;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runs the Java DSG-DETR on the reference fixture ({@code src/test/resources/reference/dsgdetr-reference}: the
 * published code at reduced widths, PyTorch 1.13, eval mode) and reports, per reference output (the file name
 * without {@code out_} and {@code .npy}), the largest absolute difference, or for integer outputs (track indices)
 * the number of differing entries. PredCLS: tracks, object-sequence features, the three distributions.
 */
public final class DsgDetrParity {

    /** The checkpoint {@code compare} uses when given none. */
    public static final String DEFAULT_CHECKPOINT = "dsgdetr.zip.tar";

    private DsgDetrParity() {}

    /** The fixture's widths ({@code dims.json}) as a config: dropout 0, reference class grouping and ageing. */
    public static DsgDetrConfig configFromDims(Path dimsJson) {
        JsonNode d;
        try {
            d = new ObjectMapper().readTree(dimsJson.toFile());
        } catch (IOException e) {
            throw new KitException(dimsJson + ": cannot read (" + e.getMessage() + ")");
        }
        int pairFc = field(d, "pair_fc", dimsJson);
        int emb = field(d, "embedding", dimsJson);
        int dModel = field(d, "d_model", dimsJson);
        if (dModel != 3 * pairFc + 2 * emb) {
            throw new KitException(dimsJson + ": d_model " + dModel + " is not 3 * pair_fc + 2 * embedding");
        }
        int feature = field(d, "feature", dimsJson);
        int posEmbed = field(d, "pos_embed", dimsJson);
        int ow = field(d, "object_d_model", dimsJson);
        if (ow != feature + emb + posEmbed) {
            throw new KitException(dimsJson + ": object_d_model " + ow + " is not feature + embedding + pos_embed");
        }
        return new DsgDetrConfig(feature, field(d, "union_channels_in", dimsJson),
                field(d, "union_channels_out", dimsJson), pairFc, emb, dModel, field(d, "heads", dimsJson),
                field(d, "ffn", dimsJson), field(d, "local_layers", dimsJson), field(d, "global_layers", dimsJson),
                field(d, "object_layers", dimsJson), field(d, "object_heads", dimsJson),
                field(d, "object_ffn", dimsJson), 0.0, field(d, "object_classes", dimsJson),
                field(d, "classifier_hidden", dimsJson), posEmbed, field(d, "attention_classes", dimsJson),
                field(d, "spatial_classes", dimsJson), field(d, "contacting_classes", dimsJson), RelationLoss.MARGIN,
                DsgDetrConfig.PairSequences.CLASS, 2, 0.001);
    }

    private static int field(JsonNode d, String key, Path file) {
        JsonNode v = d.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new KitException(file + ": key '" + key + "' missing or not an integer");
        }
        return v.asInt();
    }

    /**
     * Compares every output the Java model reproduces; keys are the reference file names without {@code out_}
     * and {@code .npy}. {@code checkpointOrNull}: a checkpoint path, or null for {@link #DEFAULT_CHECKPOINT} in
     * the fixture folder.
     */
    public static LinkedHashMap<String, Double> compare(Path fixture, Path checkpointOrNull) {
        Path ckpt = checkpointOrNull != null ? checkpointOrNull : fixture.resolve(DEFAULT_CHECKPOINT);
        DsgDetrConfig cfg = configFromDims(fixture.resolve("dims.json"));
        LinkedHashMap<String, Double> r = new LinkedHashMap<>();
        DsgDetrModel predcls = DsgDetrModel.build(cfg, Mode.PREDCLS, 0);
        predcls.loadStateDict(TorchCheckpoint.loadStateDict(ckpt), ckpt.toString());
        predcls(fixture, predcls, r);
        DsgDetrModel sgcls = DsgDetrModel.build(cfg, Mode.SGCLS, 0);
        sgcls.loadStateDict(TorchCheckpoint.loadStateDict(ckpt), ckpt.toString());
        sgcls(fixture, sgcls, r);
        return r;
    }

    private static void predcls(Path fixture, DsgDetrModel model, Map<String, Double> r) {
        RelationInputs in = SttranParity.readInputs(fixture);
        List<int[]> tracks = model.tracks(in);
        compareTracks(fixture, "", tracks, r);
        r.put("features", maxAbsDiff(model.refinedObjects(in), npy(fixture, "out_features.npy")));
        compareDistributions(fixture, "", model.relations(in), r);
    }

    /** The three relation distributions against {@code out_PREFIXattention_distribution.npy} and its siblings. */
    private static void compareDistributions(Path fixture, String prefix, Map<String, INDArray> out,
            Map<String, Double> r) {
        for (String[] head : new String[][] {{DsgDetrModel.ATTENTION, "attention"}, {DsgDetrModel.SPATIAL, "spatial"},
                {DsgDetrModel.CONTACTING, "contacting"}}) {
            String name = prefix + head[1] + "_distribution";
            r.put(name, maxAbsDiff(out.get(head[0]), npy(fixture, "out_" + name + ".npy")));
        }
    }

    /** The reference's track age limit in video frame numbers. */
    static final int TRACK_MAX_AGE = 50;

    /**
     * SGCLS as the reference's {@code test.py}: tracker on the detector argmax, features and boxes (image size
     * {@code im_info[:2] / scale}, frame numbers from the key-frame names, the swapped normalisation), the object
     * encoder and classifier, the human and duplicate relabelling, pairs, union boxes, RoIAlign union features,
     * spatial masks and the relation heads, each step on this implementation's own previous outputs.
     */
    private static void sgcls(Path fixture, DsgDetrModel model, Map<String, Double> r) {
        INDArray boxArr = npy(fixture, "in_sgcls_boxes.npy").castTo(DataType.FLOAT);
        INDArray features = npy(fixture, "in_sgcls_features.npy").castTo(DataType.FLOAT);
        INDArray detector = npy(fixture, "in_sgcls_distribution.npy").castTo(DataType.FLOAT);
        INDArray fmaps = npy(fixture, "in_sgcls_fmaps.npy").castTo(DataType.FLOAT).dup('c');
        INDArray imInfo = npy(fixture, "in_sgcls_im_info.npy").castTo(DataType.FLOAT);
        int[] keys = npy(fixture, "in_sgcls_frame_keys.npy").castTo(DataType.LONG).toIntVector();
        int[] gt = npy(fixture, "in_sgcls_labels.npy").castTo(DataType.LONG).toIntVector();
        int n = (int) boxArr.size(0);
        if (boxArr.rank() != 2 || boxArr.size(1) != 5) {
            throw new KitException(fixture.resolve("in_sgcls_boxes.npy") + ": expected [N, 5]");
        }
        float[][] fb = boxArr.toFloatMatrix();
        double[][] boxes = new double[n][4];
        int[] boxFrame = new int[n];
        for (int i = 0; i < n; i++) {
            boxFrame[i] = (int) fb[i][0];
            for (int k = 0; k < 4; k++) {
                boxes[i][k] = fb[i][k + 1];
            }
        }
        float scale = imInfo.getFloat(0, 2);
        double height = imInfo.getFloat(0, 0) / scale;
        double width = imInfo.getFloat(0, 1) / scale;
        List<int[]> tracks = ObjectTracker.track(boxes, features.castTo(DataType.DOUBLE).toDoubleMatrix(),
                detector.castTo(DataType.DOUBLE).toDoubleMatrix(), boxFrame, keys, width, height, true,
                ObjectTracker.Params.reference(TRACK_MAX_AGE));
        compareTracks(fixture, "sgcls_", tracks, r);

        RelationInputs objects = new RelationInputs(features, boxes, boxFrame, gt, new int[0][], new int[0],
                Nd4j.zeros(DataType.FLOAT, 0, model.config().unionIn(), 7, 7),
                Nd4j.zeros(DataType.FLOAT, 0, 2, 27, 27), detector);
        Map<String, INDArray> obj = model.objectOutputs(objects, tracks);
        r.put("sgcls_features", maxAbsDiff(obj.get(DsgDetrModel.REFINED), npy(fixture, "out_sgcls_features.npy")));

        // ---- labels: softmax over the classes, human per frame, duplicate clean-up ----
        // (the kit's SgclsRelabeler: STTran's rules, which DSG-DETR's test path repeats)
        SgclsRelabeler.Result lab = SgclsRelabeler.relabel(obj.get(DsgDetrModel.OBJECT_LOGITS), boxFrame);
        r.put("sgcls_distribution", maxAbsDiff(Nd4j.createFromArray(lab.distribution()),
                npy(fixture, "out_sgcls_distribution.npy")));
        r.put("sgcls_pred_labels", (double) differing(toLong(lab.labels()),
                npy(fixture, "out_sgcls_pred_labels.npy").castTo(DataType.LONG).toLongVector()));
        r.put("sgcls_pred_scores", maxAbsDiff(Nd4j.createFromArray(lab.scores()),
                npy(fixture, "out_sgcls_pred_scores.npy")));

        // ---- pairs: (human, every other box of the frame not labelled 1), in box order ----
        int[][] pairs = lab.pairs();
        int[] pairFrame = lab.pairFrame();
        int p = pairs.length;
        long[] pairFlat = new long[2 * p];
        double[] imIdx = new double[p];
        for (int i = 0; i < p; i++) {
            pairFlat[2 * i] = pairs[i][0];
            pairFlat[2 * i + 1] = pairs[i][1];
            imIdx[i] = pairFrame[i];
        }
        r.put("sgcls_pair_idx", (double) differing(pairFlat,
                npy(fixture, "out_sgcls_pair_idx.npy").castTo(DataType.LONG).reshape(-1).toLongVector()));
        r.put("sgcls_im_idx", maxAbsDiff(Nd4j.createFromArray(imIdx), npy(fixture, "out_sgcls_im_idx.npy")));

        // ---- boxes * s / s in place (float32), union boxes in the scaled image, RoIAlign, masks ----
        float[][] scaled = new float[n][4];
        float[][] back = new float[n][5];
        for (int i = 0; i < n; i++) {
            back[i][0] = fb[i][0];
            for (int k = 0; k < 4; k++) {
                scaled[i][k] = fb[i][k + 1] * scale;
                back[i][k + 1] = scaled[i][k] / scale;
            }
        }
        r.put("sgcls_boxes", maxAbsDiff(Nd4j.createFromArray(back), npy(fixture, "out_sgcls_boxes.npy")));
        float[][] union = new float[p][5];
        float[] rois = new float[8 * p];
        for (int i = 0; i < p; i++) {
            float[] a = scaled[pairs[i][0]];
            float[] b = scaled[pairs[i][1]];
            union[i] = new float[] {pairFrame[i], Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]),
                Math.max(a[3], b[3])};
            for (int k = 0; k < 4; k++) {
                rois[8 * i + k] = back[pairs[i][0]][k + 1];
                rois[8 * i + 4 + k] = back[pairs[i][1]][k + 1];
            }
        }
        r.put("sgcls_union_box", maxAbsDiff(Nd4j.createFromArray(union), npy(fixture, "out_sgcls_union_box.npy")));
        float[] scales = new float[(int) fmaps.size(0)];
        java.util.Arrays.fill(scales, scale);
        FrameMaps maps = new FrameMaps(scales.length, (int) fmaps.size(1), (int) fmaps.size(2), (int) fmaps.size(3),
                fmaps.data().asFloat(), scales, FrameMaps.STRIDE_16);
        INDArray unionFeat = Nd4j.createFromArray(RoiAlign.apply(maps, union, 7))
                .reshape(p, maps.channels(), 7, 7);
        r.put("sgcls_union_feat", maxAbsDiff(unionFeat, npy(fixture, "out_sgcls_union_feat.npy")));
        INDArray masks = Nd4j.createFromArray(org.m3sgg.features.SpatialMasks.of(rois)).reshape(p, 2, 27, 27);
        r.put("sgcls_spatial_masks", maxAbsDiff(masks, npy(fixture, "out_sgcls_spatial_masks.npy")));

        // ---- relations on the relabelled classes (pair sequences grouped by the predicted object label) ----
        RelationInputs rel = new RelationInputs(features, boxes, boxFrame, lab.labels(), pairs, pairFrame, unionFeat,
                masks, detector);
        compareDistributions(fixture, "sgcls_", model.relations(rel, tracks), r);
    }

    private static long[] toLong(int[] a) {
        long[] l = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            l[i] = a[i];
        }
        return l;
    }

    /** {@code indices} and {@code indices_lengths}: differing entries (all of them if the lengths differ). */
    private static void compareTracks(Path fixture, String prefix, List<int[]> tracks, Map<String, Double> r) {
        long[] refIdx = npy(fixture, "out_" + prefix + "indices.npy").castTo(DataType.LONG).toLongVector();
        long[] refLen = npy(fixture, "out_" + prefix + "indices_lengths.npy").castTo(DataType.LONG).toLongVector();
        int total = tracks.stream().mapToInt(t -> t.length).sum();
        long[] idx = new long[total];
        long[] len = new long[tracks.size()];
        int k = 0;
        for (int t = 0; t < tracks.size(); t++) {
            len[t] = tracks.get(t).length;
            for (int b : tracks.get(t)) {
                idx[k++] = b;
            }
        }
        r.put(prefix + "indices", (double) differing(idx, refIdx));
        r.put(prefix + "indices_lengths", (double) differing(len, refLen));
    }

    static long differing(long[] a, long[] b) {
        if (a.length != b.length) {
            return Math.max(a.length, b.length);
        }
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new KitException("output shape " + java.util.Arrays.toString(a.shape()) + " differs from reference "
                    + java.util.Arrays.toString(b.shape()));
        }
        if (a.length() == 0) {
            return 0;
        }
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    static INDArray npy(Path dir, String name) {
        return SttranParity.npy(dir, name);
    }
}
