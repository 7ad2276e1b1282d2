package org.m3sgg.models;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.BatchNorm;
import org.m3sgg.nn.NnScope;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What every graph model's {@code state()}, {@code loadState()} and {@code parameterCount()} share: the trainable
 * variables and batch-norm running statistics of its {@link NnScope}, copied strictly by name and shape.
 */
public final class ModelState {

    private ModelState() {}

    /** Trainable variables, then batch-norm running statistics ({@code <bn>.running_mean/var}), as live arrays. */
    public static Map<String, INDArray> of(NnScope scope) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : scope.trainable()) {
            out.put(name, scope.sd().getVariable(name).getArr());
        }
        for (BatchNorm bn : scope.batchNorms()) {
            out.put(bn.name() + ".running_mean", bn.runningMean());
            out.put(bn.name() + ".running_var", bn.runningVar());
        }
        return out;
    }

    /** Number of trainable scalars (the reference's {@code sum(p.numel())}). */
    public static long parameterCount(NnScope scope) {
        long total = 0;
        for (String name : scope.trainable()) {
            total += scope.sd().getVariable(name).getArr().length();
        }
        return total;
    }

    /**
     * Copies {@code state} into the live arrays {@code mine} (a model's {@code state()}). Strict: a name the model
     * lacks, a missing name or a shape mismatch is a {@link KitException} naming {@code source} and the model.
     */
    public static void load(Map<String, INDArray> mine, Map<String, INDArray> state, String source, String model) {
        for (String name : state.keySet()) {
            if (!mine.containsKey(name)) {
                throw new KitException(source + ": '" + name + "' is not a parameter of this " + model + " model");
            }
        }
        for (Map.Entry<String, INDArray> e : mine.entrySet()) {
            INDArray src = state.get(e.getKey());
            if (src == null) {
                throw new KitException(source + ": no value for " + model + " parameter '" + e.getKey() + "'");
            }
            if (!Arrays.equals(src.shape(), e.getValue().shape())) {
                throw new KitException(source + ": '" + e.getKey() + "' has shape " + Arrays.toString(src.shape())
                        + ", this model expects " + Arrays.toString(e.getValue().shape())
                        + " (was the checkpoint trained with other widths?)");
            }
            e.getValue().assign(src.castTo(e.getValue().dataType()));
        }
    }

    /**
     * Adds {@code grads} into {@code sum} by name (copies for names {@code sum} lacks, since the graph may reuse its
     * gradient arrays on the next call) and returns {@code sum}, a new map when it is {@code null}.
     */
    public static Map<String, INDArray> accumulate(Map<String, INDArray> sum, Map<String, INDArray> grads) {
        Map<String, INDArray> out = sum != null ? sum : new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            INDArray acc = out.get(e.getKey());
            if (acc == null) {
                out.put(e.getKey(), e.getValue().dup());
            } else {
                acc.addi(e.getValue());
            }
        }
        return out;
    }

    /** Frees arrays that are dead (gradients, outputs) at once instead of leaving them to the garbage collector. */
    public static void release(Collection<INDArray> arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) {
                a.close();
            }
        }
    }
}
