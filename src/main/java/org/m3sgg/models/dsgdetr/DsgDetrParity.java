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
import org.m3sgg.models.sttran.SttranParity;
import org.m3sgg.nn.torch.TorchCheckpoint;
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
        return r;
    }

    private static void predcls(Path fixture, DsgDetrModel model, Map<String, Double> r) {
        RelationInputs in = SttranParity.readInputs(fixture);
        List<int[]> tracks = model.tracks(in);
        compareTracks(fixture, "", tracks, r);
        r.put("features", maxAbsDiff(model.refinedObjects(in), npy(fixture, "out_features.npy")));
        Map<String, INDArray> out = model.relations(in);
        r.put("attention_distribution", maxAbsDiff(out.get(DsgDetrModel.ATTENTION),
                npy(fixture, "out_attention_distribution.npy")));
        r.put("spatial_distribution", maxAbsDiff(out.get(DsgDetrModel.SPATIAL),
                npy(fixture, "out_spatial_distribution.npy")));
        r.put("contacting_distribution", maxAbsDiff(out.get(DsgDetrModel.CONTACTING),
                npy(fixture, "out_contacting_distribution.npy")));
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
