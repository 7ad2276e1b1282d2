package org.m3sgg.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;
import org.m3sgg.models.SggModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Global L1 unstructured pruning of the linear layers' weights ({@link Int8Weights#linearWeights}): the
 * {@code amount} fraction of those weights with the smallest magnitude over all layers together are set to zero
 * (PyTorch's {@code prune.global_unstructured} with {@code L1Unstructured}; ties broken by parameter order, then
 * position). The masks (1 = kept) are kept beside the parameters as {@value #MASKS}, so that they survive saving and
 * loading; a fine-tuning run re-applies them after every optimiser step ({@link FineTune}), so pruned weights stay
 * zero while the others train.
 */
public final class Pruning {

    /** The masks file of a pruned checkpoint or fine-tuning run: one 0/1 float array per pruned weight. */
    public static final String MASKS = "masks.npz";

    private Pruning() {}

    /**
     * Prunes {@code model} in place.
     *
     * @return the masks by weight name
     */
    public static Map<String, INDArray> prune(SggModel model, double amount) {
        if (!(amount > 0 && amount < 1)) {
            throw new KitException("pruning amount must be in (0, 1), got " + amount);
        }
        List<String> names = Int8Weights.linearWeights(model);
        int total = 0;
        for (String n : names) {
            total += (int) model.graph().getVariable(n).getArr().length();
        }
        double[] mag = new double[total];
        int at = 0;
        for (String n : names) {
            for (double v : model.graph().getVariable(n).getArr().dup('c').reshape(-1).castTo(DataType.DOUBLE)
                    .toDoubleVector()) {
                mag[at++] = Math.abs(v);
            }
        }
        int k = (int) Math.round(amount * total);
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(mag[a], mag[b]) != 0 ? Double.compare(mag[a], mag[b])
                : Integer.compare(a, b));
        float[] keep = new float[total];
        Arrays.fill(keep, 1f);
        for (int i = 0; i < k; i++) {
            keep[order[i]] = 0f;
        }
        Map<String, INDArray> masks = new LinkedHashMap<>();
        at = 0;
        for (String n : names) {
            INDArray w = model.graph().getVariable(n).getArr();
            int len = (int) w.length();
            INDArray m = Nd4j.createFromArray(Arrays.copyOfRange(keep, at, at + len)).reshape('c', w.shape())
                    .castTo(w.dataType());
            at += len;
            masks.put(n, m);
        }
        apply(model, masks);
        return masks;
    }

    /** Multiplies every masked weight by its mask (after an optimiser step, after loading). */
    public static void apply(SggModel model, Map<String, INDArray> masks) {
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            var v = model.graph().getVariable(e.getKey());
            if (v == null || !Arrays.equals(v.getArr().shape(), e.getValue().shape())) {
                throw new KitException("pruning mask '" + e.getKey() + "' does not fit this " + model.name()
                        + " model");
            }
            v.getArr().muli(e.getValue());
        }
    }

    /** Fraction of zeros among the model's linear weights. */
    public static double sparsity(SggModel model) {
        long zeros = 0;
        long total = 0;
        for (String n : Int8Weights.linearWeights(model)) {
            INDArray w = model.graph().getVariable(n).getArr();
            zeros += w.length() - w.neq(0.0).castTo(DataType.INT).sumNumber().longValue();
            total += w.length();
        }
        return total == 0 ? 0 : (double) zeros / total;
    }

    public static void write(Path file, Map<String, INDArray> masks) {
        Map<String, NdArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray a = e.getValue().dup('c');
            int[] shape = Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
            out.put(e.getKey(), NdArray.of(a.castTo(DataType.FLOAT).data().asFloat(), shape));
        }
        Npz.write(file, out);
    }

    /** The masks in {@code file}, or null when there is none. */
    public static Map<String, INDArray> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : Npz.read(file).entrySet()) {
            NdArray a = e.getValue();
            if (a.dtype() != NdArray.DType.F4) {
                throw new KitException(file + ": mask '" + e.getKey() + "' is " + a.dtype().descr
                        + ", expected float32");
            }
            long[] shape = Arrays.stream(a.shape()).asLongStream().toArray();
            out.put(e.getKey(), Nd4j.createFromArray(a.floats()).reshape('c', shape));
        }
        return out;
    }
}
