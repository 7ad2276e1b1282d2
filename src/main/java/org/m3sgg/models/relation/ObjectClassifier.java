package org.m3sgg.models.relation;

import org.m3sgg.models.SggModel;
import org.m3sgg.nn.BatchNorm;
import org.m3sgg.nn.Dropout;
import org.m3sgg.nn.Embedding;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.Losses;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * STTran's SGCLS object classifier and the two parts of it that TEMPURA and DSG-DETR build around their own
 * object-sequence encoders, under the reference's {@code object_classifier.*} keys:
 * {@link BoxInput} (class-distribution embedding and box-position embedding next to the box feature) and
 * {@link Head} (linear, batch norm, ReLU, linear).
 *
 * <p>Constructors create parameters (in the scope's seeded order); the {@code apply}/{@code loss} methods add the
 * operations, dropout included, so a model keeps its dropout sites in the order it applies them.
 */
public final class ObjectClassifier {

    /** Prefix of every classifier key. */
    public static final String PREFIX = "object_classifier.";
    /** The named loss term of {@link #namedLoss}. */
    public static final String LOSS = "object_loss";

    /** STTran's classifier dropout on the box-position embedding. */
    private static final double POSITION_DROPOUT = 0.1;

    private final BoxInput input;
    private final Head head;

    /**
     * STTran's classifier: {@link BoxInput} then a {@link Head} ({@code decoder_lin.0/1/3}) over
     * [N, feature + embedding + posEmbed].
     */
    public ObjectClassifier(NnScope scope, int feature, int classes, int embedding, int posEmbed, double posBnMomentum,
            int hidden) {
        this.input = new BoxInput(scope, classes, embedding, posEmbed, posBnMomentum);
        this.head = Head.decoderLin(scope, feature + embedding + posEmbed, hidden, classes);
    }

    /**
     * The classifier's loss on the graph: logits named {@link SggModel#OBJECT_LOGITS}, cross-entropy against
     * {@code target} named {@link #LOSS}.
     *
     * @param features   [N, F] box features
     * @param dist       [N, classes - 1] detector distribution
     * @param centerSize [N, 4] boxes as (cx, cy, w, h)
     * @param target     [N, classes] one-hot labels
     */
    public SDVariable loss(SDVariable features, SDVariable dist, SDVariable centerSize, SDVariable target) {
        return namedLoss(head.apply(input.apply(features, dist, centerSize, POSITION_DROPOUT)), target);
    }

    /**
     * {@link #loss} on the standard SGCLS placeholders, which it declares: {@link RelationBatch#DISTRIBUTION}
     * [N, classes - 1], {@link RelationBatch#BOX_CENTER_SIZE} [N, 4], {@link RelationFeed#OBJECT_TARGET}
     * [N, classes] (what {@link RelationBatch#objectInputs()} and {@link RelationFeed#targets} feed).
     */
    public SDVariable loss(SDVariable features, int classes) {
        SameDiff sd = features.getSameDiff();
        DataType dtype = features.dataType();
        long n = -1;
        SDVariable dist = sd.placeHolder(RelationBatch.DISTRIBUTION, dtype, n, classes - 1);
        SDVariable cs = sd.placeHolder(RelationBatch.BOX_CENTER_SIZE, dtype, n, 4);
        SDVariable target = sd.placeHolder(RelationFeed.OBJECT_TARGET, dtype, n, classes);
        return loss(features, dist, cs, target);
    }

    /** Names {@code logits} [N, C] {@link SggModel#OBJECT_LOGITS} and returns their cross-entropy, named {@link #LOSS}. */
    public static SDVariable namedLoss(SDVariable logits, SDVariable target) {
        SameDiff sd = logits.getSameDiff();
        SDVariable named = sd.identity(SggModel.OBJECT_LOGITS, logits);
        return sd.identity(LOSS, Losses.crossEntropy(sd, named, target));
    }

    /**
     * What the classifier sees of a box: its feature, an embedding of the detector's class distribution
     * ({@code obj_embed}, [classes - 1, embedding]) and a position embedding of its (cx, cy, w, h)
     * ({@code pos_embed.0} batch norm, {@code pos_embed.1} linear, ReLU, dropout).
     */
    public static final class BoxInput {

        private final NnScope scope;
        private final Embedding classEmbed;
        private final BatchNorm positionNorm;
        private final Linear positionFc;

        public BoxInput(NnScope scope, int classes, int embedding, int posEmbed, double posBnMomentum) {
            this.scope = scope;
            this.classEmbed = new Embedding(scope, PREFIX + "obj_embed", classes - 1, embedding);
            this.positionNorm = new BatchNorm(scope, PREFIX + "pos_embed.0", 4, posBnMomentum);
            this.positionFc = new Linear(scope, PREFIX + "pos_embed.1", 4, posEmbed);
        }

        /** [N, F + embedding + posEmbed]: features, class embedding, position embedding (with {@code dropout}). */
        public SDVariable apply(SDVariable features, SDVariable dist, SDVariable centerSize, double dropout) {
            SameDiff sd = scope.sd();
            SDVariable pos = new Dropout(scope, dropout).apply(sd.nn().relu(positionFc.apply(
                    positionNorm.apply(centerSize, 2)), 0));
            return sd.concat(1, features, classEmbed.apply(dist), pos);
        }
    }

    /** Linear, batch norm (momentum 0.1), ReLU, linear: [N, in] to [N, classes] logits. */
    public static final class Head {

        private final SameDiff sd;
        private final Linear hidden;
        private final BatchNorm norm;
        private final Linear out;

        /** The three layers under the given keys (the ReLU between has none). */
        public Head(NnScope scope, String hiddenKey, String normKey, String outKey, int in, int hidden, int classes) {
            this.sd = scope.sd();
            this.hidden = new Linear(scope, hiddenKey, in, hidden);
            this.norm = new BatchNorm(scope, normKey, hidden, 0.1);
            this.out = new Linear(scope, outKey, hidden, classes);
        }

        /** STTran's keys: {@code object_classifier.decoder_lin.0}, {@code .1}, {@code .3}. */
        public static Head decoderLin(NnScope scope, int in, int hidden, int classes) {
            String p = PREFIX + "decoder_lin.";
            return new Head(scope, p + "0", p + "1", p + "3", in, hidden, classes);
        }

        public SDVariable apply(SDVariable x) {
            return out.apply(sd.nn().relu(norm.apply(hidden.apply(x), 2), 0));
        }
    }
}
