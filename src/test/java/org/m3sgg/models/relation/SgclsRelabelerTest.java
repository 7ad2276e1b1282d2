package org.m3sgg.models.relation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SgclsRelabelerTest {

    /** Logits over 5 classes (bg, person, a=2, b=3, c=4) built from log-probabilities so softmax is predictable. */
    private static INDArray logits(double[][] probsWithoutBg) {
        double[][] l = new double[probsWithoutBg.length][probsWithoutBg[0].length + 1];
        for (int i = 0; i < l.length; i++) {
            l[i][0] = 5.0;   // background logit is ignored by the relabelling
            for (int k = 0; k < probsWithoutBg[i].length; k++) {
                l[i][k + 1] = Math.log(probsWithoutBg[i][k]);
            }
        }
        return Nd4j.createFromArray(l).castTo(DataType.DOUBLE);
    }

    @Test
    void onePersonPerFrameDuplicatePassAndPairs() {
        // frame 0: box 1 is the most person-like; boxes 0 and 2 both prefer class 2 -> the weaker (box 2) moves
        // frame 1: single box becomes the person, no pairs
        INDArray lg = logits(new double[][] {
                {0.10, 0.60, 0.20, 0.10},   // box 0: best non-person 2 (0.6)
                {0.70, 0.10, 0.10, 0.10},   // box 1: person
                {0.05, 0.50, 0.15, 0.30},   // box 2: best 2 (0.5) -> duplicate, becomes 4 (0.30)
                {0.20, 0.30, 0.40, 0.10}}); // box 3 (frame 1): only box -> person
        SgclsRelabeler.Result r = SgclsRelabeler.relabel(lg, new int[] {0, 0, 0, 1});
        assertArrayEquals(new int[] {2, 1, 4, 1}, r.labels());
        assertEquals(0.30, r.scores()[2], 1e-12);
        assertEquals(0.70, r.scores()[1], 1e-12);
        assertEquals(0.0, r.distribution()[2][1], 0.0);
        assertArrayEquals(new int[][] {{1, 0}, {1, 2}}, r.pairs());
        assertArrayEquals(new int[] {0, 0}, r.pairFrame());
    }

    @Test
    void aDemotedBoxCanBecomeASecondPersonAndIsThenNotPaired() {
        INDArray lg = logits(new double[][] {
                {0.90, 0.05, 0.03, 0.02},   // person
                {0.40, 0.45, 0.10, 0.05},   // class 2 (0.45)
                {0.45, 0.30, 0.15, 0.10}}); // class 2 (0.30) -> duplicate, argmax over all = person column
        SgclsRelabeler.Result r = SgclsRelabeler.relabel(lg, new int[] {0, 0, 0});
        assertArrayEquals(new int[] {1, 2, 1}, r.labels());
        assertArrayEquals(new int[][] {{0, 1}}, r.pairs());
    }
}
