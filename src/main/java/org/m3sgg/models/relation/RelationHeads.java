package org.m3sgg.models.relation;

import org.m3sgg.nn.Linear;
import org.m3sgg.nn.Losses;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * STTran's three relation heads and their losses, which every relation model but TEMPURA (GMM heads) uses: linear
 * maps {@code a_rel_compress}, {@code s_rel_compress}, {@code c_rel_compress} (behind an optional key prefix,
 * STKET's {@code spa_}), attention logits, spatial and contacting sigmoids; cross-entropy on the attention logits
 * plus the {@link RelationLoss} of the two multi-label groups.
 *
 * <p>The constructor creates the parameters (attention, spatial, contacting, in the scope's seeded order); the
 * methods add the operations.
 */
public final class RelationHeads {

    public static final String ATTENTION_LOSS = "attention_loss";
    public static final String SPATIAL_LOSS = "spatial_loss";
    public static final String CONTACTING_LOSS = "contacting_loss";

    /**
     * The three outputs of a head set.
     *
     * @param attention  [P, A] logits
     * @param spatial    [P, S] probabilities
     * @param contacting [P, K] probabilities
     */
    public record Outputs(SDVariable attention, SDVariable spatial, SDVariable contacting) {}

    /** The target placeholders ({@link RelationFeed#targets}): [P, A] one-hot, [P, S] and [P, K] multi-hot. */
    public record Targets(SDVariable attention, SDVariable spatial, SDVariable contacting) {

        public static Targets placeholders(SameDiff sd, DataType dtype, RelationWidths.Classes c) {
            long p = -1;
            return new Targets(sd.placeHolder(RelationFeed.ATTENTION_TARGET, dtype, p, c.attention()),
                    sd.placeHolder(RelationFeed.SPATIAL_TARGET, dtype, p, c.spatial()),
                    sd.placeHolder(RelationFeed.CONTACTING_TARGET, dtype, p, c.contacting()));
        }
    }

    private final SameDiff sd;
    private final RelationWidths.Classes classes;
    private final Linear attention;
    private final Linear spatial;
    private final Linear contacting;

    /** Heads {@code <prefix>a_rel_compress} etc. over a [P, width] representation. */
    public RelationHeads(NnScope scope, String prefix, int width, RelationWidths.Classes classes) {
        this.sd = scope.sd();
        this.classes = classes;
        this.attention = new Linear(scope, prefix + "a_rel_compress", width, classes.attention());
        this.spatial = new Linear(scope, prefix + "s_rel_compress", width, classes.spatial());
        this.contacting = new Linear(scope, prefix + "c_rel_compress", width, classes.contacting());
    }

    /**
     * The heads on {@code x}; with {@code names} (attention, spatial, contacting) the outputs carry those names,
     * without they stay unnamed. The sigmoids are named ops themselves, not identities of them: an identity hands
     * out the session's internal array, which its memory manager may reuse on the next run.
     */
    public Outputs apply(SDVariable x, String... names) {
        boolean named = names != null && names.length == 3;
        SDVariable a = attention.apply(x);
        if (named) {
            a = sd.identity(names[0], a);
        }
        SDVariable s = named ? sd.nn().sigmoid(names[1], spatial.apply(x)) : sd.nn().sigmoid(spatial.apply(x));
        SDVariable c = named ? sd.nn().sigmoid(names[2], contacting.apply(x))
                : sd.nn().sigmoid(contacting.apply(x));
        return new Outputs(a, s, c);
    }

    /**
     * Attention cross-entropy plus {@code loss} on the spatial and contacting groups; the three terms are named
     * {@code <prefix>attention_loss}, {@code <prefix>spatial_loss}, {@code <prefix>contacting_loss}.
     *
     * @return their sum (attention + spatial + contacting, in that order)
     */
    public static SDVariable loss(Outputs o, Targets t, RelationLoss loss, RelationWidths.Classes c, String prefix) {
        SameDiff sd = o.attention().getSameDiff();
        SDVariable la = sd.identity(prefix + ATTENTION_LOSS, Losses.crossEntropy(sd, o.attention(), t.attention()));
        SDVariable ls = sd.identity(prefix + SPATIAL_LOSS, loss.apply(sd, o.spatial(), t.spatial(), c.spatial()));
        SDVariable lc = sd.identity(prefix + CONTACTING_LOSS,
                loss.apply(sd, o.contacting(), t.contacting(), c.contacting()));
        return la.add(ls).add(lc);
    }

    /** {@link #loss(Outputs, Targets, RelationLoss, RelationWidths.Classes, String)} with these heads' classes. */
    public SDVariable loss(Outputs o, Targets t, RelationLoss loss, String prefix) {
        return loss(o, t, loss, classes, prefix);
    }
}
