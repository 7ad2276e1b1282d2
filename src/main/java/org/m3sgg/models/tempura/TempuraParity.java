package org.m3sgg.models.tempura;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.relation.RelationWidths;
import org.m3sgg.models.sttran.SttranParity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Runs the Java TEMPURA on a reference fixture folder (the layout of
 * {@code src/test/resources/reference/tempura-reference}: {@code dims.json}, a checkpoint in {@code train.py}'s
 * layout, {@code in_*.npy}, {@code out_*.npy}) in PredCLS evaluation mode and reports the largest absolute
 * difference for every {@code out_*.npy}. Three passes, as the fixture's README describes: the memory of the
 * checkpoint ({@code out_<type>_distribution}, {@code out_rel_features} = the temporal decoder's output,
 * {@code out_rel_mem_features} = the hallucinator's output, {@code out_<type>_al_uc} / {@code _ep_uc} = the GMM
 * heads' aleatoric / epistemic uncertainties) and an empty memory ({@code out_nomem_<type>_distribution}).
 */
public final class TempuraParity {

    /** The checkpoint used when none is given. */
    public static final String DEFAULT_CHECKPOINT = "tempura_predcls.zip.tar";

    private TempuraParity() {}

    /**
     * For every {@code out_*.npy} of the folder (key: the name without {@code out_} and {@code .npy}), the largest
     * absolute difference to the Java output; for integer outputs, the number of differing entries.
     *
     * @param checkpointOrNull the checkpoint, or null for {@value #DEFAULT_CHECKPOINT} in the folder
     */
    public static LinkedHashMap<String, Double> compare(Path fixtureDir, Path checkpointOrNull) {
        Path ckpt = checkpointOrNull != null ? checkpointOrNull : fixtureDir.resolve(DEFAULT_CHECKPOINT);
        TempuraConfig cfg = configFromDims(fixtureDir.resolve("dims.json"));
        TempuraModel model = TempuraModel.build(cfg, Mode.PREDCLS, 0);
        TempuraCheckpoint.load(model, ckpt);
        RelationInputs in = SttranParity.readInputs(fixtureDir);

        Map<String, INDArray> java = new LinkedHashMap<>();
        Map<String, INDArray> withMemory = model.relationsWithFeatures(in);
        java.put("attention_distribution", withMemory.get(TempuraModel.ATTENTION_PROBABILITY));
        java.put("spatial_distribution", withMemory.get(TempuraModel.SPATIAL));
        java.put("contacting_distribution", withMemory.get(TempuraModel.CONTACTING));
        java.put("rel_features", withMemory.get(TempuraModel.MEMORY_SOURCE));
        java.put("rel_mem_features", withMemory.get(TempuraModel.MEMORY_FUSED));
        for (String t : TempuraModel.TYPES) {
            java.put(t + "_al_uc", withMemory.get(t + TempuraModel.ALEATORIC));
            java.put(t + "_ep_uc", withMemory.get(t + TempuraModel.EPISTEMIC));
        }
        model.clearMemory();
        Map<String, INDArray> noMemory = model.relationsWithFeatures(in);
        java.put("nomem_attention_distribution", noMemory.get(TempuraModel.ATTENTION_PROBABILITY));
        java.put("nomem_spatial_distribution", noMemory.get(TempuraModel.SPATIAL));
        java.put("nomem_contacting_distribution", noMemory.get(TempuraModel.CONTACTING));

        LinkedHashMap<String, Double> diffs = new LinkedHashMap<>();
        for (String file : outputFiles(fixtureDir)) {
            String key = file.substring("out_".length(), file.length() - ".npy".length());
            INDArray mine = java.get(key);
            if (mine == null) {
                throw new KitException(fixtureDir.resolve(file) + ": no Java output corresponds to '" + key + "'");
            }
            diffs.put(key, difference(key, mine, SttranParity.npy(fixtureDir, file)));
        }
        return diffs;
    }

    private static List<String> outputFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("out_") && n.endsWith(".npy"))
                    .sorted().forEach(names::add);
            if (names.isEmpty()) {
                throw new KitException(dir + ": no out_*.npy files");
            }
            return names;
        } catch (IOException e) {
            throw new KitException(dir + ": cannot list (" + e.getMessage() + ")");
        }
    }

    private static double difference(String key, INDArray mine, INDArray ref) {
        if (!Arrays.equals(mine.shape(), ref.shape())) {
            throw new KitException("output '" + key + "' has shape " + Arrays.toString(mine.shape())
                    + ", the reference " + Arrays.toString(ref.shape()));
        }
        if (!ref.dataType().isFPType()) {
            INDArray a = mine.castTo(DataType.LONG);
            INDArray b = ref.castTo(DataType.LONG);
            return a.neq(b).castTo(DataType.INT).sumNumber().doubleValue();
        }
        return Transforms.abs(mine.castTo(DataType.DOUBLE).sub(ref.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    /** The widths and flags recorded in a fixture's {@code dims.json}; flags the kit does not implement are refused. */
    public static TempuraConfig configFromDims(Path dimsJson) {
        JsonNode d;
        try {
            d = new ObjectMapper().readTree(dimsJson.toFile());
        } catch (IOException e) {
            throw new KitException(dimsJson + ": cannot read (" + e.getMessage() + ")");
        }
        JsonNode flags = d.get("flags");
        if (flags == null) {
            throw new KitException(dimsJson + ": key 'flags' missing");
        }
        String mode = text(flags, "mode", dimsJson);
        if (!mode.equals("predcls")) {
            throw new KitException(dimsJson + ": mode '" + mode + "': only predcls fixtures are supported");
        }
        if (!text(flags, "rel_head", dimsJson).equals("gmm") || flags.path("tracking").asBoolean(true)
                || flags.path("obj_mem_compute").asBoolean(true) || flags.path("take_obj_mem_feat").asBoolean(true)) {
            throw new KitException(dimsJson + ": flags " + flags + ": the kit supports rel_head gmm without tracking, "
                    + "obj_mem_compute or take_obj_mem_feat");
        }
        String mem = text(flags, "rel_mem_compute", dimsJson);
        TempuraConfig.MemCompute memCompute = switch (mem) {
            case "joint" -> TempuraConfig.MemCompute.JOINT;
            case "seperate", "separate" -> TempuraConfig.MemCompute.SEPARATE;
            case "None", "none", "null" -> TempuraConfig.MemCompute.NONE;
            default -> throw new KitException(dimsJson + ": rel_mem_compute '" + mem + "' unknown");
        };
        String fusion = text(flags, "mem_fusion", dimsJson);
        TempuraConfig.MemFusion memFusion = switch (fusion) {
            case "early" -> TempuraConfig.MemFusion.EARLY;
            case "late" -> TempuraConfig.MemFusion.LATE;
            default -> throw new KitException(dimsJson + ": mem_fusion '" + fusion + "' unknown");
        };
        String sel = text(flags, "mem_feat_selection", dimsJson);
        TempuraConfig.Selection selection = switch (sel) {
            case "manual" -> TempuraConfig.Selection.MANUAL;
            case "automated" -> TempuraConfig.Selection.AUTOMATED;
            default -> throw new KitException(dimsJson + ": mem_feat_selection '" + sel + "' unknown");
        };
        RelationWidths.Classes ag = RelationWidths.Classes.actionGenome();
        return new TempuraConfig(field(d, "feature", dimsJson), field(d, "union_channels_in", dimsJson),
                field(d, "union_channels_out", dimsJson), field(d, "pair_fc", dimsJson), field(d, "embedding", dimsJson),
                field(d, "d_model", dimsJson), field(d, "heads", dimsJson), field(d, "ffn", dimsJson),
                field(d, "enc_layers", dimsJson), field(d, "dec_layers", dimsJson), 0.1,
                field(d, "object_classes", dimsJson), field(d, "classifier_hidden", dimsJson),
                field(d, "pos_embed", dimsJson), field(d, "attention_classes", dimsJson),
                field(d, "spatial_classes", dimsJson), field(d, "contacting_classes", dimsJson),
                field(d, "gmm_k", dimsJson), memCompute, memFusion, selection,
                flags.path("mem_feat_lambda").asDouble(0.5), false, 3, 8, 1024, TempuraConfig.LossWeighting.NONE,
                TempuraConfig.ContrastiveLoss.NONE, 1.0, 1.0, 0.001);
    }

    private static String text(JsonNode d, String key, Path file) {
        JsonNode v = d.get(key);
        if (v == null || v.isNull()) {
            throw new KitException(file + ": key '" + key + "' missing");
        }
        return v.asText();
    }

    private static int field(JsonNode d, String key, Path file) {
        JsonNode v = d.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new KitException(file + ": key '" + key + "' missing or not an integer");
        }
        return v.asInt();
    }
}
