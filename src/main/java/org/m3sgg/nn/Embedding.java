package org.m3sgg.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * A lookup table {@code [V, D]} applied as {@code onehot [M, V] x table}: SameDiff's gather/embedding gradients
 * are broken (lost accumulation on repeated ids), a product with a host-built one-hot (or any distribution over
 * the vocabulary, as STTran's SGCLS classifier uses) is exact and differentiable. Initialised N(0, 1) like
 * {@code torch.nn.Embedding}; word vectors are loaded by overwriting the variable.
 */
public final class Embedding {

    private final NnScope scope;
    private final SDVariable table;

    public Embedding(NnScope scope, String name, int vocab, int dim) {
        this.scope = scope;
        this.table = scope.param(name + ".weight", scope.normal(vocab, dim));
    }

    /** {@code [M, V] -> [M, D]}. */
    public SDVariable apply(SDVariable weightsOverVocab) {
        return scope.sd().mmul(weightsOverVocab, table);
    }

    public SDVariable table() {
        return table;
    }
}
