package org.m3sgg.models.stket;

import static org.m3sgg.models.relation.RelationBatch.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.models.GraphModel;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.SggModel;
import org.m3sgg.models.TrainingAware;
import org.m3sgg.models.relation.ObjectClassifier;
import org.m3sgg.models.relation.RelationBatch;
import org.m3sgg.models.relation.RelationFeatures;
import org.m3sgg.models.relation.RelationHeads;
import org.m3sgg.models.relation.RelationWidths;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * STKET (Pu et al., IEEE TIP 2024) as a SameDiff graph: STTran's relation representation, a spatial encoder and a
 * temporal decoder whose queries and keys carry embedded prior knowledge counted from the training annotations,
 * and an ensemble decoder over each object's recent frames. See the package documentation.
 *
 * <p>Outputs: per head h in {spatial, temporal, ensemble}, {@code h_attention_distribution} [P, 3] logits,
 * {@code h_spatial_distribution} [P, 6] and {@code h_contacting_distribution} [P, 17] probabilities; the head
 * chosen by {@link StketConfig#evalHead()} is also returned under {@link SggModel#ATTENTION} etc.
 *
 * <p>A forward pass is two graph runs: the first reads the spatial head's contacting probabilities, which pick
 * each pair's transition prior on the host (the reference detaches them too), the second runs everything.
 */
public final class StketModel extends GraphModel<StketConfig> implements TrainingAware {

    public static final String NAME = "stket";
    public static final String[] HEADS = {"spatial", "temporal", "ensemble"};
    public static final String CLASSIFIER = ObjectClassifier.PREFIX;
    public static final String OBJECT_LOSS = ObjectClassifier.LOSS;
    /** Parameters holding the priors (initialised from the counts, then trained like the reference's). */
    public static final String SPATIAL_INITIAL = "spatial_encoder.initialPrior";
    public static final String TEMPORAL_INITIAL = "temporal_decoder.initialPrior";
    public static final String TEMPORAL_SPECIFIC = "temporal_decoder.specificPrior";
    /** State entries with the counted priors and whether they were copied into the parameters. */
    public static final String COUNTED_INITIAL = "priors.counted_initial";
    public static final String COUNTED_SPECIFIC = "priors.counted_specific";
    public static final String COUNTED_FLAG = "priors.counted";

    // shorthands for the base class's config, graph, scope and type; base is the shared relation widths
    private final StketConfig config;
    private final RelationWidths base;
    private final DataType dtype;
    private final SameDiff sd;
    private final NnScope scope;
    private final List<String> lossNames = new ArrayList<>();
    private final INDArray countedInitial;
    private final INDArray countedSpecific;
    private final INDArray countedFlag;

    private StketModel(StketConfig config, Mode mode, DataType dtype, long seed) {
        super(NAME, "STKET", config, mode, dtype, seed);
        this.config = config;
        this.base = config.widths();
        this.dtype = dtype;
        this.sd = graph();
        this.scope = scope();
        this.countedInitial = Nd4j.zeros(dtype, config.objectClasses(), config.predicates());
        this.countedSpecific = Nd4j.zeros(dtype, config.objectClasses(), config.contactingClasses(),
                config.predicates());
        this.countedFlag = Nd4j.zeros(dtype, 1);
        define();
    }

    public static StketModel build(StketConfig config, Mode mode, long seed) {
        return new StketModel(config, mode, DataType.FLOAT, seed);
    }

    public static StketModel build(StketConfig config, Mode mode, long seed, DataType dtype) {
        return new StketModel(config, mode, dtype, seed);
    }

    public static String output(String head, String group) {
        return head + "_" + group + "_distribution";
    }

    private Linear[] stateFc(String prefix) {
        int[] w = {config.predicates(), 128, 256, 512, config.dModel()};
        Linear[] fc = new Linear[4];
        for (int i = 0; i < 4; i++) {
            fc[i] = new Linear(scope, prefix + ".state_fc." + i, w[i], w[i + 1]);
        }
        return fc;
    }

    /** The reference's state_fc: four linear maps without activations, 26 -> 128 -> 256 -> 512 -> d. */
    private static SDVariable applyAll(Linear[] fc, SDVariable x) {
        for (Linear l : fc) {
            x = l.apply(x);
        }
        return x;
    }

    private void define() {
        StketConfig c = config;
        int classes = c.objectClasses();
        int kc = c.contactingClasses();
        int r = c.predicates();
        long p = -1;
        // ---- object classifier and pair representation: STTran's, same names ----
        ObjectClassifier classifier = new ObjectClassifier(scope, c.feature(), classes, c.embedding(), c.posEmbed(),
                c.posBnMomentum(), c.classifierHidden());
        RelationFeatures pairFeatures = new RelationFeatures(scope, c.feature(), c.unionIn(), c.unionOut(), c.pairFc(),
                classes, c.embedding());

        // ---- knowledge: prior tables (filled by beforeTraining) and their embeddings ----
        SDVariable sInit = scope.param(SPATIAL_INITIAL, scope.zeros(classes, r));
        Linear[] sFc = stateFc("spatial_encoder");
        SDVariable tInit = scope.param(TEMPORAL_INITIAL, scope.zeros(classes, r));
        SDVariable tSpec = scope.param(TEMPORAL_SPECIFIC, scope.zeros(classes, kc, r));
        Linear[] tFc = stateFc("temporal_decoder");

        List<PriorEncoderLayer> enc = new ArrayList<>();
        for (int i = 0; i < c.encLayers(); i++) {
            enc.add(new PriorEncoderLayer(scope, "spatial_encoder.encoder.layers." + i, c.dModel(), c.heads(), c.ffn(),
                    c.dropout()));
        }
        List<PriorDecoderLayer> dec = new ArrayList<>();
        for (int i = 0; i < c.decLayers(); i++) {
            dec.add(new PriorDecoderLayer(scope, "temporal_decoder.decoder.layers." + i, c.dModel(), c.heads(), c.ffn(),
                    c.dropout()));
        }
        SDVariable frameCode = scope.param("temporal_decoder.position_embedding.weight",
                scope.uniform(0, 1, 2, c.dModel()));
        List<PriorDecoderLayer> ens = new ArrayList<>();
        for (int i = 0; i < c.ensembleLayers(); i++) {
            ens.add(new PriorDecoderLayer(scope, "ensemble_decoder.decoder.layers." + i, c.dModel(), c.heads(), c.ffn(),
                    c.dropout()));
        }
        SDVariable slotCode = scope.param("ensemble_decoder.position_embedding.weight",
                scope.uniform(0, 1, c.windowSize(), c.dModel()));
        Map<String, RelationHeads> heads = new LinkedHashMap<>();
        String[] short_ = {"spa", "tem", "ens"};
        for (int h = 0; h < 3; h++) {
            heads.put(HEADS[h], new RelationHeads(scope, short_[h] + "_", c.dModel(), base.classes()));
        }

        // ---- placeholders ----
        RelationBatch.Placeholders ph = RelationBatch.placeholders(sd, dtype, base);
        SDVariable objCls = ph.pairs().objectClass();
        SDVariable winSpec = sd.placeHolder(StketBatch.WIN_PRIOR_SPECIFIC, dtype, -1, (long) classes * kc);
        SDVariable winInit = sd.placeHolder(StketBatch.WIN_PRIOR_INITIAL, dtype, -1, classes);
        SDVariable pairSpec = sd.placeHolder(StketBatch.PAIR_PRIOR_SPECIFIC, dtype, p, (long) classes * kc);
        SDVariable pairInit = sd.placeHolder(StketBatch.PAIR_PRIOR_INITIAL, dtype, p, classes);
        SDVariable ensSel = sd.placeHolder(StketBatch.ENS_SELECT, dtype, -1, p);
        SDVariable ensSlot = sd.placeHolder(StketBatch.ENS_SLOT, dtype, -1, c.windowSize());
        SDVariable ensMask = sd.placeHolder(StketBatch.ENS_MASK, dtype, -1, -1);
        SDVariable ensOut = sd.placeHolder(StketBatch.ENS_OUTPUT, dtype, p, -1);

        // ---- relation features [P, D] ----
        SDVariable x = pairFeatures.apply(ph.features(), ph.pairs());

        // ---- spatial encoder with the spatial prior of each pair's object class ----
        SDVariable spatialPrior = applyAll(sFc, sd.mmul(objCls, sInit));                 // [P, D]
        for (PriorEncoderLayer layer : enc) {
            x = layer.apply(x, c.spatialPrior() ? spatialPrior : null, ph.frameMask());
        }
        SDVariable spatialFeat = x;

        // ---- temporal decoder over 2-frame windows with the transition / initial priors ----
        SDVariable specFlat = sd.reshape(tSpec, (long) classes * kc, r);                   // [C*K, R]
        SDVariable winPrior = applyAll(tFc, sd.mmul(winSpec, specFlat).add(sd.mmul(winInit, tInit)));   // [Rw, D]
        SDVariable w = sd.mmul(ph.windowSelect(), spatialFeat);
        SDVariable pos = sd.mmul(ph.windowFrameCode(), frameCode);
        for (PriorDecoderLayer layer : dec) {
            w = layer.apply(w, c.temporalPrior() ? winPrior : null, pos, ph.windowMask());
        }
        SDVariable temporalFeat = sd.mmul(ph.windowOutput(), w);                                    // [P, D]

        // ---- ensemble decoder over the object's recent frames (no prior) ----
        SDVariable e = sd.mmul(ensSel, spatialFeat.add(temporalFeat).mul(0.5));           // [E, D]
        SDVariable epos = sd.mmul(ensSlot, slotCode);
        for (PriorDecoderLayer layer : ens) {
            e = layer.apply(e, null, epos, ensMask);
        }
        SDVariable ensembleFeat = sd.mmul(ensOut, e);                                     // [P, D]

        // ---- heads and losses ----
        RelationHeads.Targets targets = RelationHeads.Targets.placeholders(sd, dtype, base.classes());
        SDVariable[] feats = {spatialFeat, temporalFeat, ensembleFeat};
        SDVariable total = null;
        for (int h = 0; h < 3; h++) {
            RelationHeads.Outputs o = heads.get(HEADS[h]).apply(feats[h], output(HEADS[h], "attention"),
                    output(HEADS[h], "spatial"), output(HEADS[h], "contacting"));
            total = add(total, loss(o, targets, HEADS[h]));
        }
        if (c.priorLoss() && c.spatialPrior()) {
            total = add(total, loss(heads.get("spatial").apply(spatialPrior), targets, "spatial_prior"));
        }
        if (c.priorLoss() && c.temporalPrior()) {
            SDVariable pairPrior = applyAll(tFc, sd.mmul(pairSpec, specFlat).add(sd.mmul(pairInit, tInit)));
            total = add(total, loss(heads.get("temporal").apply(pairPrior), targets, "temporal_prior"));
        }
        if (mode().hasObjectClassifier()) {
            total = total.add(classifier.loss(ph.features(), classes));
            lossNames.add(OBJECT_LOSS);
        }
        sd.identity(LOSS, total);
        sd.setLossVariables(LOSS);
    }

    private static SDVariable add(SDVariable a, SDVariable b) {
        return a == null ? b : a.add(b);
    }

    /** The three loss terms of one head's outputs, named {@code <head>_attention_loss} etc. */
    private SDVariable loss(RelationHeads.Outputs o, RelationHeads.Targets targets, String head) {
        String prefix = head + "_";
        lossNames.addAll(List.of(prefix + RelationHeads.ATTENTION_LOSS, prefix + RelationHeads.SPATIAL_LOSS,
                prefix + RelationHeads.CONTACTING_LOSS));
        return RelationHeads.loss(o, targets, config.relationLoss(), base.classes(), prefix);
    }

    // ------------------------------------------------------------------------------------------------------------

    /** Names of the loss terms {@link #evaluateLoss} reports besides {@link #LOSS}. */
    public List<String> lossTerms() {
        return List.copyOf(lossNames);
    }

    /** The classifier takes part only in SGCLS. */
    @Override
    protected boolean usedInMode(String name) {
        return mode().hasObjectClassifier() || !name.startsWith(CLASSIFIER);
    }

    private RelationBatch prepare(RelationInputs in, RelationTargets targets) {
        return RelationBatch.build(in, targets, base, mode().hasObjectClassifier(), dtype);
    }

    /** The spatial head's contacting probabilities [P][K] (first pass), in the scope's current phase. */
    private double[][] contactProbs(RelationBatch batch, RelationInputs in) {
        Map<String, INDArray> ph = new LinkedHashMap<>(batch.relationInputs());
        ph.putAll(StketBatch.build(in, config, null, dtype));
        INDArray probs = inferSingle(ph, output("spatial", "contacting"));
        return probs.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    /** Relation placeholders of the second pass, with the priors picked from the first pass. */
    private Map<String, INDArray> secondPass(RelationBatch batch, RelationInputs in) {
        double[][] probs = contactProbs(batch, in);
        Map<String, INDArray> ph = new LinkedHashMap<>(batch.relationInputs());
        ph.putAll(StketBatch.build(in, config, probs, dtype));
        return ph;
    }

    /** Every head's outputs; the {@link StketConfig#evalHead()} head also under the standard names. */
    @Override
    public Map<String, INDArray> relations(RelationInputs in) {
        scope.setTraining(false);
        RelationBatch batch = prepare(in, null);
        Map<String, INDArray> out = new LinkedHashMap<>();
        String[] groups = {"attention", "spatial", "contacting"};
        int[] widths = {config.attentionClasses(), config.spatialClasses(), config.contactingClasses()};
        List<String> names = new ArrayList<>();
        for (String h : HEADS) {
            for (String g : groups) {
                names.add(output(h, g));
            }
        }
        Map<String, INDArray> all = new LinkedHashMap<>();
        if (in.numPairs() > 0) {
            all.putAll(infer(secondPass(batch, in), names));
        } else {
            for (String h : HEADS) {
                for (int g = 0; g < 3; g++) {
                    all.put(output(h, groups[g]), noRows(widths[g]));
                }
            }
        }
        String chosen = config.evalHead().name().toLowerCase(java.util.Locale.ROOT);
        out.put(ATTENTION, all.get(output(chosen, "attention")));
        out.put(SPATIAL, all.get(output(chosen, "spatial")));
        out.put(CONTACTING, all.get(output(chosen, "contacting")));
        out.putAll(all);
        return out;
    }

    @Override
    public INDArray objectLogits(RelationInputs in) {
        requireObjectClassifier();
        scope.setTraining(false);
        return inferSingle(prepare(in, null).objectInputs(), OBJECT_LOGITS);
    }

    /** Both passes' placeholders with the targets: the first pass runs in the caller's phase. */
    private Map<String, INDArray> allInputs(RelationInputs in, RelationTargets targets) {
        RelationBatch batch = prepare(in, targets);
        Map<String, INDArray> ph = secondPass(batch, in);
        ph.putAll(batch.objectInputs());
        ph.putAll(batch.targetInputs());
        return ph;
    }

    @Override
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        scope.setTraining(false);
        List<String> names = new ArrayList<>(List.of(LOSS));
        names.addAll(lossNames);
        return evaluateScalars(allInputs(in, targets), names);
    }

    /**
     * Both passes run in training mode (batch statistics, dropout); batch-norm running statistics are updated from
     * the second pass.
     */
    @Override
    protected Map<String, INDArray> trainingInputs(RelationInputs in, RelationTargets targets) {
        return allInputs(in, targets);
    }

    // ---- knowledge from the training split ------------------------------------------------------------------

    /**
     * Counts the priors from the training videos. A fresh model copies them into its prior parameters; a model
     * whose state says it already did (a resumed run, a loaded checkpoint) keeps its trained parameters and only
     * refreshes the stored counts (deterministic, so the same values).
     */
    @Override
    public void beforeTraining(List<AgVideo> train, Function<AgVideo, Example> collate) {
        installPriors(StketPriors.count(train, config));
    }

    /** Stores counted priors; copies them into the prior parameters unless that was done before. */
    public void installPriors(StketPriors priors) {
        INDArray init = Nd4j.createFromArray(priors.initial()).castTo(dtype);
        INDArray spec = Nd4j.createFromArray(priors.specific()).castTo(dtype);
        if (!Arrays.equals(init.shape(), countedInitial.shape()) || !Arrays.equals(spec.shape(),
                countedSpecific.shape())) {
            throw new KitException("stket priors have shapes " + Arrays.toString(init.shape()) + " / "
                    + Arrays.toString(spec.shape()) + ", the model " + Arrays.toString(countedInitial.shape()) + " / "
                    + Arrays.toString(countedSpecific.shape()));
        }
        countedInitial.assign(init);
        countedSpecific.assign(spec);
        if (countedFlag.getDouble(0) == 0) {
            sd.getVariable(SPATIAL_INITIAL).getArr().assign(init);
            sd.getVariable(TEMPORAL_INITIAL).getArr().assign(init);
            sd.getVariable(TEMPORAL_SPECIFIC).getArr().assign(spec);
            countedFlag.assign(1);
        }
    }

    /** Whether counted priors have been copied into the parameters. */
    public boolean priorsCounted() {
        return countedFlag.getDouble(0) != 0;
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = super.state();
        out.put(COUNTED_INITIAL, countedInitial);
        out.put(COUNTED_SPECIFIC, countedSpecific);
        out.put(COUNTED_FLAG, countedFlag);
        return out;
    }
}
