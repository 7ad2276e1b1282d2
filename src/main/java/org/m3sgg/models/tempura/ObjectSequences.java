package org.m3sgg.models.tempura;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.m3sgg.models.relation.RelationBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Host side of the OSPU: the object sequences of one video and their positions. A sequence is every box whose
 * detector distribution has the same argmax class (the reference's {@code ds_track}); a box's position is the
 * rank of its frame among the frames its sequence appears in (boxes of one frame share it), and a singleton
 * sequence sits at position 0. All sequences run as one [N, N] block-masked sequence, which gives the same
 * attention as the reference's padded batch.
 *
 * @param group     [N] sequence id per box (the argmax class, 0-based over the non-background classes)
 * @param position  [N] position of each box inside its sequence
 */
public record ObjectSequences(int[] group, int[] position) {

    /** Groups boxes by the argmax of {@code distribution [N, C-1]}; {@code boxFrame [N]}. */
    public static ObjectSequences of(INDArray distribution, int[] boxFrame) {
        int n = boxFrame.length;
        int[] group = new int[n];
        Map<Integer, TreeSet<Integer>> frames = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            group[i] = distribution.getRow(i).argMax().getInt(0);
            frames.computeIfAbsent(group[i], g -> new TreeSet<>()).add(boxFrame[i]);
        }
        int[] position = new int[n];
        for (int i = 0; i < n; i++) {
            position[i] = frames.get(group[i]).headSet(boxFrame[i]).size();
        }
        return new ObjectSequences(group, position);
    }

    /** Additive [N, N] mask: 0 inside a sequence, blocked across sequences. */
    public INDArray mask(DataType type) {
        int n = group.length;
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i][j] = group[i] == group[j] ? 0 : RelationBatch.BLOCKED;
            }
        }
        return n == 0 ? Nd4j.zeros(type, 0, 0) : Nd4j.createFromArray(m).castTo(type);
    }

    /** The sinusoidal encodings [N, d] of the positions ({@code sin} on even, {@code cos} on odd columns). */
    public INDArray encoding(int d, DataType type) {
        int n = position.length;
        double[][] pe = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c += 2) {
                double angle = position[i] * Math.exp(-c * Math.log(10000.0) / d);
                pe[i][c] = Math.sin(angle);
                if (c + 1 < d) {
                    pe[i][c + 1] = Math.cos(angle);
                }
            }
        }
        return n == 0 ? Nd4j.zeros(type, 0, d) : Nd4j.createFromArray(pe).castTo(type);
    }
}
