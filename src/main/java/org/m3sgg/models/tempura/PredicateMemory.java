package org.m3sgg.models.tempura;

import org.m3sgg.models.RelationTargets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Accumulates TEMPURA's predicate prototypes ('simple' weighting): the prototype of a predicate is the mean
 * feature of the training pairs labelled with it; a predicate never seen keeps a zero row, as in the reference.
 * Rows are the 26 predicate ids in Action Genome's order: attention, then spatial, then contacting. A pair with
 * several spatial (contacting) labels counts once for each.
 */
public final class PredicateMemory {

    private final int attention;
    private final int spatial;
    private final double[][] sum;
    private final long[] count;

    public PredicateMemory(int attention, int spatial, int contacting, int dim) {
        this.attention = attention;
        this.spatial = spatial;
        this.sum = new double[attention + spatial + contacting][dim];
        this.count = new long[attention + spatial + contacting];
    }

    /** Adds one video: {@code features [P, D]} (the hallucinator's input) and its targets. */
    public void add(INDArray features, RelationTargets t) {
        double[][] f = features.castTo(DataType.DOUBLE).toDoubleMatrix();
        for (int p = 0; p < t.attention().length; p++) {
            addRow(t.attention()[p], f[p]);
            for (int s : t.spatial()[p]) {
                addRow(attention + s, f[p]);
            }
            for (int c : t.contacting()[p]) {
                addRow(attention + spatial + c, f[p]);
            }
        }
    }

    private void addRow(int row, double[] f) {
        count[row]++;
        for (int d = 0; d < f.length; d++) {
            sum[row][d] += f[d];
        }
    }

    /** Training pairs seen per predicate. */
    public long[] counts() {
        return count.clone();
    }

    /** The prototypes [26, D] (means, zero rows for unseen predicates). */
    public INDArray prototypes(DataType type) {
        double[][] m = new double[sum.length][];
        for (int r = 0; r < sum.length; r++) {
            m[r] = sum[r].clone();
            if (count[r] > 0) {
                for (int d = 0; d < m[r].length; d++) {
                    m[r][d] /= count[r];
                }
            }
        }
        return Nd4j.createFromArray(m).castTo(type);
    }
}
