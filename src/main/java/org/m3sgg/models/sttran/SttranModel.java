package org.m3sgg.models.sttran;

import static org.m3sgg.models.relation.RelationBatch.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.data.Mode;
import org.m3sgg.models.GraphModel;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.relation.GlocalTransformer;
import org.m3sgg.models.relation.ObjectClassifier;
import org.m3sgg.models.relation.RelationBatch;
import org.m3sgg.models.relation.RelationFeatures;
import org.m3sgg.models.relation.RelationHeads;
import org.m3sgg.models.relation.RelationWidths;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * STTran (Cong et al., ICCV 2021) as a SameDiff graph. The model only declares its graph: named placeholders in
 * (see {@link RelationBatch}), named outputs back. Variable names are the reference state_dict keys, so
 * published checkpoints load through {@link #loadStateDict} (see the package documentation).
 *
 * <p>Outputs: {@link #ATTENTION} [P, 3] logits, {@link #SPATIAL} [P, 6] and {@link #CONTACTING} [P, 17] sigmoid
 * probabilities, {@link #OBJECT_LOGITS} [N, 37] (SGCLS), {@link #LOSS} (scalar, needs targets).
 */
public final class SttranModel extends GraphModel<SttranConfig> {

    /** The registry name. */
    public static final String NAME = "sttran";

    public static final String ATTENTION = "attention_distribution";
    public static final String SPATIAL = "spatial_distribution";
    public static final String CONTACTING = "contacting_distribution";
    public static final String OBJECT_LOGITS = "object_logits";
    public static final String LOSS = "loss";
    public static final String ATTENTION_LOSS = RelationHeads.ATTENTION_LOSS;
    public static final String SPATIAL_LOSS = RelationHeads.SPATIAL_LOSS;
    public static final String CONTACTING_LOSS = RelationHeads.CONTACTING_LOSS;
    public static final String OBJECT_LOSS = ObjectClassifier.LOSS;
    /** Prefix of the SGCLS object classifier's parameters (present in every checkpoint, used only in SGCLS). */
    public static final String CLASSIFIER = ObjectClassifier.PREFIX;

    private SttranModel(SttranConfig config, Mode mode, DataType dtype, long seed) {
        super(NAME, "STTran", config, mode, dtype, seed);
        define();
    }

    /** A float32 model with PyTorch-style random initialisation from {@code seed}. */
    public static SttranModel build(SttranConfig config, Mode mode, long seed) {
        return new SttranModel(config, mode, DataType.FLOAT, seed);
    }

    /** As {@link #build(SttranConfig, Mode, long)} with another floating type (float64 for gradient checks). */
    public static SttranModel build(SttranConfig config, Mode mode, long seed, DataType dtype) {
        return new SttranModel(config, mode, dtype, seed);
    }

    private void define() {
        SttranConfig c = config();
        RelationWidths w = c.widths();
        SameDiff sd = graph();
        NnScope scope = scope();
        DataType dtype = dataType();
        // ---- parameters, in the reference's order: classifier (always present: checkpoints carry it), pair
        // representation, spatial-temporal transformer, heads ----
        ObjectClassifier classifier = new ObjectClassifier(scope, c.feature(), c.objectClasses(), c.embedding(),
                c.posEmbed(), c.posBnMomentum(), c.classifierHidden());
        RelationFeatures pairFeatures = new RelationFeatures(scope, c.feature(), c.unionIn(), c.unionOut(), c.pairFc(),
                c.objectClasses(), c.embedding());
        GlocalTransformer transformer = new GlocalTransformer(scope, c.dModel(), c.heads(), c.ffn(), c.dropout(),
                c.encLayers(), c.decLayers());
        RelationHeads heads = new RelationHeads(scope, "", c.dModel(), w.classes());

        RelationBatch.Placeholders ph = RelationBatch.placeholders(sd, dtype, w);
        // ---- relation features [P, dModel], spatial encoder, temporal decoder, heads, losses ----
        SDVariable x = transformer.encode(pairFeatures.apply(ph.features(), ph.pairs()), ph.frameMask());
        SDVariable out = c.temporalDecoder() ? transformer.decode(x, ph, c.zeroSumKeyMask()) : x;
        RelationHeads.Outputs o = heads.apply(out, ATTENTION, SPATIAL, CONTACTING);
        SDVariable total = heads.loss(o, RelationHeads.Targets.placeholders(sd, dtype, w.classes()), c.relationLoss(),
                "");

        if (mode().hasObjectClassifier()) {
            total = total.add(classifier.loss(ph.features(), c.objectClasses()));
        }
        sd.identity(LOSS, total);
        sd.setLossVariables(LOSS);
    }

    /** The classifier takes part only in SGCLS. */
    @Override
    protected boolean usedInMode(String name) {
        return mode().hasObjectClassifier() || !name.startsWith(CLASSIFIER);
    }

    /** Copies a reference state dict into the graph; strict about keys and shapes. */
    public void loadStateDict(Map<String, TorchTensor> stateDict, String source) {
        scope().bindings().load(graph(), stateDict, source);
    }

    /** Host preparation of one video for this model. */
    public RelationBatch prepare(RelationInputs in, RelationTargets targets) {
        return RelationBatch.build(in, targets, config().widths(), mode().hasObjectClassifier(), dataType());
    }

    @Override
    protected Map<String, INDArray> trainingInputs(RelationInputs in, RelationTargets targets) {
        return prepare(in, targets).all();
    }

    /**
     * Evaluation-mode relation outputs: {@link #ATTENTION}, {@link #SPATIAL}, {@link #CONTACTING} ({@link #forward}
     * adds {@link #OBJECT_LOGITS} in SGCLS). Zero pairs give empty [0, K] relation outputs.
     */
    @Override
    public Map<String, INDArray> relations(RelationInputs in) {
        scope().setTraining(false);
        RelationBatch batch = prepare(in, null);
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (in.numPairs() > 0) {
            out.putAll(infer(batch.relationInputs(), ATTENTION, SPATIAL, CONTACTING));
        } else {
            out.putAll(noRelations(config().attentionClasses(), config().spatialClasses(),
                    config().contactingClasses()));
        }
        return out;
    }

    /** SGCLS: the classifier's [N, objectClasses] logits only (evaluation mode). */
    @Override
    public INDArray objectLogits(RelationInputs in) {
        requireObjectClassifier();
        scope().setTraining(false);
        return inferSingle(prepare(in, null).objectInputs(), OBJECT_LOGITS);
    }

    /** Loss terms in evaluation mode (no dropout, running batch-norm statistics). */
    @Override
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        scope().setTraining(false);
        List<String> names = new ArrayList<>(List.of(LOSS, ATTENTION_LOSS, SPATIAL_LOSS, CONTACTING_LOSS));
        if (mode().hasObjectClassifier()) {
            names.add(OBJECT_LOSS);
        }
        return evaluateScalars(prepare(in, targets).all(), names);
    }
}
