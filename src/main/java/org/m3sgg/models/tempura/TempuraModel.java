package org.m3sgg.models.tempura;

import static org.m3sgg.models.relation.RelationBatch.*;

import java.util.ArrayList;
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
import org.m3sgg.models.TrainingAware;
import org.m3sgg.models.relation.GlocalTransformer;
import org.m3sgg.models.relation.ObjectClassifier;
import org.m3sgg.models.relation.RelationBatch;
import org.m3sgg.models.relation.RelationFeatures;
import org.m3sgg.nn.Dropout;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.Losses;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.TransformerEncoderLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.controlflow.compat.StopGradient;
import org.nd4j.linalg.factory.Nd4j;

/**
 * TEMPURA (Nag et al., CVPR 2023) as a SameDiff graph: STTran's pair features and windowed spatial-temporal
 * transformer, a predicate memory read by a memory hallucinator (early or late fusion), GMM heads for the three
 * predicate types, and in SGCLS the OSPU object-sequence encoder before the classifier. See the package
 * documentation for the paper-to-code map and the deviations.
 *
 * <p>Outputs of {@link #forward}: {@link #ATTENTION} holds {@code log p} of the GMM attention probabilities (the
 * engine's softmax then gives back p exactly, so the evaluator sees the mixture's probabilities, not a second
 * normalisation); {@link #ATTENTION_PROBABILITY} holds p; {@link #SPATIAL} / {@link #CONTACTING} the mixtures of
 * sigmoids; {@code <type>_aleatoric} / {@code <type>_epistemic} the uncertainties [P, C] of each type; in SGCLS
 * {@link #OBJECT_LOGITS}. {@link #uncertainties} gives per-pair sums for plotting.
 */
public final class TempuraModel extends GraphModel<TempuraConfig> implements TrainingAware {

    public static final String NAME = "tempura";

    public static final String ATTENTION_PROBABILITY = "attention_probability";
    public static final String ATTENTION_LOSS = "attention_loss";
    public static final String SPATIAL_LOSS = "spatial_loss";
    public static final String CONTACTING_LOSS = "contacting_loss";
    public static final String OBJECT_LOSS = ObjectClassifier.LOSS;
    public static final String CONTRASTIVE_LOSS = "contrastive_loss";
    /** The hallucinator's input [P, D] (spatial-encoder output for early fusion, decoder output for late). */
    public static final String MEMORY_SOURCE = "memory_source";
    /** The hallucinator's output [P, D] (the reference's {@code rel_mem_features}; the input itself without memory). */
    public static final String MEMORY_FUSED = "memory_fused";
    /** Predicate types in memory order, also the prefixes of the uncertainty outputs. */
    public static final List<String> TYPES = List.of("attention", "spatial", "contacting");
    public static final String ALEATORIC = "_aleatoric";
    public static final String EPISTEMIC = "_epistemic";

    static final String MEMORY = "rel_memory";
    static final String MEMORY_ON = "rel_memory_on";
    static final String OBJ_MASK = "object_sequence_mask";
    static final String OBJ_POS = "object_sequence_encoding";
    static final String CON_POSITIVE = "contrastive_positive";
    static final String CON_NEGATIVE = "contrastive_negative";
    /** State keys of the memory: prototypes [26, D] and a [1] flag (1 once built). */
    public static final String STATE_MEMORY = "rel_memory.prototypes";
    public static final String STATE_MEMORY_BUILT = "rel_memory.built";
    static final String CLASSIFIER = ObjectClassifier.PREFIX;

    // shorthands for the base class's config, graph, scope and type
    private final TempuraConfig config;
    private final DataType dtype;
    private final SameDiff sd;
    private final NnScope scope;
    private final GmmHead[] heads = new GmmHead[3];
    private final INDArray memory;
    private final INDArray memoryBuilt;
    private long[] memoryCounts;

    private TempuraModel(TempuraConfig config, Mode mode, DataType dtype, long seed) {
        super(NAME, "TEMPURA", config, mode, dtype, seed);
        this.config = config;
        this.dtype = dtype;
        this.sd = graph();
        this.scope = scope();
        this.memory = Nd4j.zeros(dtype, config.predicates(), config.dModel());
        this.memoryBuilt = Nd4j.zeros(dtype, 1);
        define();
    }

    /** A float32 model with PyTorch-style random initialisation from {@code seed}. */
    public static TempuraModel build(TempuraConfig config, Mode mode, long seed) {
        return new TempuraModel(config, mode, DataType.FLOAT, seed);
    }

    public static TempuraModel build(TempuraConfig config, Mode mode, long seed, DataType dtype) {
        return new TempuraModel(config, mode, dtype, seed);
    }

    private boolean sgcls() {
        return mode().hasObjectClassifier();
    }

    private void define() {
        TempuraConfig c = config;
        long p = -1;
        long n = -1;
        // ---- pair representation and spatial-temporal transformer (STTran's) ----
        RelationFeatures pairFeatures = new RelationFeatures(scope, c.feature(), c.unionIn(), c.unionOut(), c.pairFc(),
                c.objectClasses(), c.embedding());
        GlocalTransformer transformer = new GlocalTransformer(scope, c.dModel(), c.heads(), c.ffn(), c.dropout(),
                c.encLayers(), c.decLayers());
        // ---- memory hallucinator ----
        List<MemoryAttention> memAttn = new ArrayList<>();
        if (c.relMemCompute() == TempuraConfig.MemCompute.JOINT) {
            memAttn.add(new MemoryAttention(scope, "glocal_transformer.mem_attention", c.dModel()));
        } else if (c.relMemCompute() == TempuraConfig.MemCompute.SEPARATE) {
            for (String t : TYPES) {
                memAttn.add(new MemoryAttention(scope, "glocal_transformer.mem_attention." + t, c.dModel()));
            }
        }
        Linear selector = c.relMemCompute() != TempuraConfig.MemCompute.NONE
                && c.memFeatSelection() == TempuraConfig.Selection.AUTOMATED
                ? new Linear(scope, "glocal_transformer.selector", c.dModel(), 1) : null;
        heads[0] = new GmmHead(scope, "a_rel_compress", c.dModel(), c.attentionClasses(), c.k(),
                GmmHead.Activation.SOFTMAX);
        heads[1] = new GmmHead(scope, "s_rel_compress", c.dModel(), c.spatialClasses(), c.k(),
                GmmHead.Activation.SIGMOID);
        heads[2] = new GmmHead(scope, "c_rel_compress", c.dModel(), c.contactingClasses(), c.k(),
                GmmHead.Activation.SIGMOID);

        // ---- placeholders (the layout of RelationBatch) ----
        RelationBatch.Placeholders ph = RelationBatch.placeholders(sd, dtype, c.widths());
        SDVariable mem = sd.placeHolder(MEMORY, dtype, c.predicates(), c.dModel());
        SDVariable memOn = sd.placeHolder(MEMORY_ON, dtype, 1, 1);

        // ---- relation features [P, D], spatial encoder ----
        SDVariable x = transformer.encode(pairFeatures.apply(ph.features(), ph.pairs()), ph.frameMask());
        boolean early = c.memFusion() == TempuraConfig.MemFusion.EARLY;
        if (early) {
            sd.identity(MEMORY_SOURCE, x);
            x = hallucinate(x, mem, memOn, memAttn, selector);
            sd.identity(MEMORY_FUSED, x);
        }
        SDVariable out = transformer.decode(x, ph, false);                   // [P, D]
        if (!early) {
            sd.identity(MEMORY_SOURCE, out);
            out = hallucinate(out, mem, memOn, memAttn, selector);
            sd.identity(MEMORY_FUSED, out);
        }

        // ---- GMM heads, uncertainties ----
        GmmHead.Out[] o = new GmmHead.Out[3];
        for (int i = 0; i < 3; i++) {
            o[i] = heads[i].apply(out);
            sd.identity(TYPES.get(i) + ALEATORIC, o[i].aleatoric());
            sd.identity(TYPES.get(i) + EPISTEMIC, o[i].epistemic());
        }
        sd.identity(ATTENTION_PROBABILITY, o[0].probabilities());
        SDVariable logAtt = sd.identity(ATTENTION, sd.math.log(o[0].probabilities().add(1e-12)));
        SDVariable spatial = sd.identity(SPATIAL, o[1].probabilities());
        SDVariable contacting = sd.identity(CONTACTING, o[2].probabilities());

        // ---- losses: attention NLL, spatial / contacting BCE, optionally uncertainty-weighted per pair ----
        SDVariable aT = sd.placeHolder(ATTENTION_TARGET, dtype, p, c.attentionClasses());
        SDVariable sT = sd.placeHolder(SPATIAL_TARGET, dtype, p, c.spatialClasses());
        SDVariable cT = sd.placeHolder(CONTACTING_TARGET, dtype, p, c.contactingClasses());
        SDVariable[] weight = new SDVariable[3];
        for (int i = 0; i < 3; i++) {
            weight[i] = lossWeight(c.relLossWeighting() == TempuraConfig.LossWeighting.AL ? o[i].aleatoric()
                    : c.relLossWeighting() == TempuraConfig.LossWeighting.EP ? o[i].epistemic() : null);
        }
        SDVariable aNll = sd.sum(logAtt.mul(aT), true, 1).neg();             // [P, 1]
        SDVariable aLoss = sd.identity(ATTENTION_LOSS, sd.mean(weight[0] == null ? aNll : aNll.mul(weight[0])));
        SDVariable sLoss = sd.identity(SPATIAL_LOSS, bce(spatial, sd.math.min(sT, sd.onesLike(sT)), weight[1]));
        SDVariable cLoss = sd.identity(CONTACTING_LOSS, bce(contacting, sd.math.min(cT, sd.onesLike(cT)), weight[2]));
        SDVariable total = aLoss.add(sLoss).add(cLoss);

        if (sgcls()) {
            total = total.add(defineClassifier(ph.features()));
        } else {
            bindUnusedClassifier();
        }
        sd.identity(LOSS, total);
        sd.setLossVariables(LOSS);
    }

    /**
     * PredCLS: the reference's checkpoints carry the object classifier (unused in PredCLS, where the graph has no
     * classifier); its keys are registered with their shapes so that a checkpoint import stays strict about them.
     * Registration draws no random numbers, so initialisation is unchanged.
     */
    private void bindUnusedClassifier() {
        TempuraConfig c = config;
        var b = scope.bindings();
        long hidden = c.classifierHidden();
        b.ignored(CLASSIFIER + "obj_embed.weight", new long[] {c.objectClasses() - 1, c.embedding()});
        for (String bn : List.of("pos_embed.0.", "intermediate.1.")) {
            long w = bn.startsWith("pos") ? 4 : hidden;
            for (String f : List.of("weight", "bias", "running_mean", "running_var")) {
                b.ignored(CLASSIFIER + bn + f, new long[] {w});
            }
            b.ignored(CLASSIFIER + bn + "num_batches_tracked", new long[0]);
        }
        b.ignored(CLASSIFIER + "pos_embed.1.weight", new long[] {c.posEmbed(), 4});
        b.ignored(CLASSIFIER + "pos_embed.1.bias", new long[] {c.posEmbed()});
        b.ignored(CLASSIFIER + "intermediate.0.weight", new long[] {hidden, c.objectDim()});
        b.ignored(CLASSIFIER + "intermediate.0.bias", new long[] {hidden});
        b.ignored(CLASSIFIER + "decoder_lin.0.weight", new long[] {c.objectClasses(), hidden});
        b.ignored(CLASSIFIER + "decoder_lin.0.bias", new long[] {c.objectClasses()});
    }

    /** {@code out = f + on * (l f + (1 - l) attn(f, memory) - f)}: the input itself while no memory exists. */
    private SDVariable hallucinate(SDVariable f, SDVariable mem, SDVariable on, List<MemoryAttention> attn,
            Linear selector) {
        if (attn.isEmpty()) {
            return f;
        }
        SDVariable read;
        if (attn.size() == 1) {
            read = attn.get(0).apply(f, mem);
        } else {
            // 'separate': one attention per predicate type over its own prototypes, averaged
            int[] sizes = {config.attentionClasses(), config.spatialClasses(), config.contactingClasses()};
            SDVariable sum = null;
            int from = 0;
            for (int i = 0; i < 3; i++) {
                INDArray sel = Nd4j.zeros(dtype, sizes[i], config.predicates());
                for (int r = 0; r < sizes[i]; r++) {
                    sel.putScalar(r, from + r, 1.0);
                }
                from += sizes[i];
                SDVariable part = attn.get(i).apply(f, sd.mmul(sd.constant(sel), mem));
                sum = sum == null ? part : sum.add(part);
            }
            read = sum.div(3.0);
        }
        SDVariable fused;
        if (selector != null) {
            SDVariable l = sd.nn().sigmoid(selector.apply(f));               // [P, 1]
            fused = f.mul(l).add(read.mul(l.rsub(1.0)));
        } else {
            double l = config.memFeatLambda();
            fused = f.mul(l).add(read.mul(1.0 - l));
        }
        return f.add(fused.sub(f).mul(on));
    }

    /** {@code 1 + softmax over pairs of sum_c u[p, c]}, [P, 1], outside the gradient; null when not weighting. */
    private SDVariable lossWeight(SDVariable u) {
        if (u == null) {
            return null;
        }
        SDVariable s = new StopGradient(sd, sd.sum(u, true, 1)).outputVariable();
        SDVariable e = sd.math.exp(s.sub(sd.max(s)));
        return e.div(sd.sum(e)).add(1.0);
    }

    /** BCE on probabilities with PyTorch's log clamp at -100, mean over all entries, rows weighted by w [P, 1]. */
    private SDVariable bce(SDVariable prob, SDVariable t, SDVariable w) {
        SDVariable logP = sd.math.max(sd.math.log(prob), sd.onesLike(prob).mul(-100.0));
        SDVariable log1mP = sd.math.max(sd.math.log(prob.rsub(1.0)), sd.onesLike(prob).mul(-100.0));
        SDVariable l = t.mul(logP).add(t.rsub(1.0).mul(log1mP)).neg();
        return sd.mean(w == null ? l : l.mul(w));
    }

    /** SGCLS: OSPU (optional), intermediate layer, linear classifier; returns the object losses. */
    private SDVariable defineClassifier(SDVariable feat) {
        TempuraConfig c = config;
        long n = -1;
        ObjectClassifier.BoxInput input = new ObjectClassifier.BoxInput(scope, c.objectClasses(), c.embedding(),
                c.posEmbed(), c.posBnMomentum());
        List<TransformerEncoderLayer> ospu = new ArrayList<>();
        if (c.tracking()) {
            for (int i = 0; i < c.objLayers(); i++) {
                ospu.add(new TransformerEncoderLayer(scope, CLASSIFIER + "encoder_tran.layers." + i, c.objectDim(),
                        c.objHeads(), c.objFfn(), c.dropout()));
            }
        }
        ObjectClassifier.Head head = new ObjectClassifier.Head(scope, CLASSIFIER + "intermediate.0",
                CLASSIFIER + "intermediate.1", CLASSIFIER + "decoder_lin.0", c.objectDim(), c.classifierHidden(),
                c.objectClasses());

        SDVariable dist = sd.placeHolder(DISTRIBUTION, dtype, n, c.objectClasses() - 1);
        SDVariable cs = sd.placeHolder(BOX_CENTER_SIZE, dtype, n, 4);
        SDVariable h = input.apply(feat, dist, cs, c.dropout());             // [N, objectDim]
        if (c.tracking()) {
            SDVariable seqMask = sd.placeHolder(OBJ_MASK, dtype, n, n);
            SDVariable seqPos = sd.placeHolder(OBJ_POS, dtype, n, c.objectDim());
            h = new Dropout(scope, c.dropout()).apply(h.add(seqPos));
            for (TransformerEncoderLayer layer : ospu) {
                h = layer.apply(h, seqMask);
            }
        }
        SDVariable memFeat = h;                                               // the reference's object_mem_features
        SDVariable logits = sd.identity(OBJECT_LOGITS, head.apply(h));
        // cross-entropy with class weight eos_coef on background: sum_i w_yi nll_i / sum_i w_yi
        SDVariable oT = sd.placeHolder(OBJECT_TARGET, dtype, n, c.objectClasses());
        INDArray cw = Nd4j.ones(dtype, c.objectClasses(), 1);
        cw.putScalar(0, 0, c.eosCoef());
        SDVariable rowW = sd.mmul(oT, sd.constant(cw));                       // [N, 1]
        SDVariable nll = sd.sum(Losses.logSoftmax(sd, logits).mul(oT), true, 1).neg();
        SDVariable oLoss = sd.identity(OBJECT_LOSS, sd.sum(nll.mul(rowW)).div(sd.sum(rowW)));
        if (c.objConLoss() == TempuraConfig.ContrastiveLoss.EUC_CON) {
            SDVariable pos = sd.placeHolder(CON_POSITIVE, dtype, n, n);
            SDVariable neg = sd.placeHolder(CON_NEGATIVE, dtype, n, n);
            SDVariable con = sd.identity(CONTRASTIVE_LOSS, contrastive(memFeat, pos, neg).mul(c.lambdaCon()));
            return oLoss.add(con);
        }
        return oLoss;
    }

    /**
     * pytorch-metric-learning's {@code ContrastiveLoss(pos_margin=0, neg_margin=1)} with its defaults: L2
     * distance between L2-normalised embeddings; positive pairs cost {@code d}, negative pairs
     * {@code relu(1 - d)}; each part is averaged over its pairs with a non-zero cost, then summed.
     */
    static SDVariable contrastive(SDVariable e, SDVariable pos, SDVariable neg) {
        SameDiff sd = e.getSameDiff();
        SDVariable norm = sd.math.sqrt(sd.sum(e.mul(e), true, 1).add(1e-12));
        SDVariable u = e.div(norm);
        SDVariable dot = sd.mmul(u, u, false, true, false);                 // [N, N]
        // squared distance 2 - 2 cos, floored so that the root keeps a finite gradient on the diagonal
        SDVariable d = sd.math.sqrt(sd.math.max(dot.mul(-2.0).add(2.0), sd.onesLike(dot).mul(1e-12)));
        SDVariable posCost = d.mul(pos);
        SDVariable negCost = sd.nn().relu(d.rsub(1.0), 0).mul(neg);
        return avgNonZero(sd, posCost).add(avgNonZero(sd, negCost));
    }

    private static SDVariable avgNonZero(SameDiff sd, SDVariable cost) {
        SDVariable fixed = new StopGradient(sd, cost).outputVariable();
        SDVariable nonZero = sd.castTo(sd.gt(fixed, 0.0), cost.dataType());
        return sd.sum(cost).div(sd.math.max(sd.sum(nonZero), sd.onesLike(sd.sum(nonZero))));
    }

    // ------------------------------------------------------------------------------------------------------------
    // host side

    /** All placeholders of one video; {@code noise} fills the GMM noise (training) or zeros (evaluation). */
    Map<String, INDArray> inputs(RelationInputs in, RelationTargets t, boolean noise) {
        RelationBatch b = RelationBatch.build(in, t, config.widths(), sgcls(), dtype);
        Map<String, INDArray> m = new LinkedHashMap<>(b.all());
        m.putAll(relationExtras(in.numPairs(), noise));
        if (sgcls()) {
            m.putAll(objectExtras(in, t));
        }
        return m;
    }

    private Map<String, INDArray> relationExtras(int pairs, boolean noise) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(MEMORY, memory);
        m.put(MEMORY_ON, Nd4j.zeros(dtype, 1, 1).addi(memoryBuilt.getDouble(0)));
        for (GmmHead h : heads) {
            for (int i = 0; i < h.components(); i++) {
                m.put(h.noiseName(i), noise ? Nd4j.randn(dtype, pairs, h.classes()) : Nd4j.zeros(dtype, pairs, h.classes()));
            }
        }
        return m;
    }

    private Map<String, INDArray> objectExtras(RelationInputs in, RelationTargets t) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        if (config.tracking() && in.distribution() != null) {
            ObjectSequences seq = ObjectSequences.of(in.distribution(), in.boxFrame());
            m.put(OBJ_MASK, seq.mask(dtype));
            m.put(OBJ_POS, seq.encoding(config.objectDim(), dtype));
        }
        if (t != null && config.objConLoss() == TempuraConfig.ContrastiveLoss.EUC_CON && t.objectLabels() != null) {
            int[] y = t.objectLabels();
            int n = y.length;
            INDArray pos = Nd4j.zeros(dtype, n, n);
            INDArray neg = Nd4j.zeros(dtype, n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        (y[i] == y[j] ? pos : neg).putScalar(i, j, 1.0);
                    }
                }
            }
            m.put(CON_POSITIVE, pos);
            m.put(CON_NEGATIVE, neg);
        }
        return m;
    }

    private Map<String, INDArray> objectInputs(RelationInputs in) {
        RelationBatch b = RelationBatch.build(in, null, config.widths(), true, dtype);
        Map<String, INDArray> m = new LinkedHashMap<>(b.objectInputs());
        m.putAll(objectExtras(in, null));
        return m;
    }

    @Override
    public Map<String, INDArray> relations(RelationInputs in) {
        scope.setTraining(false);
        Map<String, INDArray> out = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(List.of(ATTENTION, SPATIAL, CONTACTING, ATTENTION_PROBABILITY));
        for (String t : TYPES) {
            names.add(t + ALEATORIC);
            names.add(t + EPISTEMIC);
        }
        if (in.numPairs() > 0) {
            Map<String, INDArray> ph = inputs(in, null, false);
            out.putAll(infer(relationOnly(ph), names));
        } else {
            int[] cls = {config.attentionClasses(), config.spatialClasses(), config.contactingClasses()};
            out.putAll(noRelations(cls[0], cls[1], cls[2]));
            out.put(ATTENTION_PROBABILITY, noRows(cls[0]));
            for (int i = 0; i < 3; i++) {
                out.put(TYPES.get(i) + ALEATORIC, noRows(cls[i]));
                out.put(TYPES.get(i) + EPISTEMIC, noRows(cls[i]));
            }
        }
        return out;
    }

    /** Drops the object-branch placeholders SameDiff does not need for relation outputs. */
    private Map<String, INDArray> relationOnly(Map<String, INDArray> ph) {
        Map<String, INDArray> m = new LinkedHashMap<>(ph);
        for (String k : List.of(DISTRIBUTION, BOX_CENTER_SIZE, OBJ_MASK, OBJ_POS)) {
            m.remove(k);
        }
        return m;
    }

    @Override
    public INDArray objectLogits(RelationInputs in) {
        requireObjectClassifier();
        scope.setTraining(false);
        return inferSingle(objectInputs(in), OBJECT_LOGITS);
    }

    /** One pair's uncertainties, each summed over the type's classes. */
    public record PairUncertainty(int pair, int frame, int subject, int object, double attentionAleatoric,
            double attentionEpistemic, double spatialAleatoric, double spatialEpistemic, double contactingAleatoric,
            double contactingEpistemic) {}

    /**
     * Per-pair uncertainties of one video in evaluation mode (for plots): the GMM heads' aleatoric and epistemic
     * uncertainties summed over each predicate type's classes, in pair order.
     */
    public List<PairUncertainty> uncertainties(RelationInputs in) {
        Map<String, INDArray> out = forward(in);
        double[][] s = new double[6][];
        for (int i = 0; i < 3; i++) {
            s[2 * i] = sumRows(out.get(TYPES.get(i) + ALEATORIC));
            s[2 * i + 1] = sumRows(out.get(TYPES.get(i) + EPISTEMIC));
        }
        List<PairUncertainty> list = new ArrayList<>();
        for (int k = 0; k < in.numPairs(); k++) {
            list.add(new PairUncertainty(k, in.pairFrame()[k], in.pairs()[k][0], in.pairs()[k][1], s[0][k], s[1][k],
                    s[2][k], s[3][k], s[4][k], s[5][k]));
        }
        return list;
    }

    private static double[] sumRows(INDArray a) {
        return a.size(0) == 0 ? new double[0] : a.castTo(DataType.DOUBLE).sum(1).toDoubleVector();
    }

    private List<String> lossNames() {
        List<String> names = new ArrayList<>(List.of(LOSS, ATTENTION_LOSS, SPATIAL_LOSS, CONTACTING_LOSS));
        if (sgcls()) {
            names.add(OBJECT_LOSS);
            if (config.objConLoss() == TempuraConfig.ContrastiveLoss.EUC_CON) {
                names.add(CONTRASTIVE_LOSS);
            }
        }
        return names;
    }

    @Override
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        scope.setTraining(false);
        return evaluateScalars(inputs(in, targets, false), lossNames());
    }

    /** GMM noise comes from ND4J's global generator, which the trainer seeds per step. */
    @Override
    protected Map<String, INDArray> trainingInputs(RelationInputs in, RelationTargets targets) {
        return inputs(in, targets, true);
    }

    // ------------------------------------------------------------------------------------------------------------
    // memory

    /** Rebuilds the predicate memory from the training videos after every epoch (no-op without memory). */
    @Override
    public void afterEpoch(int epoch, List<AgVideo> train, Function<AgVideo, Example> collate) {
        if (config.relMemCompute() == TempuraConfig.MemCompute.NONE) {
            return;
        }
        List<Example> examples = new ArrayList<>();
        for (AgVideo v : train) {
            examples.add(collate.apply(v));
        }
        buildMemory(examples);
    }

    /** The memory from these training examples ('simple' prototypes of the hallucinator's input features). */
    public void buildMemory(List<Example> train) {
        scope.setTraining(false);
        PredicateMemory acc = new PredicateMemory(config.attentionClasses(), config.spatialClasses(),
                config.contactingClasses(), config.dModel());
        for (Example e : train) {
            if (e.inputs().numPairs() == 0) {
                continue;
            }
            INDArray f = inferSingle(relationOnly(inputs(e.inputs(), null, false)), MEMORY_SOURCE);
            acc.add(f, e.targets());
        }
        memory.assign(acc.prototypes(dtype));
        memoryBuilt.assign(1.0);
        memoryCounts = acc.counts();
    }

    /** Sets the prototypes [26, D] (rows attention, spatial, contacting) and marks the memory as built. */
    public void setMemory(INDArray prototypes) {
        if (!java.util.Arrays.equals(prototypes.shape(), memory.shape())) {
            throw new KitException("tempura: memory of shape " + java.util.Arrays.toString(prototypes.shape())
                    + ", the model expects " + java.util.Arrays.toString(memory.shape()));
        }
        memory.assign(prototypes.castTo(dtype));
        memoryBuilt.assign(1.0);
        memoryCounts = null;
    }

    /** Empties the memory (zeros, not built): the hallucinator then passes its input through. */
    public void clearMemory() {
        memory.assign(0.0);
        memoryBuilt.assign(0.0);
        memoryCounts = null;
    }

    /** Copies a reference state dict into the graph; strict about keys and shapes (see {@link TempuraCheckpoint}). */
    public void loadStateDict(Map<String, org.m3sgg.nn.torch.TorchTensor> stateDict, String source) {
        scope.bindings().load(sd, stateDict, source);
    }

    /** Evaluation-mode relation outputs plus {@link #MEMORY_SOURCE} and {@link #MEMORY_FUSED} (for parity checks). */
    public Map<String, INDArray> relationsWithFeatures(RelationInputs in) {
        if (in.numPairs() == 0) {
            throw new KitException("tempura: relationsWithFeatures needs at least one pair");
        }
        scope.setTraining(false);
        List<String> names = new ArrayList<>(List.of(ATTENTION, SPATIAL, CONTACTING, ATTENTION_PROBABILITY,
                MEMORY_SOURCE));
        if (config.relMemCompute() != TempuraConfig.MemCompute.NONE) {
            names.add(MEMORY_FUSED);
        }
        for (String t : TYPES) {
            names.add(t + ALEATORIC);
            names.add(t + EPISTEMIC);
        }
        return infer(relationOnly(inputs(in, null, false)), names);
    }

    /** The prototypes [26, D] (zeros before the first build). */
    public INDArray memory() {
        return memory.dup();
    }

    public boolean memoryBuilt() {
        return memoryBuilt.getDouble(0) != 0;
    }

    /** Training pairs per predicate behind the last build, or null. */
    public long[] memoryCounts() {
        return memoryCounts == null ? null : memoryCounts.clone();
    }

    // ------------------------------------------------------------------------------------------------------------
    // parameters and state

    /** Parameters, batch-norm statistics and the predicate memory (so checkpoints and resumes carry it). */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = super.state();
        out.put(STATE_MEMORY, memory);
        out.put(STATE_MEMORY_BUILT, memoryBuilt);
        return out;
    }
}
