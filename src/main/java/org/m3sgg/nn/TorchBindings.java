package org.m3sgg.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How each PyTorch state_dict key lands in the SameDiff graph. Layers register their parameters here as they
 * create them, so the key list is exactly what the graph holds: loading a checkpoint is then a strict
 * one-to-one check (unknown, missing or wrongly shaped keys are errors) followed by per-key conversion.
 */
public final class TorchBindings {

    /**
     * @param torchKey   the state_dict key
     * @param torchShape its shape in PyTorch
     * @param convert    torch-layout array to (graph variable name, array) pairs; an empty map means the key is
     *                   recognised but carries nothing the graph uses (e.g. {@code num_batches_tracked})
     */
    public record Binding(String torchKey, long[] torchShape, Function<INDArray, Map<String, INDArray>> convert) {}

    private final Map<String, Binding> bindings = new LinkedHashMap<>();

    public void add(Binding b) {
        if (bindings.putIfAbsent(b.torchKey(), b) != null) {
            throw new IllegalStateException("state_dict key bound twice: " + b.torchKey());
        }
    }

    /** A key stored unchanged under the same variable name. */
    public void direct(String key, long[] shape) {
        add(new Binding(key, shape.clone(), a -> Map.of(key, a)));
    }

    /** A key that must be present with this shape but whose value the graph does not use. */
    public void ignored(String key, long[] shape) {
        add(new Binding(key, shape.clone(), a -> Map.of()));
    }

    public Map<String, Binding> all() {
        return java.util.Collections.unmodifiableMap(bindings);
    }

    /**
     * Copies a state dict into the graph. Every key must be bound, every binding must be present, and shapes must
     * match exactly; the first problem is reported with the key and both shapes.
     */
    public void load(SameDiff sd, Map<String, TorchTensor> stateDict, String source) {
        TreeSet<String> unknown = new TreeSet<>(stateDict.keySet());
        unknown.removeAll(bindings.keySet());
        if (!unknown.isEmpty()) {
            throw new KitException(source + ": unknown state_dict key '" + unknown.first() + "' with shape "
                    + Arrays.toString(stateDict.get(unknown.first()).shape()) + " (the model has no such parameter"
                    + (unknown.size() > 1 ? "; " + (unknown.size() - 1) + " more unknown keys" : "") + ")");
        }
        TreeSet<String> missing = new TreeSet<>(bindings.keySet());
        missing.removeAll(stateDict.keySet());
        if (!missing.isEmpty()) {
            String k = missing.first();
            throw new KitException(source + ": missing state_dict key '" + k + "' (the model expects shape "
                    + Arrays.toString(bindings.get(k).torchShape()) + ")"
                    + (missing.size() > 1 ? "; " + (missing.size() - 1) + " more keys missing" : ""));
        }
        for (Binding b : bindings.values()) {
            TorchTensor t = stateDict.get(b.torchKey());
            if (!Arrays.equals(t.shape(), b.torchShape())) {
                throw new KitException(source + ": state_dict key '" + b.torchKey() + "' has shape "
                        + Arrays.toString(t.shape()) + " but the model expects " + Arrays.toString(b.torchShape()));
            }
        }
        for (Binding b : bindings.values()) {
            TorchTensor t = stateDict.get(b.torchKey());
            for (Map.Entry<String, INDArray> e : b.convert().apply(t.toINDArray(DataType.DOUBLE)).entrySet()) {
                SDVariable v = sd.getVariable(e.getKey());
                INDArray target = v.getArr();
                if (!Arrays.equals(target.shape(), e.getValue().shape())) {
                    throw new IllegalStateException("binding of " + b.torchKey() + " produced shape "
                            + Arrays.toString(e.getValue().shape()) + " for " + e.getKey() + " of shape "
                            + Arrays.toString(target.shape()));
                }
                target.assign(e.getValue().castTo(target.dataType()));
            }
        }
    }
}
