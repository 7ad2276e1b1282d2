package org.m3sgg.models.sttran;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runs the Java STTran on a reference fixture folder (the layout of {@code src/test/resources/reference/sttran-reference}:
 * {@code dims.json}, a checkpoint, {@code in_*.npy}, {@code out_*.npy}) in PredCLS evaluation mode and reports
 * the largest absolute difference per output.
 */
public final class SttranParity {

    /** Largest absolute differences against the reference outputs. */
    public record Result(double attention, double spatial, double contacting, int pairs, String checkpoint) {
        public double max() {
            return Math.max(attention, Math.max(spatial, contacting));
        }
    }

    private SttranParity() {}

    /**
     * The widths recorded in a fixture's {@code dims.json}. The zero-sum key-mask quirk is off: on this fixture
     * (layer norms at their initial parameters) every encoder row sums to 0 up to rounding, so whether the quirk
     * masks a real row depends on summation order; PyTorch 2.13 itself misses the fixture by 0.25-0.36 with it on.
     * The fixture's outputs (PyTorch 1.13, no real row at exactly 0) are those of the forward pass without it.
     */
    public static SttranConfig configFromDims(Path dimsJson) {
        JsonNode d;
        try {
            d = new ObjectMapper().readTree(dimsJson.toFile());
        } catch (IOException e) {
            throw new KitException(dimsJson + ": cannot read (" + e.getMessage() + ")");
        }
        int dModel = field(d, "d_model", dimsJson);
        SttranConfig c = new SttranConfig(field(d, "feature", dimsJson), field(d, "union_channels_in", dimsJson),
                field(d, "union_channels_out", dimsJson), field(d, "pair_fc", dimsJson), field(d, "embedding", dimsJson),
                dModel, field(d, "heads", dimsJson), field(d, "ffn", dimsJson), field(d, "enc_layers", dimsJson),
                field(d, "dec_layers", dimsJson), 0.1, field(d, "object_classes", dimsJson),
                field(d, "classifier_hidden", dimsJson), field(d, "pos_embed", dimsJson),
                org.m3sgg.models.relation.RelationWidths.Classes.actionGenome().attention(),
                org.m3sgg.models.relation.RelationWidths.Classes.actionGenome().spatial(),
                org.m3sgg.models.relation.RelationWidths.Classes.actionGenome().contacting(),
                org.m3sgg.models.relation.RelationLoss.MARGIN, true, false, 0.001);
        return c;
    }

    private static int field(JsonNode d, String key, Path file) {
        JsonNode v = d.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new KitException(file + ": key '" + key + "' missing or not an integer");
        }
        return v.asInt();
    }

    /** Runs the comparison with the given checkpoint file (a name inside the folder or a path). */
    public static Result run(Path fixture, Path checkpoint) {
        SttranConfig cfg = configFromDims(fixture.resolve("dims.json"));
        SttranModel model = SttranModel.build(cfg, Mode.PREDCLS, 0);
        model.loadStateDict(TorchCheckpoint.loadStateDict(checkpoint), checkpoint.toString());
        RelationInputs in = readInputs(fixture);
        Map<String, INDArray> out = model.forward(in);
        return new Result(
                maxAbsDiff(out.get(SttranModel.ATTENTION), npy(fixture, "out_attention_distribution.npy")),
                maxAbsDiff(out.get(SttranModel.SPATIAL), npy(fixture, "out_spatial_distribution.npy")),
                maxAbsDiff(out.get(SttranModel.CONTACTING), npy(fixture, "out_contacting_distribution.npy")),
                in.numPairs(), checkpoint.getFileName().toString());
    }

    /** The checkpoint {@link #compare} uses when given none (in the fixture folder). */
    public static final String DEFAULT_CHECKPOINT = "sttran_predcls.zip.tar";

    /**
     * {@link #run} keyed by reference output name (file name without {@code out_} and {@code .npy}), the form
     * {@code m3sgg parity} prints; {@code checkpointOrNull} null: {@link #DEFAULT_CHECKPOINT} in the folder.
     */
    public static LinkedHashMap<String, Double> compare(Path fixture, Path checkpointOrNull) {
        Result r = run(fixture, checkpointOrNull != null ? checkpointOrNull : fixture.resolve(DEFAULT_CHECKPOINT));
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        m.put("attention_distribution", r.attention());
        m.put("spatial_distribution", r.spatial());
        m.put("contacting_distribution", r.contacting());
        return m;
    }

    /** The fixture's PredCLS inputs as {@link RelationInputs}. */
    public static RelationInputs readInputs(Path fixture) {
        INDArray boxes = npy(fixture, "in_boxes.npy").castTo(DataType.DOUBLE);
        INDArray labels = npy(fixture, "in_labels.npy").castTo(DataType.LONG);
        INDArray pairIdx = npy(fixture, "in_pair_idx.npy").castTo(DataType.LONG);
        INDArray imIdx = npy(fixture, "in_im_idx.npy").castTo(DataType.DOUBLE);
        INDArray features = npy(fixture, "in_features.npy").castTo(DataType.FLOAT);
        INDArray union = npy(fixture, "in_union_feat.npy").castTo(DataType.FLOAT);
        INDArray masks = npy(fixture, "in_spatial_masks.npy").castTo(DataType.FLOAT);
        int n = (int) boxes.size(0);
        if (boxes.rank() != 2 || boxes.size(1) != 5) {
            throw new KitException(fixture.resolve("in_boxes.npy") + ": expected [N, 5] (frame, x1, y1, x2, y2)");
        }
        double[][] b = new double[n][4];
        int[] boxFrame = new int[n];
        for (int i = 0; i < n; i++) {
            boxFrame[i] = (int) boxes.getDouble(i, 0);
            for (int k = 0; k < 4; k++) {
                b[i][k] = boxes.getDouble(i, k + 1);
            }
        }
        int[] lab = labels.toIntVector();
        if (lab.length != n) {
            throw new KitException(fixture.resolve("in_labels.npy") + ": " + lab.length + " labels for " + n + " boxes");
        }
        int p = (int) pairIdx.size(0);
        if (pairIdx.rank() != 2 || pairIdx.size(1) != 2) {
            throw new KitException(fixture.resolve("in_pair_idx.npy") + ": expected [P, 2]");
        }
        int[][] pairs = new int[p][2];
        int[] pairFrame = new int[p];
        if (imIdx.length() != p) {
            throw new KitException(fixture.resolve("in_im_idx.npy") + ": " + imIdx.length() + " entries for " + p + " pairs");
        }
        for (int i = 0; i < p; i++) {
            pairs[i][0] = (int) pairIdx.getLong(i, 0);
            pairs[i][1] = (int) pairIdx.getLong(i, 1);
            pairFrame[i] = (int) imIdx.getDouble(i);
        }
        return new RelationInputs(features, b, boxFrame, lab, pairs, pairFrame, union, masks, null);
    }

    static double maxAbsDiff(INDArray a, INDArray b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new KitException("output shape " + java.util.Arrays.toString(a.shape()) + " differs from reference "
                    + java.util.Arrays.toString(b.shape()));
        }
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    /** Reads a C-order .npy file; Fortran-order files are rejected (ND4J would misread them silently). */
    public static INDArray npy(Path dir, String name) {
        Path f = dir.resolve(name);
        if (!Files.isRegularFile(f)) {
            throw new KitException(f + ": file not found");
        }
        try (InputStream in = Files.newInputStream(f)) {
            byte[] head = in.readNBytes(256);
            String header = new String(head, StandardCharsets.ISO_8859_1);
            if (!header.startsWith("\u0093NUMPY")) {
                throw new KitException(f + ": not a .npy file");
            }
            if (header.contains("'fortran_order': True")) {
                throw new KitException(f + ": Fortran-order .npy is not supported; save it with np.ascontiguousarray");
            }
        } catch (IOException e) {
            throw new KitException(f + ": cannot read (" + e.getMessage() + ")");
        }
        return Nd4j.createFromNpyFile(f.toFile());
    }

    /** As a JSON-ready map. */
    public static Map<String, Double> asMap(Result r) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("attention", r.attention());
        m.put("spatial", r.spatial());
        m.put("contacting", r.contacting());
        return m;
    }
}
