package org.m3sgg.models.oed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.nn.Losses;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * OED's training loss ({@code SetCriterionDSGG} of {@code models/dsgg_single_sgdet.py} and, for PredCLS,
 * {@code models/dsgg_single_xcls.py}) as graph expressions on a layer's head outputs, for one frame. The matching
 * is done outside the graph ({@link OedMatcher}, or query i = pair i in PredCLS) and enters as placeholders:
 * <ul>
 *   <li>{@code loss_obj_ce}: cross-entropy of the object logits with per-row weights (SGDET: every query, the
 *       unmatched ones against the no-object class with weight {@code eos_coef}; PredCLS: the matched queries
 *       only), the weighted mean as {@code F.cross_entropy(..., weight)} takes it;</li>
 *   <li>{@code loss_attn_ce}: cross-entropy of the matched queries' attention logits (background logit kept);</li>
 *   <li>{@code loss_spatial_ce}, {@code loss_contacting_ce}: OED's {@code _neg_loss} on the sigmoid,
 *       {@code -(alpha log(p)(1-p)^2 [y=1] + (1-alpha) log(1-p) p^2 [y=0]) / max(#positives, 1)} summed over the
 *       matched rows (log(p) and log(1-p) as -softplus, the same value without overflow);</li>
 *   <li>{@code loss_sub_bbox}, {@code loss_sub_giou}: L1 and 1 - GIoU of the matched subject boxes over the number
 *       of ground-truth pairs (at least 1); {@code loss_obj_bbox}, {@code loss_obj_giou}: the same on object boxes
 *       of pairs that have one, over their count + 1e-4.</li>
 * </ul>
 * Each term is a named variable ({@code <term><suffix>}, suffix {@code ""} for the last layer and {@code _i} for
 * auxiliary layer i, as the reference names them; every name and placeholder after a prefix, "" for the spatial
 * heads, {@code temporal_} for the PRM's); {@link #TOTAL} is the sum with the weights of
 * {@link OedLossWeights}. Gathers are products with one-hot selection matrices (SameDiff's gather has no reliable
 * gradient).
 */
public final class OedCriterion {

    /** The weighted total loss. */
    public static final String TOTAL = "oed_loss";

    /** The loss terms in the reference's order and names. */
    public static final List<String> TERMS = List.of("loss_obj_ce", "loss_attn_ce", "loss_spatial_ce",
            "loss_contacting_ce", "loss_sub_bbox", "loss_obj_bbox", "loss_sub_giou", "loss_obj_giou");

    /** One layer's six head outputs in the graph. */
    public record Layer(SDVariable objLogits, SDVariable subBoxes, SDVariable objBoxes, SDVariable attnLogits,
            SDVariable spatialLogits, SDVariable contactLogits) {}

    private static final String NUM = "oed_t_num_pairs";

    private OedCriterion() {}

    /** The suffix of layer {@code i} of {@code layers} (the last layer first): "" then "_0", "_1", .. */
    public static String suffix(int i) {
        return i == 0 ? "" : "_" + (i - 1);
    }

    /**
     * Adds the loss of every layer ({@code layers.get(0)} the last decoder layer, then the auxiliary layers in the
     * reference's order) and returns the weighted total, named {@link #TOTAL}.
     */
    public static SDVariable build(SameDiff sd, String prefix, List<Layer> layers, OedLossWeights w) {
        SDVariable num = sd.placeHolder(prefix + NUM, DataType.DOUBLE);
        SDVariable total = null;
        for (int i = 0; i < layers.size(); i++) {
            SDVariable l = layer(sd, layers.get(i), prefix, suffix(i), num, w);
            total = total == null ? l : total.add(l);
        }
        return sd.identity(prefix + TOTAL, total);
    }

    private static SDVariable layer(SameDiff sd, Layer out, String p, String sfx, SDVariable num,
            OedLossWeights w) {
        SDVariable objOneHot = sd.placeHolder(p + "oed_t_obj" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable objW = sd.placeHolder(p + "oed_t_obj_w" + sfx, DataType.DOUBLE, -1, 1);
        SDVariable sel = sd.placeHolder(p + "oed_t_sel" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable attnT = sd.placeHolder(p + "oed_t_attn" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable spT = sd.placeHolder(p + "oed_t_spatial" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable coT = sd.placeHolder(p + "oed_t_contacting" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable subT = sd.placeHolder(p + "oed_t_sub_boxes" + sfx, DataType.DOUBLE, -1, 4);
        SDVariable objT = sd.placeHolder(p + "oed_t_obj_boxes" + sfx, DataType.DOUBLE, -1, 4);
        SDVariable exist = sd.placeHolder(p + "oed_t_has_obj" + sfx, DataType.DOUBLE, -1, 1);

        SDVariable nll = sd.sum(Losses.logSoftmax(sd, out.objLogits()).mul(objOneHot), true, 1).neg();
        SDVariable objCe = sd.identity(p + "loss_obj_ce" + sfx, sd.sum(nll.mul(objW)).div(sd.sum(objW)));
        SDVariable attnCe = sd.identity(p + "loss_attn_ce" + sfx,
                Losses.crossEntropy(sd, sel.mmul(out.attnLogits()), attnT));
        SDVariable spCe = sd.identity(p + "loss_spatial_ce" + sfx,
                focal(sd, sel.mmul(out.spatialLogits()), spT, w.alpha()));
        SDVariable coCe = sd.identity(p + "loss_contacting_ce" + sfx,
                focal(sd, sel.mmul(out.contactLogits()), coT, w.alpha()));

        SDVariable sub = sel.mmul(out.subBoxes());
        SDVariable obj = sel.mmul(out.objBoxes());
        SDVariable nObj = sd.sum(exist).add(1e-4);
        SDVariable subL1 = sd.identity(p + "loss_sub_bbox" + sfx, sd.sum(sd.math.abs(sub.sub(subT))).div(num));
        SDVariable objL1 = sd.identity(p + "loss_obj_bbox" + sfx,
                sd.sum(sd.math.abs(obj.sub(objT)).mul(exist)).div(nObj));
        SDVariable subG = sd.identity(p + "loss_sub_giou" + sfx, sd.sum(giou(sd, sub, subT).rsub(1.0)).div(num));
        SDVariable objG = sd.identity(p + "loss_obj_giou" + sfx,
                sd.sum(giou(sd, obj, objT).rsub(1.0).mul(exist)).div(nObj));
        return objCe.mul(w.objLoss()).add(attnCe.add(spCe).add(coCe).mul(w.relLoss()))
                .add(subL1.add(objL1).mul(w.bboxLoss())).add(subG.add(objG).mul(w.giouLoss()));
    }

    private static SDVariable focal(SameDiff sd, SDVariable logits, SDVariable gt, double alpha) {
        SDVariable p = sd.nn().sigmoid(logits);
        SDVariable logP = sd.nn().softplus(logits.neg()).neg();
        SDVariable log1mP = sd.nn().softplus(logits).neg();
        SDVariable pos = logP.mul(p.rsub(1.0).mul(p.rsub(1.0))).mul(gt).mul(alpha);
        SDVariable neg = log1mP.mul(p.mul(p)).mul(gt.rsub(1.0)).mul(1 - alpha);
        SDVariable numPos = sd.math.max(sd.sum(gt), sd.constant(Nd4j.scalar(1.0)));
        return sd.sum(pos).add(sd.sum(neg)).div(numPos).neg();
    }

    /** Row-wise GIoU of cxcywh boxes [M, 4] and [M, 4], as [M, 1] (column picks are products with unit vectors). */
    private static SDVariable giou(SameDiff sd, SDVariable a, SDVariable b) {
        SDVariable[] p = corners(sd, a);
        SDVariable[] q = corners(sd, b);
        SDVariable areaP = p[2].sub(p[0]).mul(p[3].sub(p[1]));
        SDVariable areaQ = q[2].sub(q[0]).mul(q[3].sub(q[1]));
        SDVariable iw = sd.nn().relu(sd.math.min(p[2], q[2]).sub(sd.math.max(p[0], q[0])), 0);
        SDVariable ih = sd.nn().relu(sd.math.min(p[3], q[3]).sub(sd.math.max(p[1], q[1])), 0);
        SDVariable inter = iw.mul(ih);
        SDVariable union = areaP.add(areaQ).sub(inter);
        SDVariable ew = sd.nn().relu(sd.math.max(p[2], q[2]).sub(sd.math.min(p[0], q[0])), 0);
        SDVariable eh = sd.nn().relu(sd.math.max(p[3], q[3]).sub(sd.math.min(p[1], q[1])), 0);
        SDVariable enclosing = ew.mul(eh);
        return inter.div(union).sub(enclosing.sub(union).div(enclosing));
    }

    private static SDVariable[] corners(SameDiff sd, SDVariable cxcywh) {
        // columns x1, y1, x2, y2 of cxcywh · K
        double[][] k = {{1, 0, 1, 0}, {0, 1, 0, 1}, {-0.5, 0, 0.5, 0}, {0, -0.5, 0, 0.5}};
        SDVariable[] c = new SDVariable[4];
        for (int j = 0; j < 4; j++) {
            double[][] col = new double[4][1];
            for (int i = 0; i < 4; i++) {
                col[i][0] = k[i][j];
            }
            c[j] = cxcywh.mmul(sd.constant(Nd4j.create(col)));
        }
        return c;
    }

    /**
     * The placeholder values of one layer for a frame with {@code queries} queries: {@code match} = {query indices,
     * target indices} ({@link OedMatcher#match}, or the identity in PredCLS). {@code everyQuery}: the object loss
     * covers every query (unmatched ones against no-object, SGDET) or the matched ones only (PredCLS).
     */
    public static Map<String, INDArray> targets(String prefix, int layer, int[][] match, OedTargets t, int queries,
            int objLogits, int attnLogits, OedLossWeights w, boolean everyQuery) {
        String s = suffix(layer);
        String p = prefix;
        int m = match[0].length;
        int noObject = objLogits - 1;
        double[][] obj = new double[queries][objLogits];
        double[][] objW = new double[queries][1];
        if (everyQuery) {
            for (int q = 0; q < queries; q++) {
                obj[q][noObject] = 1;
                objW[q][0] = w.eosCoef();
            }
        }
        double[][] sel = new double[m][queries];
        double[][] attn = new double[m][attnLogits];
        double[][] sp = new double[m][];
        double[][] co = new double[m][];
        double[][] sub = new double[m][];
        double[][] ob = new double[m][];
        double[][] has = new double[m][1];
        for (int i = 0; i < m; i++) {
            int q = match[0][i];
            int j = match[1][i];
            java.util.Arrays.fill(obj[q], 0);
            obj[q][t.objLabels()[j]] = 1;
            objW[q][0] = 1;
            sel[i][q] = 1;
            System.arraycopy(t.attention()[j], 0, attn[i], 0, t.attention()[j].length);
            sp[i] = t.spatial()[j];
            co[i] = t.contacting()[j];
            sub[i] = t.subBoxes()[j];
            ob[i] = t.objBoxes()[j];
            has[i][0] = t.hasObjectBox(j) ? 1 : 0;
        }
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(p + "oed_t_obj" + s, Nd4j.create(obj));
        ph.put(p + "oed_t_obj_w" + s, Nd4j.create(objW));
        ph.put(p + "oed_t_sel" + s, Nd4j.create(sel));
        ph.put(p + "oed_t_attn" + s, Nd4j.create(attn));
        ph.put(p + "oed_t_spatial" + s, Nd4j.create(sp));
        ph.put(p + "oed_t_contacting" + s, Nd4j.create(co));
        ph.put(p + "oed_t_sub_boxes" + s, Nd4j.create(sub));
        ph.put(p + "oed_t_obj_boxes" + s, Nd4j.create(ob));
        ph.put(p + "oed_t_has_obj" + s, Nd4j.create(has));
        return ph;
    }

    /** The shared placeholder: the number of ground-truth pairs, at least 1 ({@code num_interactions}). */
    public static Map<String, INDArray> shared(String prefix, OedTargets t) {
        return Map.of(prefix + NUM, Nd4j.scalar((double) Math.max(t.size(), 1)));
    }

    /** Names of every loss term of {@code layers} layers, in order. */
    public static List<String> termNames(String prefix, int layers) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            for (String term : TERMS) {
                names.add(prefix + term + suffix(i));
            }
        }
        return names;
    }
}
