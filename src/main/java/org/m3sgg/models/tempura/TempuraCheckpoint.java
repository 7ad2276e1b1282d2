package org.m3sgg.models.tempura;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Imports a reference TEMPURA checkpoint (the layout {@code train.py} saves: {@code {'state_dict', 'object_memory',
 * 'rel_memory'}}, either torch serialisation) into a {@link TempuraModel}. Strict throughout: an unknown, missing
 * or wrongly shaped key, at the top level, in the state dict or in the relation memory, is a {@link KitException}
 * naming it.
 *
 * <p>{@code rel_memory} ({@code {'attention': [3, D], 'spatial': [6, D], 'contacting': [17, D]}}) becomes the
 * model's predicate memory (rows in that order). An empty {@code rel_memory} (what {@code train.py} stores before
 * the first memory computation) empties the model's memory. {@code object_memory} must have the shape
 * [object classes - 1, classifier hidden]; the kit does not implement the object memory ({@code -obj_mem_compute}),
 * so a non-zero one is refused rather than silently dropped ({@code train.py} stores zeros when it is off).
 */
public final class TempuraCheckpoint {

    private static final Set<String> TOP = Set.of("state_dict", "object_memory", "rel_memory");

    private TempuraCheckpoint() {}

    /** Loads {@code file} into {@code model}: parameters, batch-norm statistics and the relation memory. */
    public static void load(TempuraModel model, Path file) {
        load(model, TorchCheckpoint.load(file), file.toString());
    }

    /** As {@link #load(TempuraModel, Path)} from an unpickled checkpoint ({@link TorchCheckpoint#load}). */
    public static void load(TempuraModel model, Object checkpoint, String src) {
        Map<?, ?> top = asMap(checkpoint, src, "the checkpoint");
        TreeSet<String> keys = new TreeSet<>();
        top.keySet().forEach(k -> keys.add(String.valueOf(k)));
        for (String k : keys) {
            if (!TOP.contains(k)) {
                throw new KitException(src + ": unknown top-level key '" + k + "' (expected state_dict, object_memory, "
                        + "rel_memory)");
            }
        }
        for (String k : new TreeSet<>(TOP)) {
            if (!keys.contains(k)) {
                throw new KitException(src + ": missing top-level key '" + k + "'");
            }
        }
        Map<String, TorchTensor> stateDict = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : asMap(top.get("state_dict"), src, "'state_dict'").entrySet()) {
            if (!(e.getValue() instanceof TorchTensor t)) {
                throw new KitException(src + ": key '" + e.getKey() + "' is not a tensor");
            }
            stateDict.put(String.valueOf(e.getKey()), t);
        }
        model.loadStateDict(stateDict, src);

        TempuraConfig c = model.config();
        INDArray objMem = tensor(top.get("object_memory"), src, "object_memory",
                new long[] {c.objectClasses() - 1, c.classifierHidden()});
        if (objMem.amaxNumber().doubleValue() != 0) {
            throw new KitException(src + ": 'object_memory' is not zero; the kit's TEMPURA has no object memory "
                    + "(-obj_mem_compute), so it cannot use it");
        }

        Map<?, ?> rel = asMap(top.get("rel_memory"), src, "'rel_memory'");
        if (rel.isEmpty()) {
            model.clearMemory();
            return;
        }
        List<String> types = TempuraModel.TYPES;
        int[] rows = {c.attentionClasses(), c.spatialClasses(), c.contactingClasses()};
        for (Object k : rel.keySet()) {
            if (!types.contains(String.valueOf(k))) {
                throw new KitException(src + ": unknown key 'rel_memory." + k + "' (expected attention, spatial, "
                        + "contacting)");
            }
        }
        INDArray[] parts = new INDArray[3];
        for (int i = 0; i < 3; i++) {
            String t = types.get(i);
            if (!rel.containsKey(t)) {
                throw new KitException(src + ": missing key 'rel_memory." + t + "'");
            }
            parts[i] = tensor(rel.get(t), src, "rel_memory." + t, new long[] {rows[i], c.dModel()});
        }
        model.setMemory(Nd4j.concat(0, parts).castTo(model.dataType()));
    }

    private static Map<?, ?> asMap(Object o, String src, String what) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new KitException(src + ": " + what + " is not a dict (" + (o == null ? "None" : o.getClass().getSimpleName())
                + ")");
    }

    private static INDArray tensor(Object o, String src, String key, long[] shape) {
        if (!(o instanceof TorchTensor t)) {
            throw new KitException(src + ": key '" + key + "' is not a tensor");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new KitException(src + ": key '" + key + "' has shape " + Arrays.toString(t.shape())
                    + " but the model expects " + Arrays.toString(shape));
        }
        return t.toINDArray(DataType.DOUBLE);
    }
}
