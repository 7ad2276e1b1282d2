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
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * OED's training loss ({@code SetCriterionDSGG} of {@code models/dsgg_single_sgdet.py} and, for PredCLS,
 * {@code models/dsgg_single_xcls.py}) as graph expressions on a layer's head outputs. The matching is done outside
 * the graph ({@link OedMatcher}, or query i = pair i in PredCLS) and enters as placeholders, with each frame's
 * normalisers folded into per-row weights, so that B frames run at once ({@link #batch}) give the mean over the
 * frames of each frame's loss (the reference's loss of one frame when B = 1):
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
        SDVariable total = null;
        for (int i = 0; i < layers.size(); i++) {
            SDVariable l = layer(sd, layers.get(i), prefix, suffix(i), w);
            total = total == null ? l : total.add(l);
        }
        return sd.identity(prefix + TOTAL, total);
    }

    private static SDVariable layer(SameDiff sd, Layer out, String p, String sfx, OedLossWeights w) {
        SDVariable objOneHot = sd.placeHolder(p + "oed_t_obj" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable objW = sd.placeHolder(p + W_OBJ + sfx, DataType.DOUBLE, -1, 1);
        SDVariable sel = sd.placeHolder(p + "oed_t_sel" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable attnT = sd.placeHolder(p + "oed_t_attn" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable spT = sd.placeHolder(p + "oed_t_spatial" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable coT = sd.placeHolder(p + "oed_t_contacting" + sfx, DataType.DOUBLE, -1, -1);
        SDVariable subT = sd.placeHolder(p + "oed_t_sub_boxes" + sfx, DataType.DOUBLE, -1, 4);
        SDVariable objT = sd.placeHolder(p + "oed_t_obj_boxes" + sfx, DataType.DOUBLE, -1, 4);
        SDVariable rowW = sd.placeHolder(p + W_ROW + sfx, DataType.DOUBLE, -1, 1);
        SDVariable spW = sd.placeHolder(p + W_SPATIAL + sfx, DataType.DOUBLE, -1, 1);
        SDVariable coW = sd.placeHolder(p + W_CONTACTING + sfx, DataType.DOUBLE, -1, 1);
        SDVariable boxW = sd.placeHolder(p + W_BOX + sfx, DataType.DOUBLE, -1, 1);
        SDVariable objBoxW = sd.placeHolder(p + W_OBJ_BOX + sfx, DataType.DOUBLE, -1, 1);

        SDVariable objCe = sd.identity(p + "loss_obj_ce" + sfx, sd.sum(rowNll(sd, out.objLogits(), objOneHot)
                .mul(objW)));
        SDVariable attnCe = sd.identity(p + "loss_attn_ce" + sfx, sd.sum(rowNll(sd, sel.mmul(out.attnLogits()),
                attnT).mul(rowW)));
        SDVariable spCe = sd.identity(p + "loss_spatial_ce" + sfx,
                focal(sd, sel.mmul(out.spatialLogits()), spT, spW, w.alpha()));
        SDVariable coCe = sd.identity(p + "loss_contacting_ce" + sfx,
                focal(sd, sel.mmul(out.contactLogits()), coT, coW, w.alpha()));

        SDVariable sub = sel.mmul(out.subBoxes());
        SDVariable obj = sel.mmul(out.objBoxes());
        SDVariable subL1 = sd.identity(p + "loss_sub_bbox" + sfx,
                sd.sum(sd.sum(sd.math.abs(sub.sub(subT)), true, 1).mul(boxW)));
        SDVariable objL1 = sd.identity(p + "loss_obj_bbox" + sfx,
                sd.sum(sd.sum(sd.math.abs(obj.sub(objT)), true, 1).mul(objBoxW)));
        SDVariable subG = sd.identity(p + "loss_sub_giou" + sfx, sd.sum(giou(sd, sub, subT).rsub(1.0).mul(boxW)));
        SDVariable objG = sd.identity(p + "loss_obj_giou" + sfx,
                sd.sum(giou(sd, obj, objT).rsub(1.0).mul(objBoxW)));
        return objCe.mul(w.objLoss()).add(attnCe.add(spCe).add(coCe).mul(w.relLoss()))
                .add(subL1.add(objL1).mul(w.bboxLoss())).add(subG.add(objG).mul(w.giouLoss()));
    }

    /** Each row's cross-entropy of its logits against its (one- or multi-hot) target, as [M, 1]. */
    private static SDVariable rowNll(SameDiff sd, SDVariable logits, SDVariable target) {
        return sd.sum(Losses.logSoftmax(sd, logits).mul(target), true, 1).neg();
    }

    /** OED's _neg_loss with the frame's 1 / max(#positives, 1) as a per-row weight. */
    private static SDVariable focal(SameDiff sd, SDVariable logits, SDVariable gt, SDVariable rowW, double alpha) {
        SDVariable p = sd.nn().sigmoid(logits);
        SDVariable logP = sd.nn().softplus(logits.neg()).neg();
        SDVariable log1mP = sd.nn().softplus(logits).neg();
        SDVariable pos = logP.mul(p.rsub(1.0).mul(p.rsub(1.0))).mul(gt).mul(alpha);
        SDVariable neg = log1mP.mul(p.mul(p)).mul(gt.rsub(1.0)).mul(1 - alpha);
        return sd.sum(sd.sum(pos.add(neg), true, 1).mul(rowW)).neg();
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

    // per-row weights: each frame's normaliser (and 1 / B), so the graph only sums
    private static final String W_OBJ = "oed_t_obj_w";
    private static final String W_ROW = "oed_t_row_w";
    private static final String W_SPATIAL = "oed_t_spatial_w";
    private static final String W_CONTACTING = "oed_t_contacting_w";
    private static final String W_BOX = "oed_t_box_w";
    private static final String W_OBJ_BOX = "oed_t_obj_box_w";
    private static final List<String> WEIGHTS = List.of(W_OBJ, W_ROW, W_SPATIAL, W_CONTACTING, W_BOX, W_OBJ_BOX);

    /**
     * The placeholder values of one layer for a frame with {@code queries} queries: {@code match} = {query indices,
     * target indices} ({@link OedMatcher#match}, or the identity in PredCLS). {@code everyQuery}: the object loss
     * covers every query (unmatched ones against no-object, SGDET) or the matched ones only (PredCLS). The weights
     * carry the reference's normalisers: the object weights' sum, the matched rows' count (attention), each
     * label set's positives (at least 1), the ground-truth pairs' count (at least 1, {@code num_interactions};
     * subject boxes) and the object boxes' count + 1e-4.
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
        double spPos = 0;
        double coPos = 0;
        double objBoxes = 0;
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
            spPos += java.util.Arrays.stream(sp[i]).sum();
            coPos += java.util.Arrays.stream(co[i]).sum();
            objBoxes += has[i][0];
        }
        double objSum = 0;
        for (double[] r : objW) {
            objSum += r[0];
        }
        Map<String, INDArray> ph = new LinkedHashMap<>();
        ph.put(p + "oed_t_obj" + s, Nd4j.create(obj));
        ph.put(p + W_OBJ + s, Nd4j.create(objW).divi(objSum));
        ph.put(p + "oed_t_sel" + s, Nd4j.create(sel));
        ph.put(p + "oed_t_attn" + s, Nd4j.create(attn));
        ph.put(p + "oed_t_spatial" + s, Nd4j.create(sp));
        ph.put(p + "oed_t_contacting" + s, Nd4j.create(co));
        ph.put(p + "oed_t_sub_boxes" + s, Nd4j.create(sub));
        ph.put(p + "oed_t_obj_boxes" + s, Nd4j.create(ob));
        ph.put(p + W_ROW + s, Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / m, DataType.DOUBLE));
        ph.put(p + W_SPATIAL + s, Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / Math.max(spPos, 1), DataType.DOUBLE));
        ph.put(p + W_CONTACTING + s, Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / Math.max(coPos, 1),
                DataType.DOUBLE));
        ph.put(p + W_BOX + s, Nd4j.valueArrayOf(new long[] {m, 1}, 1.0 / Math.max(t.size(), 1), DataType.DOUBLE));
        ph.put(p + W_OBJ_BOX + s, Nd4j.create(has).divi(objBoxes + 1e-4));
        return ph;
    }

    /**
     * The placeholders of B frames run at once (each from {@link #targets} for its frame, the same prefix and
     * layers; frame b's queries are rows {@code b·queries ..} of the batch): rows concatenated, each frame's
     * selection shifted to its queries, every weight divided by B, so the loss is the frames' mean.
     */
    public static Map<String, INDArray> batch(List<Map<String, INDArray>> frames, int queries) {
        if (frames.size() == 1) {
            return frames.get(0);
        }
        int b = frames.size();
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (String name : frames.get(0).keySet()) {
            INDArray[] parts = new INDArray[b];
            for (int i = 0; i < b; i++) {
                INDArray a = frames.get(i).get(name);
                if (name.contains("oed_t_sel")) {
                    INDArray shifted = Nd4j.zeros(DataType.DOUBLE, a.size(0), (long) b * queries);
                    shifted.get(NDArrayIndex.all(), NDArrayIndex.interval((long) i * queries, (long) (i + 1) * queries))
                            .assign(a);
                    a = shifted;
                }
                parts[i] = a;
            }
            INDArray all = Nd4j.concat(0, parts);
            if (WEIGHTS.stream().anyMatch(name::contains)) {
                all.divi(b);
            }
            out.put(name, all);
        }
        return out;
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
