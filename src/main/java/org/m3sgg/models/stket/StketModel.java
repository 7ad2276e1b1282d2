package org.m3sgg.models.stket;

import static org.m3sgg.models.sttran.RelationBatch.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.m3sgg.api.KitException;
import org.m3sgg.api.SggModel;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.models.ModelState;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.TrainingAware;
import org.m3sgg.models.sttran.RelationBatch;
import org.m3sgg.models.sttran.SttranConfig;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.BatchNorm;
import org.m3sgg.nn.Conv2d;
import org.m3sgg.nn.Dropout;
import org.m3sgg.nn.Embedding;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.Losses;
import org.m3sgg.nn.MaxPool2d;
import org.m3sgg.nn.NnScope;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
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
public final class StketModel implements SggModel, TrainingAware {

    public static final String NAME = "stket";
    public static final String[] HEADS = {"spatial", "temporal", "ensemble"};
    public static final String CLASSIFIER = "object_classifier.";
    public static final String OBJECT_LOSS = "object_loss";
    /** Parameters holding the priors (initialised from the counts, then trained like the reference's). */
    public static final String SPATIAL_INITIAL = "spatial_encoder.initialPrior";
    public static final String TEMPORAL_INITIAL = "temporal_decoder.initialPrior";
    public static final String TEMPORAL_SPECIFIC = "temporal_decoder.specificPrior";
    /** State entries with the counted priors and whether they were copied into the parameters. */
    public static final String COUNTED_INITIAL = "priors.counted_initial";
    public static final String COUNTED_SPECIFIC = "priors.counted_specific";
    public static final String COUNTED_FLAG = "priors.counted";

    private final StketConfig config;
    private final SttranConfig base;
    private final Mode mode;
    private final DataType dtype;
    private final SameDiff sd;
    private final NnScope scope;
    private final List<String> lossNames = new ArrayList<>();
    private final INDArray countedInitial;
    private final INDArray countedSpecific;
    private final INDArray countedFlag;

    private StketModel(StketConfig config, Mode mode, DataType dtype, long seed) {
        if (mode == Mode.SGDET) {
            throw new IllegalArgumentException("build STKET with Mode.SGCLS for SGDET-style training; SGDET test-time "
                    + "detection handling is not part of this model");
        }
        this.config = config;
        this.base = config.sttran();
        this.mode = mode;
        this.dtype = dtype;
        this.sd = SameDiff.create();
        this.scope = new NnScope(sd, dtype, seed);
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
        long n = -1;
        // ---- object classifier and pair representation: STTran's, same names ----
        Embedding clsEmbed = new Embedding(scope, "object_classifier.obj_embed", classes - 1, c.embedding());
        BatchNorm posBn = new BatchNorm(scope, "object_classifier.pos_embed.0", 4, c.posBnMomentum());
        Linear posFc = new Linear(scope, "object_classifier.pos_embed.1", 4, c.posEmbed());
        Linear dec0 = new Linear(scope, "object_classifier.decoder_lin.0", c.feature() + c.embedding() + c.posEmbed(),
                c.classifierHidden());
        BatchNorm dec1 = new BatchNorm(scope, "object_classifier.decoder_lin.1", c.classifierHidden(), 0.1);
        Linear dec3 = new Linear(scope, "object_classifier.decoder_lin.3", c.classifierHidden(), classes);
        Conv2d unionConv = new Conv2d(scope, "union_func1", c.unionIn(), c.unionOut(), 1, 1, 0);
        Conv2d mask0 = new Conv2d(scope, "conv.0", 2, c.unionOut() / 2, 7, 2, 3);
        BatchNorm mask2 = new BatchNorm(scope, "conv.2", c.unionOut() / 2, 0.01);
        MaxPool2d mask3 = new MaxPool2d(scope, 3, 2, 1);
        Conv2d mask4 = new Conv2d(scope, "conv.4", c.unionOut() / 2, c.unionOut(), 3, 1, 1);
        BatchNorm mask6 = new BatchNorm(scope, "conv.6", c.unionOut(), 0.01);
        Linear subjFc = new Linear(scope, "subj_fc", c.feature(), c.pairFc());
        Linear objFc = new Linear(scope, "obj_fc", c.feature(), c.pairFc());
        Linear vrFc = new Linear(scope, "vr_fc", c.unionOut() * 49, c.pairFc());
        Embedding subjEmbed = new Embedding(scope, "obj_embed", classes, c.embedding());
        Embedding objEmbed = new Embedding(scope, "obj_embed2", classes, c.embedding());

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
        Map<String, Linear[]> heads = new LinkedHashMap<>();
        String[] short_ = {"spa", "tem", "ens"};
        for (int h = 0; h < 3; h++) {
            heads.put(HEADS[h], new Linear[] {
                new Linear(scope, short_[h] + "_a_rel_compress", c.dModel(), c.attentionClasses()),
                new Linear(scope, short_[h] + "_s_rel_compress", c.dModel(), c.spatialClasses()),
                new Linear(scope, short_[h] + "_c_rel_compress", c.dModel(), kc)});
        }

        // ---- placeholders ----
        SDVariable feat = sd.placeHolder(FEATURES, dtype, n, c.feature());
        SDVariable subjSel = sd.placeHolder(SUBJECT_SELECT, dtype, p, n);
        SDVariable objSel = sd.placeHolder(OBJECT_SELECT, dtype, p, n);
        SDVariable subjCls = sd.placeHolder(SUBJECT_CLASS, dtype, p, classes);
        SDVariable objCls = sd.placeHolder(OBJECT_CLASS, dtype, p, classes);
        SDVariable union = sd.placeHolder(UNION_FEAT, dtype, p, c.unionIn(), 7, 7);
        SDVariable masks = sd.placeHolder(SPATIAL_MASKS, dtype, p, 2, 27, 27);
        SDVariable frameMask = sd.placeHolder(FRAME_MASK, dtype, p, p);
        SDVariable winSel = sd.placeHolder(WINDOW_SELECT, dtype, -1, p);
        SDVariable winCode = sd.placeHolder(WINDOW_FRAME_CODE, dtype, -1, 2);
        SDVariable winMask = sd.placeHolder(WINDOW_MASK, dtype, -1, -1);
        SDVariable winOut = sd.placeHolder(WINDOW_OUTPUT, dtype, p, -1);
        SDVariable winSpec = sd.placeHolder(StketBatch.WIN_PRIOR_SPECIFIC, dtype, -1, (long) classes * kc);
        SDVariable winInit = sd.placeHolder(StketBatch.WIN_PRIOR_INITIAL, dtype, -1, classes);
        SDVariable pairSpec = sd.placeHolder(StketBatch.PAIR_PRIOR_SPECIFIC, dtype, p, (long) classes * kc);
        SDVariable pairInit = sd.placeHolder(StketBatch.PAIR_PRIOR_INITIAL, dtype, p, classes);
        SDVariable ensSel = sd.placeHolder(StketBatch.ENS_SELECT, dtype, -1, p);
        SDVariable ensSlot = sd.placeHolder(StketBatch.ENS_SLOT, dtype, -1, c.windowSize());
        SDVariable ensMask = sd.placeHolder(StketBatch.ENS_MASK, dtype, -1, -1);
        SDVariable ensOut = sd.placeHolder(StketBatch.ENS_OUTPUT, dtype, p, -1);

        // ---- relation features [P, D] ----
        SDVariable subj = subjFc.apply(sd.mmul(subjSel, feat));
        SDVariable obj = objFc.apply(sd.mmul(objSel, feat));
        SDVariable m = mask0.apply(masks);
        m = mask2.apply(sd.nn().relu(m, 0), 4);
        m = mask3.apply(m);
        m = mask6.apply(sd.nn().relu(mask4.apply(m), 0), 4);
        SDVariable vr = unionConv.apply(union).add(m);
        vr = vrFc.apply(sd.reshape(vr, -1, c.unionOut() * 49));
        SDVariable x = sd.concat(1, subj, obj, vr, subjEmbed.apply(subjCls), objEmbed.apply(objCls));

        // ---- spatial encoder with the spatial prior of each pair's object class ----
        SDVariable spatialPrior = applyAll(sFc, sd.mmul(objCls, sInit));                 // [P, D]
        for (PriorEncoderLayer layer : enc) {
            x = layer.apply(x, c.spatialPrior() ? spatialPrior : null, frameMask);
        }
        SDVariable spatialFeat = x;

        // ---- temporal decoder over 2-frame windows with the transition / initial priors ----
        SDVariable specFlat = sd.reshape(tSpec, (long) classes * kc, r);                   // [C*K, R]
        SDVariable winPrior = applyAll(tFc, sd.mmul(winSpec, specFlat).add(sd.mmul(winInit, tInit)));   // [Rw, D]
        SDVariable w = sd.mmul(winSel, spatialFeat);
        SDVariable pos = sd.mmul(winCode, frameCode);
        for (PriorDecoderLayer layer : dec) {
            w = layer.apply(w, c.temporalPrior() ? winPrior : null, pos, winMask);
        }
        SDVariable temporalFeat = sd.mmul(winOut, w);                                     // [P, D]

        // ---- ensemble decoder over the object's recent frames (no prior) ----
        SDVariable e = sd.mmul(ensSel, spatialFeat.add(temporalFeat).mul(0.5));           // [E, D]
        SDVariable epos = sd.mmul(ensSlot, slotCode);
        for (PriorDecoderLayer layer : ens) {
            e = layer.apply(e, null, epos, ensMask);
        }
        SDVariable ensembleFeat = sd.mmul(ensOut, e);                                     // [P, D]

        // ---- heads and losses ----
        SDVariable aT = sd.placeHolder(ATTENTION_TARGET, dtype, p, c.attentionClasses());
        SDVariable sT = sd.placeHolder(SPATIAL_TARGET, dtype, p, c.spatialClasses());
        SDVariable cT = sd.placeHolder(CONTACTING_TARGET, dtype, p, kc);
        SDVariable[] feats = {spatialFeat, temporalFeat, ensembleFeat};
        SDVariable total = null;
        for (int h = 0; h < 3; h++) {
            Linear[] hd = heads.get(HEADS[h]);
            total = add(total, headAndLoss(HEADS[h], hd, feats[h], true, aT, sT, cT));
        }
        if (c.priorLoss() && c.spatialPrior()) {
            total = add(total, headAndLoss("spatial_prior", heads.get("spatial"), spatialPrior, false, aT, sT, cT));
        }
        if (c.priorLoss() && c.temporalPrior()) {
            SDVariable pairPrior = applyAll(tFc, sd.mmul(pairSpec, specFlat).add(sd.mmul(pairInit, tInit)));
            total = add(total, headAndLoss("temporal_prior", heads.get("temporal"), pairPrior, false, aT, sT, cT));
        }
        if (mode == Mode.SGCLS) {
            SDVariable dist = sd.placeHolder(DISTRIBUTION, dtype, n, classes - 1);
            SDVariable cs = sd.placeHolder(BOX_CENTER_SIZE, dtype, n, 4);
            SDVariable posEmb = new Dropout(scope, 0.1).apply(sd.nn().relu(posFc.apply(posBn.apply(cs, 2)), 0));
            SDVariable hcls = sd.concat(1, feat, clsEmbed.apply(dist), posEmb);
            hcls = sd.nn().relu(dec1.apply(dec0.apply(hcls), 2), 0);
            SDVariable logits = sd.identity(OBJECT_LOGITS, dec3.apply(hcls));
            SDVariable oT = sd.placeHolder(OBJECT_TARGET, dtype, n, classes);
            total = total.add(sd.identity(OBJECT_LOSS, Losses.crossEntropy(sd, logits, oT)));
            lossNames.add(OBJECT_LOSS);
        }
        sd.identity(LOSS, total);
        sd.setLossVariables(LOSS);
    }

    private static SDVariable add(SDVariable a, SDVariable b) {
        return a == null ? b : a.add(b);
    }

    /** Named head outputs (when {@code named}) and the three loss terms of one feature set. */
    private SDVariable headAndLoss(String head, Linear[] hd, SDVariable f, boolean named, SDVariable aT,
            SDVariable sT, SDVariable cT) {
        SDVariable a = hd[0].apply(f);
        SDVariable s = sd.nn().sigmoid(hd[1].apply(f));
        SDVariable co = sd.nn().sigmoid(hd[2].apply(f));
        if (named) {
            a = sd.identity(output(head, "attention"), a);
            s = sd.identity(output(head, "spatial"), s);
            co = sd.identity(output(head, "contacting"), co);
        }
        SDVariable la = Losses.crossEntropy(sd, a, aT);
        SDVariable ls;
        SDVariable lc;
        if (config.relationLoss() == SttranConfig.RelationLoss.MARGIN) {
            ls = Losses.multiLabelMargin(sd, s, sT, config.spatialClasses());
            lc = Losses.multiLabelMargin(sd, co, cT, config.contactingClasses());
        } else {
            ls = Losses.binaryCrossEntropy(sd, s, sd.math.min(sT, sd.onesLike(sT)));
            lc = Losses.binaryCrossEntropy(sd, co, sd.math.min(cT, sd.onesLike(cT)));
        }
        String[] names = {head + "_attention_loss", head + "_spatial_loss", head + "_contacting_loss"};
        sd.identity(names[0], la);
        sd.identity(names[1], ls);
        sd.identity(names[2], lc);
        lossNames.addAll(List.of(names));
        return la.add(ls).add(lc);
    }

    // ------------------------------------------------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public StketConfig config() {
        return config;
    }

    @Override
    public SameDiff graph() {
        return sd;
    }

    public NnScope scope() {
        return scope;
    }

    /** Names of the loss terms {@link #evaluateLoss} reports besides {@link #LOSS}. */
    public List<String> lossTerms() {
        return List.copyOf(lossNames);
    }

    @Override
    public List<String> trainableParameters() {
        List<String> out = new ArrayList<>();
        for (String name : scope.trainable()) {
            if (mode == Mode.SGCLS || !name.startsWith(CLASSIFIER)) {
                out.add(name);
            }
        }
        return out;
    }

    @Override
    public long parameterCount() {
        return ModelState.parameterCount(scope);
    }

    private RelationBatch prepare(RelationInputs in, RelationTargets targets) {
        return RelationBatch.build(in, targets, base, mode == Mode.SGCLS, dtype);
    }

    /** The spatial head's contacting probabilities [P][K] (first pass), in the scope's current phase. */
    private double[][] contactProbs(RelationBatch batch, RelationInputs in) {
        Map<String, INDArray> ph = new LinkedHashMap<>(batch.relationInputs());
        ph.putAll(StketBatch.build(in, config, null, dtype));
        INDArray probs = sd.outputSingle(ph, output("spatial", "contacting"));
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
    public Map<String, INDArray> forward(RelationInputs in) {
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
            all.putAll(sd.output(secondPass(batch, in), names));
        } else {
            for (String h : HEADS) {
                for (int g = 0; g < 3; g++) {
                    all.put(output(h, groups[g]), Nd4j.zeros(dtype, 0, widths[g]));
                }
            }
        }
        String chosen = config.evalHead().name().toLowerCase(java.util.Locale.ROOT);
        out.put(ATTENTION, all.get(output(chosen, "attention")));
        out.put(SPATIAL, all.get(output(chosen, "spatial")));
        out.put(CONTACTING, all.get(output(chosen, "contacting")));
        out.putAll(all);
        if (mode == Mode.SGCLS && in.numBoxes() > 0) {
            out.put(OBJECT_LOGITS, sd.outputSingle(batch.objectInputs(), OBJECT_LOGITS));
        }
        return out;
    }

    @Override
    public INDArray objectLogits(RelationInputs in) {
        if (mode != Mode.SGCLS) {
            throw new IllegalStateException("the object classifier runs only in SGCLS mode");
        }
        scope.setTraining(false);
        return sd.outputSingle(prepare(in, null).objectInputs(), OBJECT_LOGITS);
    }

    @Override
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        scope.setTraining(false);
        RelationBatch batch = prepare(in, targets);
        Map<String, INDArray> ph = secondPass(batch, in);
        ph.putAll(batch.objectInputs());
        ph.putAll(batch.targetInputs());
        List<String> names = new ArrayList<>(List.of(LOSS));
        names.addAll(lossNames);
        Map<String, INDArray> out = sd.output(ph, names);
        Map<String, Double> losses = new LinkedHashMap<>();
        for (String name : names) {
            losses.put(name, out.get(name).getDouble(0));
        }
        return losses;
    }

    /** AdamW with STTran's settings (clip 5) over this mode's trainable parameters. */
    public AdamW newOptimizer(double learningRate) {
        return AdamW.sttran(sd, trainableParameters(), learningRate);
    }

    /**
     * One update from one or more videos, gradients averaged. Both passes run in training mode (batch statistics,
     * dropout); batch-norm running statistics are updated from the second pass.
     */
    @Override
    public double trainStep(List<RelationInputs> ins, List<RelationTargets> targets, AdamW optimizer) {
        if (ins.isEmpty() || ins.size() != targets.size()) {
            throw new IllegalArgumentException(ins.size() + " inputs and " + targets.size() + " targets");
        }
        List<String> outputs = new ArrayList<>(List.of(LOSS));
        List<BatchNorm> used = new ArrayList<>();
        for (BatchNorm bn : scope.batchNorms()) {
            if (mode == Mode.SGCLS || !bn.name().startsWith(CLASSIFIER)) {
                used.add(bn);
                outputs.add(bn.batchMeanName());
                outputs.add(bn.batchVarName());
            }
        }
        int k = ins.size();
        Map<String, INDArray> grads = null;
        double loss = 0;
        scope.setTraining(true);
        try {
            for (int i = 0; i < k; i++) {
                RelationInputs in = ins.get(i);
                if (in.numPairs() == 0) {
                    throw new IllegalArgumentException("a training step needs at least one pair");
                }
                RelationBatch batch = prepare(in, targets.get(i));
                Map<String, INDArray> ph = secondPass(batch, in);
                ph.putAll(batch.objectInputs());
                ph.putAll(batch.targetInputs());
                OutAndGrad r = sd.calculateGradientsAndOutputs(ph, outputs, optimizer.params());
                Map<String, INDArray> acts = r.getOutputs();
                if (grads == null) {
                    grads = new LinkedHashMap<>();
                    for (Map.Entry<String, INDArray> e : r.getGradients().entrySet()) {
                        grads.put(e.getKey(), k == 1 ? e.getValue() : e.getValue().dup());
                    }
                } else {
                    for (Map.Entry<String, INDArray> e : r.getGradients().entrySet()) {
                        INDArray acc = grads.get(e.getKey());
                        if (acc == null) {
                            grads.put(e.getKey(), e.getValue().dup());
                        } else {
                            acc.addi(e.getValue());
                        }
                    }
                }
                for (BatchNorm bn : used) {
                    bn.updateRunning(acts.get(bn.batchMeanName()), acts.get(bn.batchVarName()));
                }
                loss += acts.get(LOSS).getDouble(0);
            }
            if (k > 1) {
                for (INDArray g : grads.values()) {
                    g.divi(k);
                }
            }
            optimizer.step(grads);
            return loss / k;
        } finally {
            scope.setTraining(false);
        }
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
        Map<String, INDArray> out = ModelState.of(scope);
        out.put(COUNTED_INITIAL, countedInitial);
        out.put(COUNTED_SPECIFIC, countedSpecific);
        out.put(COUNTED_FLAG, countedFlag);
        return out;
    }

    @Override
    public void loadState(Map<String, INDArray> state, String source) {
        ModelState.load(state(), state, source, "STKET");
    }
}
