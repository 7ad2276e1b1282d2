package org.m3sgg.models.relation;

import java.util.Locale;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.Losses;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/** Loss on the spatial and contacting sigmoids: multi-label margin (STTran's default) or binary cross-entropy. */
public enum RelationLoss {
    MARGIN, BCE;

    /**
     * The loss of one multi-label group (spatial or contacting): multi-label margin on the probabilities
     * {@code prob} [P, K], or binary cross-entropy against the multi-hot {@code target} [P, K] clipped to 1.
     */
    public SDVariable apply(SameDiff sd, SDVariable prob, SDVariable target, int classes) {
        return this == MARGIN ? Losses.multiLabelMargin(sd, prob, target, classes)
                : Losses.binaryCrossEntropy(sd, prob, sd.math.min(target, sd.onesLike(target)));
    }

    public static RelationLoss parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "margin" -> MARGIN;
            case "bce" -> BCE;
            default -> throw new KitException("relation loss '" + s + "': expected margin or bce");
        };
    }
}
