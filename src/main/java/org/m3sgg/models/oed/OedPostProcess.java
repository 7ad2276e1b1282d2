package org.m3sgg.models.oed;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * OED's {@code PostProcessDSGG} for one frame. Boxes stay normalised cxcywh of the padded input (OED checks the
 * target sizes' shape but never scales by them); the person is entry i and its object entry Q + i of the box list,
 * the person's score and label are 1.
 *
 * @param scores      [2Q]: 1 for every subject, then the object scores
 * @param labels      [2Q]: 1 for every subject, then the object labels (class 0 "background" possible)
 * @param boxes       [2Q][4]: subject boxes, then object boxes
 * @param pairs       [Q][2]: (i, Q + i)
 * @param attention   [Q][A-1]: softmax over the attention logits without the background logit
 * @param spatial     [Q][S]: sigmoid
 * @param contacting  [Q][K]: sigmoid
 */
public record OedPostProcess(double[] scores, int[] labels, double[][] boxes, int[][] pairs, double[][] attention,
        double[][] spatial, double[][] contacting) {

    /** From one frame's six head outputs ({@code [Q, ·]} each). */
    public static OedPostProcess of(INDArray objLogits, INDArray subBoxes, INDArray objBoxes, INDArray attnLogits,
            INDArray spatialLogits, INDArray contactingLogits) {
        int q = (int) objLogits.size(0);
        double[] scores = new double[2 * q];
        int[] labels = new int[2 * q];
        double[][] boxes = new double[2 * q][];
        int[][] pairs = new int[q][];
        double[][] attn = new double[q][];
        double[][] spa = new double[q][];
        double[][] con = new double[q][];
        for (int i = 0; i < q; i++) {
            // object: softmax over every logit, then the no-object column dropped
            double[] p = Prm.softmax(objLogits.getRow(i).toDoubleVector());
            int best = 0;
            for (int c = 1; c < p.length - 1; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            scores[i] = 1;
            labels[i] = 1;
            scores[q + i] = p[best];
            labels[q + i] = best;
            boxes[i] = subBoxes.getRow(i).toDoubleVector();
            boxes[q + i] = objBoxes.getRow(i).toDoubleVector();
            pairs[i] = new int[] {i, q + i};
            // attention: the background logit dropped before the softmax
            double[] a = attnLogits.getRow(i).toDoubleVector();
            attn[i] = Prm.softmax(java.util.Arrays.copyOf(a, a.length - 1));
            spa[i] = sigmoid(spatialLogits.getRow(i).toDoubleVector());
            con[i] = sigmoid(contactingLogits.getRow(i).toDoubleVector());
        }
        return new OedPostProcess(scores, labels, boxes, pairs, attn, spa, con);
    }

    private static double[] sigmoid(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 1.0 / (1.0 + Math.exp(-x[i]));
        }
        return y;
    }
}
