package org.m3sgg.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.SggModel;
import org.m3sgg.models.relation.RelationFeatures;
import org.m3sgg.models.relation.RelationFeed;
import org.m3sgg.models.relation.RelationHeads;
import org.m3sgg.models.relation.RelationLoss;
import org.m3sgg.models.relation.RelationWidths;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A base for prototyping a relation model in a few lines: a subclass only says how the logits of a
 * (subject, object) pair are computed from that pair's inputs ({@link #logits}); this class owns the rest of the
 * {@link SggModel} contract: the SameDiff placeholders, the host-side one-hot selections that gather each pair's
 * boxes (as STTran's {@code RelationBatch} does, because SameDiff's gather has no usable gradient here), STTran's
 * losses (attention cross-entropy, spatial/contacting multi-label margin on the sigmoid probabilities), training
 * steps with gradient averaging over videos, evaluation losses and the checkpoint state.
 *
 * <p>Only PredCLS: the model sees the ground-truth object labels. SGCLS/SGDET need an object classifier and the
 * kit's relabelling, which this base does not provide; building in another mode is a {@link KitException}.
 *
 * <p>The subclass's {@link #logits} runs inside this constructor (the graph must exist before the trainer asks for
 * the parameters), so it must use only {@link #config()}, {@link #scope()} and its argument, not fields of the
 * subclass (they are not assigned yet).
 *
 * <p>The config record carries the input widths through {@link Widths}: a record with components
 * {@code int feature, int unionIn} implements it without further code.
 *
 * @param <C> the model's config record
 */
public abstract class PairModel<C extends Record & PairModel.Widths> extends GraphModel<C> {

    /** Action Genome's class counts ({@link org.m3sgg.data.Vocabulary}). */
    private static final RelationWidths.Classes CLASSES = RelationWidths.Classes.actionGenome();
    /** Object classes with background. */
    public static final int OBJECT_CLASSES = CLASSES.objects();
    public static final int ATTENTION_CLASSES = CLASSES.attention();
    public static final int SPATIAL_CLASSES = CLASSES.spatial();
    public static final int CONTACTING_CLASSES = CLASSES.contacting();
    /** Width of {@link Pair#masks()}: the two 27 x 27 masks, flattened. */
    public static final int MASK_WIDTH = 2 * 27 * 27;

    public static final String ATTENTION_LOSS = RelationHeads.ATTENTION_LOSS;
    public static final String SPATIAL_LOSS = RelationHeads.SPATIAL_LOSS;
    public static final String CONTACTING_LOSS = RelationHeads.CONTACTING_LOSS;

    // placeholder names
    static final String FEATURES = "features";
    static final String SUBJECT_SELECT = RelationFeatures.SUBJECT_SELECT;
    static final String OBJECT_SELECT = RelationFeatures.OBJECT_SELECT;
    static final String SUBJECT_CLASS = RelationFeatures.SUBJECT_CLASS;
    static final String OBJECT_CLASS = RelationFeatures.OBJECT_CLASS;
    static final String UNION_FEAT = RelationFeatures.UNION_FEAT;
    static final String SPATIAL_MASKS = RelationFeatures.SPATIAL_MASKS;
    static final String PAIR_FRAME = "pair_frame";
    static final String ATTENTION_TARGET = RelationFeed.ATTENTION_TARGET;
    static final String SPATIAL_TARGET = RelationFeed.SPATIAL_TARGET;
    static final String CONTACTING_TARGET = RelationFeed.CONTACTING_TARGET;

    /** The input widths a config must give: box feature width F and union feature channels C. */
    public interface Widths {
        int feature();

        int unionIn();
    }

    /**
     * What a subclass gets for each of the P pairs of a video, all graph variables.
     *
     * @param subject      [P, F] the subject box's features
     * @param object       [P, F] the object box's features
     * @param union        [P, C] the union box's features, averaged over the 7 x 7 grid
     * @param masks        [P, {@link #MASK_WIDTH}] subject and object spatial masks (minus 0.5), flattened
     * @param subjectClass [P, {@link #OBJECT_CLASSES}] one-hot subject class
     * @param objectClass  [P, {@link #OBJECT_CLASSES}] one-hot object class
     * @param frame        [P, 1] the pair's frame index within the video (0-based, as a number)
     */
    public record Pair(SDVariable subject, SDVariable object, SDVariable union, SDVariable masks,
            SDVariable subjectClass, SDVariable objectClass, SDVariable frame) {}

    /**
     * What a subclass returns: unnormalised scores per pair. The base applies softmax (attention, in the loss and
     * at prediction) and sigmoid (spatial, contacting).
     *
     * @param attention  [P, 3]
     * @param spatial    [P, 6]
     * @param contacting [P, 17]
     */
    public record Logits(SDVariable attention, SDVariable spatial, SDVariable contacting) {}

    /** A float32 model in {@code mode} (PredCLS only) with parameters drawn from {@code seed}. */
    protected PairModel(String name, C config, Mode mode, long seed) {
        super(name, name, checked(name, config, mode), mode, DataType.FLOAT, seed);
        define();
    }

    private static <C extends Record & Widths> C checked(String name, C config, Mode mode) {
        if (mode != Mode.PREDCLS) {
            throw new KitException("model '" + name + "' is a PairModel, which supports only PredCLS (it has no "
                    + "object classifier); got mode " + mode);
        }
        if (config.feature() <= 0 || config.unionIn() <= 0) {
            throw new KitException("model '" + name + "': config feature and union_in must be positive, got "
                    + config.feature() + " and " + config.unionIn());
        }
        return config;
    }

    /**
     * The model: the three logits of every pair. Create parameters through {@link #scope()} (e.g.
     * {@code new Linear(scope(), "mlp.0", in, out)}); their names are the checkpoint keys.
     */
    protected abstract Logits logits(Pair pair);

    /** Three linear heads (attention, spatial, contacting) over a [P, width] pair representation. */
    protected Logits heads(SDVariable representation, int width) {
        NnScope scope = scope();
        return new Logits(new Linear(scope, "a_rel_compress", width, ATTENTION_CLASSES).apply(representation),
                new Linear(scope, "s_rel_compress", width, SPATIAL_CLASSES).apply(representation),
                new Linear(scope, "c_rel_compress", width, CONTACTING_CLASSES).apply(representation));
    }

    private void define() {
        SameDiff sd = graph();
        DataType dtype = dataType();
        C config = config();
        long p = -1;
        long n = -1;
        SDVariable feat = sd.placeHolder(FEATURES, dtype, n, config.feature());
        RelationFeatures.Inputs in = RelationFeatures.Inputs.placeholders(sd, dtype, OBJECT_CLASSES, config.unionIn());
        SDVariable frame = sd.placeHolder(PAIR_FRAME, dtype, p, 1);

        Pair pair = new Pair(sd.mmul(in.subjectSelect(), feat), sd.mmul(in.objectSelect(), feat),
                sd.mean(in.union(), 2, 3), sd.reshape(in.masks(), -1, MASK_WIDTH), in.subjectClass(),
                in.objectClass(), frame);
        Logits l = logits(pair);
        if (l == null || l.attention() == null || l.spatial() == null || l.contacting() == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ".logits returned no logits");
        }
        SDVariable attention = sd.identity(ATTENTION, l.attention());
        SDVariable spatial = sd.nn().sigmoid(SPATIAL, l.spatial());
        SDVariable contacting = sd.nn().sigmoid(CONTACTING, l.contacting());

        // STTran's losses: cross-entropy on the attention logits, multi-label margin on the probabilities
        SDVariable total = RelationHeads.loss(new RelationHeads.Outputs(attention, spatial, contacting),
                RelationHeads.Targets.placeholders(sd, dtype, CLASSES), RelationLoss.MARGIN, CLASSES, "");
        sd.identity(LOSS, total);
        sd.setLossVariables(LOSS);
    }

    /** Placeholders of one video (targets too when given). */
    Map<String, INDArray> prepare(RelationInputs in, RelationTargets t) {
        String name = name();
        C config = config();
        DataType dtype = dataType();
        int p = in.numPairs();
        try {
            RelationFeed.check(in, config.feature(), config.unionIn(), OBJECT_CLASSES);
        } catch (KitException e) {
            throw new KitException("model '" + name + "': " + e.getMessage(), e);
        }
        double[][] frame = new double[p][1];
        for (int i = 0; i < p; i++) {
            frame[i][0] = in.pairFrame()[i];
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(FEATURES, in.features().castTo(dtype));
        m.putAll(RelationFeed.pairs(in, OBJECT_CLASSES, dtype));
        m.put(PAIR_FRAME, Nd4j.createFromArray(frame).castTo(dtype));            // [P, 1]
        if (t != null) {
            m.putAll(RelationFeed.targets(t, p, in.numBoxes(), CLASSES, false, dtype));
        }
        return m;
    }

    /** Zero pairs give empty [0, K] outputs. */
    @Override
    public Map<String, INDArray> relations(RelationInputs in) {
        scope().setTraining(false);
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (in.numPairs() > 0) {
            out.putAll(infer(prepare(in, null), ATTENTION, SPATIAL, CONTACTING));
        } else {
            out.putAll(noRelations(ATTENTION_CLASSES, SPATIAL_CLASSES, CONTACTING_CLASSES));
        }
        return out;
    }

    @Override
    public INDArray objectLogits(RelationInputs in) {
        throw new KitException("model '" + name() + "' has no object classifier (a PairModel runs only in PredCLS)");
    }

    @Override
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        return evaluateScalars(prepare(in, targets), List.of(LOSS, ATTENTION_LOSS, SPATIAL_LOSS, CONTACTING_LOSS));
    }

    @Override
    protected Map<String, INDArray> trainingInputs(RelationInputs in, RelationTargets targets) {
        return prepare(in, targets);
    }
}
