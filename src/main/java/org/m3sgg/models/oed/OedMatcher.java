package org.m3sgg.models.oed;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.models.dsgdetr.Hungarian;

/**
 * OED's Hungarian matcher ({@code HungarianMatcherDSGG}, {@code models/matcher.py}) for one frame: the cost of
 * query q against ground-truth pair t is
 * {@code costObjClass * (-p_obj[q, label_t]) + costRelClass * (attention + spatial + contacting costs)
 * + costBbox * max(L1_sub, L1_obj * hasObj_t) + costGiou * max(-GIoU_sub, -GIoU_obj + (-GIoU_sub) * !hasObj_t)},
 * where each relation cost is minus the mean of the matched positives' mean probability and the matched
 * negatives' mean (1 - probability) ({@code +1e-4} in both denominators); attention uses the softmax over every
 * attention logit, its background column dropped after the softmax; spatial and contacting use the sigmoid. The
 * minimum-cost assignment is {@link Hungarian} (SciPy's {@code linear_sum_assignment} in the reference). The
 * optional sub/obj "matching" head ({@code --use_matching}) is off in every OED setting and not here.
 */
public final class OedMatcher {

    private OedMatcher() {}

    /** One layer's head outputs of one frame, as plain arrays ({@code [Q][*]}). */
    public record Outputs(double[][] objLogits, double[][] subBoxes, double[][] objBoxes, double[][] attnLogits,
            double[][] spatialLogits, double[][] contactLogits) {
        public int queries() {
            return objLogits.length;
        }
    }

    /**
     * @return {query indices, target indices} of the matched pairs, queries ascending (as SciPy returns them)
     */
    public static int[][] match(Outputs out, OedTargets t, OedLossWeights w) {
        double[][] cost = cost(out, t, w);
        int[] col = Hungarian.assign(cost);
        List<int[]> pairs = new ArrayList<>();
        for (int q = 0; q < col.length; q++) {
            if (col[q] >= 0) {
                pairs.add(new int[] {q, col[q]});
            }
        }
        int[][] r = new int[2][pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            r[0][i] = pairs.get(i)[0];
            r[1][i] = pairs.get(i)[1];
        }
        return r;
    }

    /** The [Q][T] matching cost. */
    public static double[][] cost(Outputs out, OedTargets t, OedLossWeights w) {
        int nq = out.queries();
        int nt = t.size();
        int a = t.attention().length == 0 ? out.attnLogits()[0].length - 1 : t.attention()[0].length;
        double[][] cost = new double[nq][nt];
        double[][] attnT = t.attention();
        for (int q = 0; q < nq; q++) {
            double[] pObj = Prm.softmax(out.objLogits()[q]);
            double[] pAttn = java.util.Arrays.copyOf(Prm.softmax(out.attnLogits()[q]), a);
            double[] pSp = sigmoid(out.spatialLogits()[q]);
            double[] pCo = sigmoid(out.contactLogits()[q]);
            for (int j = 0; j < nt; j++) {
                boolean hasObj = t.hasObjectBox(j);
                double subL1 = l1(out.subBoxes()[q], t.subBoxes()[j]);
                double objL1 = hasObj ? l1(out.objBoxes()[q], t.objBoxes()[j]) : 0.0;
                double subGiou = -OedBoxes.giou(out.subBoxes()[q], t.subBoxes()[j]);
                double objGiou = -OedBoxes.giou(out.objBoxes()[q], t.objBoxes()[j]) + (hasObj ? 0.0 : subGiou);
                double rel = relCost(pAttn, attnT[j]) + relCost(pSp, t.spatial()[j]) + relCost(pCo, t.contacting()[j]);
                cost[q][j] = w.costObjClass() * -pObj[t.objLabels()[j]] + w.costRelClass() * rel
                        + w.costBbox() * Math.max(subL1, objL1) + w.costGiou() * Math.max(subGiou, objGiou);
            }
        }
        return cost;
    }

    private static double relCost(double[] p, double[] target) {
        double pos = 0;
        double neg = 0;
        double nPos = 0;
        double nNeg = 0;
        for (int c = 0; c < p.length; c++) {
            pos += p[c] * target[c];
            neg += (1 - p[c]) * (1 - target[c]);
            nPos += target[c];
            nNeg += 1 - target[c];
        }
        return -(pos / (nPos + 1e-4) + neg / (nNeg + 1e-4)) / 2;
    }

    private static double l1(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < 4; i++) {
            s += Math.abs(x[i] - y[i]);
        }
        return s;
    }

    static double[] sigmoid(double[] z) {
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = 1 / (1 + Math.exp(-z[i]));
        }
        return p;
    }
}
