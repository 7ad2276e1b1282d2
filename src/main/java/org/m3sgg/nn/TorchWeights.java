package org.m3sgg.nn;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A PyTorch state dict read key by key while a forward-only graph is built from it, for networks whose shape is
 * read from the checkpoint (depth and widths) rather than declared first. Every key taken is remembered, so
 * {@link #requireAllUsed} makes loading strict like {@code load_state_dict(strict=True)}: a key the network does
 * not use is an error naming it; a missing key or a wrong shape is an error when it is taken.
 */
public final class TorchWeights {

    private final Map<String, TorchTensor> tensors;
    private final String source;
    private final TreeSet<String> used = new TreeSet<>();

    /** @param source names the origin in error messages (a file) */
    public TorchWeights(Map<String, TorchTensor> tensors, String source) {
        this.tensors = new LinkedHashMap<>(tensors);
        this.source = source;
    }

    public String source() {
        return source;
    }

    /** Every key of the state dict, in its order. */
    public java.util.Set<String> keys() {
        return java.util.Collections.unmodifiableSet(tensors.keySet());
    }

    public boolean has(String key) {
        return tensors.containsKey(key);
    }

    /** The shape of {@code key} (an error naming the key when it is missing). */
    public long[] shape(String key) {
        return tensor(key).shape();
    }

    /** The tensor as float32, marked used; {@code rank} is checked. */
    public INDArray takeRank(String key, int rank) {
        TorchTensor t = tensor(key);
        if (t.shape().length != rank) {
            throw new KitException(source + ": key '" + key + "' has shape " + Arrays.toString(t.shape())
                    + ", expected rank " + rank);
        }
        used.add(key);
        return t.toINDArray(DataType.FLOAT);
    }

    /** {@link #take} with the exact shape checked. */
    public INDArray take(String key, long... shape) {
        TorchTensor t = tensor(key);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new KitException(source + ": key '" + key + "' has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(shape));
        }
        used.add(key);
        return t.toINDArray(DataType.FLOAT);
    }

    /** Marks an optional key (such as {@code num_batches_tracked}) as known when present. */
    public void skipIfPresent(String key) {
        if (tensors.containsKey(key)) {
            used.add(key);
        }
    }

    /** Every key of the state dict was taken; otherwise an error naming the first unused key. */
    public void requireAllUsed(String network) {
        TreeSet<String> unknown = new TreeSet<>(tensors.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new KitException(source + ": unknown state_dict key '" + unknown.first() + "' with shape "
                    + Arrays.toString(tensors.get(unknown.first()).shape()) + " (" + network
                    + " has no such parameter" + (unknown.size() > 1 ? "; " + (unknown.size() - 1) + " more" : "")
                    + ")");
        }
    }

    private TorchTensor tensor(String key) {
        TorchTensor t = tensors.get(key);
        if (t == null) {
            throw new KitException(source + ": missing state_dict key '" + key + "'");
        }
        return t;
    }
}
