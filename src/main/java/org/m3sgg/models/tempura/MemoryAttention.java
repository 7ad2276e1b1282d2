package org.m3sgg.models.tempura;

import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.Softmax;
import org.m3sgg.nn.TorchBindings;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The memory hallucinator's attention: {@code torch.nn.MultiheadAttention(D, 1 head, dropout 0, bias=False)} with
 * each relation feature as its own query over the M predicate prototypes as keys and values. Single head, no
 * biases anywhere (also none on the output projection). Parameters {@code <name>.q_weight}, {@code k_weight},
 * {@code v_weight} (the reference's stacked {@code in_proj_weight} split in three) and {@code out_proj.weight}.
 */
public final class MemoryAttention {

    private final NnScope scope;
    private final int dim;
    private final SDVariable wq;
    private final SDVariable wk;
    private final SDVariable wv;
    private final SDVariable wo;

    public MemoryAttention(NnScope scope, String name, int dim) {
        this.scope = scope;
        this.dim = dim;
        // PyTorch: xavier_uniform over the stacked [3D, D] projection; out_proj keeps Linear's default init
        double bound = Math.sqrt(6.0 / (dim + 3.0 * dim));
        INDArray stacked = scope.uniform(-bound, bound, 3L * dim, dim);
        wq = scope.unboundParam(name + ".q_weight", rows(stacked, 0));
        wk = scope.unboundParam(name + ".k_weight", rows(stacked, 1));
        wv = scope.unboundParam(name + ".v_weight", rows(stacked, 2));
        double ob = 1.0 / Math.sqrt(dim);
        wo = scope.unboundParam(name + ".out_proj.weight", scope.uniform(-ob, ob, dim, dim));
        // checkpoint import: the reference's stacked in_proj_weight [3D, D] splits into the three projections
        scope.bindings().add(new TorchBindings.Binding(name + ".in_proj_weight", new long[] {3L * dim, dim}, a -> {
            Map<String, INDArray> m = new LinkedHashMap<>();
            m.put(name + ".q_weight", rows(a, 0));
            m.put(name + ".k_weight", rows(a, 1));
            m.put(name + ".v_weight", rows(a, 2));
            return m;
        }));
        scope.bindings().direct(name + ".out_proj.weight", new long[] {dim, dim});
    }

    private INDArray rows(INDArray stacked, int i) {
        return stacked.get(NDArrayIndex.interval((long) i * dim, (long) (i + 1) * dim), NDArrayIndex.all()).dup();
    }

    /**
     * @param feat   [P, D] queries
     * @param memory [M, D] prototypes
     * @return [P, D]
     */
    public SDVariable apply(SDVariable feat, SDVariable memory) {
        SameDiff sd = scope.sd();
        SDVariable q = sd.mmul(feat, wq, false, true, false).mul(1.0 / Math.sqrt(dim));
        SDVariable k = sd.mmul(memory, wk, false, true, false);
        SDVariable v = sd.mmul(memory, wv, false, true, false);
        SDVariable probs = Softmax.of(sd, sd.mmul(q, k, false, true, false), 1);   // [P, M]
        return sd.mmul(sd.mmul(probs, v), wo, false, true, false);
    }
}
