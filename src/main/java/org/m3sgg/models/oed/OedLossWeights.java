package org.m3sgg.models.oed;

import org.m3sgg.api.KitException;

/**
 * OED's matching-cost and loss coefficients ({@code main.py} arguments; defaults in {@link #DEFAULTS}).
 *
 * @param costObjClass {@code set_cost_obj_class}
 * @param costRelClass {@code set_cost_rel_class} (attention + spatial + contacting costs)
 * @param costBbox     {@code set_cost_bbox} (L1, the larger of subject and object)
 * @param costGiou     {@code set_cost_giou} (the larger of subject and object)
 * @param objLoss      {@code obj_loss_coef}
 * @param relLoss      {@code rel_loss_coef} (each of the three relation losses)
 * @param bboxLoss     {@code bbox_loss_coef}
 * @param giouLoss     {@code giou_loss_coef}
 * @param eosCoef      {@code eos_coef}: cross-entropy weight of the no-object class
 * @param alpha        {@code alpha} of the focal-style spatial and contacting losses
 */
public record OedLossWeights(double costObjClass, double costRelClass, double costBbox, double costGiou,
        double objLoss, double relLoss, double bboxLoss, double giouLoss, double eosCoef, double alpha) {

    /** OED's defaults: costs 1 / 1 / 2.5 / 1, losses 1 / 2 / 2.5 / 1, eos 0.1, alpha 0.5. */
    public static final OedLossWeights DEFAULTS = new OedLossWeights(1, 1, 2.5, 1, 1, 2, 2.5, 1, 0.1, 0.5);

    public OedLossWeights {
        double[] all = {costObjClass, costRelClass, costBbox, costGiou, objLoss, relLoss, bboxLoss, giouLoss, eosCoef,
            alpha};
        for (double v : all) {
            if (!Double.isFinite(v) || v < 0) {
                throw new KitException("OED loss weights: every cost and loss coefficient must be finite and >= 0, got "
                        + v);
            }
        }
        if (costObjClass == 0 && costRelClass == 0 && costBbox == 0 && costGiou == 0) {
            throw new KitException("OED loss weights: the matching costs cannot all be 0");
        }
        if (alpha > 1) {
            throw new KitException("OED loss weights: alpha must be in [0, 1], got " + alpha);
        }
    }
}
