package org.m3sgg.models.sttran;

import static org.m3sgg.models.sttran.RelationBatch.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.SggModel;
import org.m3sgg.data.Mode;
import org.m3sgg.models.ModelState;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.BatchNorm;
import org.m3sgg.nn.Conv2d;
import org.m3sgg.nn.Dropout;
import org.m3sgg.nn.Embedding;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.Losses;
import org.m3sgg.nn.MaxPool2d;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.TransformerDecoderLayer;
import org.m3sgg.nn.TransformerEncoderLayer;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * STTran (Cong et al., ICCV 2021) as a SameDiff graph. The model only declares its graph: named placeholders in
 * (see {@link RelationBatch}), named outputs back. Variable names are the reference state_dict keys, so
 * published checkpoints load through {@link #loadStateDict} (see the package documentation).
 *
 * <p>Outputs: {@link #ATTENTION} [P, 3] logits, {@link #SPATIAL} [P, 6] and {@link #CONTACTING} [P, 17] sigmoid
 * probabilities, {@link #OBJECT_LOGITS} [N, 37] (SGCLS), {@link #LOSS} (scalar, needs targets).
 */
public final class SttranModel implements SggModel {

    /** The registry name. */
    public static final String NAME = "sttran";

    public static final String ATTENTION = "attention_distribution";
    public static final String SPATIAL = "spatial_distribution";
    public static final String CONTACTING = "contacting_distribution";
    public static final String OBJECT_LOGITS = "object_logits";
    public static final String LOSS = "loss";
    public static final String ATTENTION_LOSS = "attention_loss";
    public static final String SPATIAL_LOSS = "spatial_loss";
    public static final String CONTACTING_LOSS = "contacting_loss";
    public static final String OBJECT_LOSS = "object_loss";
    /** Prefix of the SGCLS object classifier's parameters (present in every checkpoint, used only in SGCLS). */
    public static final String CLASSIFIER = "object_classifier.";

    private final SttranConfig config;
    private final Mode mode;
    private final DataType dtype;
    private final SameDiff sd;
    private final NnScope scope;

    private SttranModel(SttranConfig config, Mode mode, DataType dtype, long seed) {
        if (mode == Mode.SGDET) {
            throw new IllegalArgumentException("STTran's graph is the same for SGDET training as for SGCLS: build "
                    + "it with Mode.SGCLS (SGDET test-time class cleaning and NMS are not part of this model)");
        }
        this.config = config;
        this.mode = mode;
        this.dtype = dtype;
        this.sd = SameDiff.create();
        this.scope = new NnScope(sd, dtype, seed);
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
        SttranConfig c = config;
        long p = -1;
        long n = -1;
        // ---- object classifier (parameters always exist: checkpoints carry them) ----
        Embedding clsEmbed = new Embedding(scope, "object_classifier.obj_embed", c.objectClasses() - 1, c.embedding());
        BatchNorm posBn = new BatchNorm(scope, "object_classifier.pos_embed.0", 4, c.posBnMomentum());
        Linear posFc = new Linear(scope, "object_classifier.pos_embed.1", 4, c.posEmbed());
        Linear dec0 = new Linear(scope, "object_classifier.decoder_lin.0", c.feature() + c.embedding() + c.posEmbed(),
                c.classifierHidden());
        BatchNorm dec1 = new BatchNorm(scope, "object_classifier.decoder_lin.1", c.classifierHidden(), 0.1);
        Linear dec3 = new Linear(scope, "object_classifier.decoder_lin.3", c.classifierHidden(), c.objectClasses());

        // ---- pair representation ----
        Conv2d unionConv = new Conv2d(scope, "union_func1", c.unionIn(), c.unionOut(), 1, 1, 0);
        Conv2d mask0 = new Conv2d(scope, "conv.0", 2, c.unionOut() / 2, 7, 2, 3);
        BatchNorm mask2 = new BatchNorm(scope, "conv.2", c.unionOut() / 2, 0.01);
        MaxPool2d mask3 = new MaxPool2d(scope, 3, 2, 1);
        Conv2d mask4 = new Conv2d(scope, "conv.4", c.unionOut() / 2, c.unionOut(), 3, 1, 1);
        BatchNorm mask6 = new BatchNorm(scope, "conv.6", c.unionOut(), 0.01);
        Linear subjFc = new Linear(scope, "subj_fc", c.feature(), c.pairFc());
        Linear objFc = new Linear(scope, "obj_fc", c.feature(), c.pairFc());
        Linear vrFc = new Linear(scope, "vr_fc", c.unionOut() * 49, c.pairFc());
        Embedding subjEmbed = new Embedding(scope, "obj_embed", c.objectClasses(), c.embedding());
        Embedding objEmbed = new Embedding(scope, "obj_embed2", c.objectClasses(), c.embedding());

        // ---- spatial-temporal transformer ----
        List<TransformerEncoderLayer> enc = new ArrayList<>();
        for (int i = 0; i < c.encLayers(); i++) {
            enc.add(new TransformerEncoderLayer(scope, "glocal_transformer.local_attention.layers." + i, c.dModel(),
                    c.heads(), c.ffn(), c.dropout()));
        }
        List<TransformerDecoderLayer> dec = new ArrayList<>();
        for (int i = 0; i < c.decLayers(); i++) {
            dec.add(new TransformerDecoderLayer(scope, "glocal_transformer.global_attention.layers." + i, c.dModel(),
                    c.heads(), c.ffn(), c.dropout()));
        }
        SDVariable frameCode = scope.param("glocal_transformer.position_embedding.weight",
                scope.uniform(0, 1, 2, c.dModel()));
        Linear aHead = new Linear(scope, "a_rel_compress", c.dModel(), c.attentionClasses());
        Linear sHead = new Linear(scope, "s_rel_compress", c.dModel(), c.spatialClasses());
        Linear cHead = new Linear(scope, "c_rel_compress", c.dModel(), c.contactingClasses());

        // ---- placeholders ----
        SDVariable feat = sd.placeHolder(FEATURES, dtype, n, c.feature());
        SDVariable subjSel = sd.placeHolder(SUBJECT_SELECT, dtype, p, n);
        SDVariable objSel = sd.placeHolder(OBJECT_SELECT, dtype, p, n);
        SDVariable subjCls = sd.placeHolder(SUBJECT_CLASS, dtype, p, c.objectClasses());
        SDVariable objCls = sd.placeHolder(OBJECT_CLASS, dtype, p, c.objectClasses());
        SDVariable union = sd.placeHolder(UNION_FEAT, dtype, p, c.unionIn(), 7, 7);
        SDVariable masks = sd.placeHolder(SPATIAL_MASKS, dtype, p, 2, 27, 27);
        SDVariable frameMask = sd.placeHolder(FRAME_MASK, dtype, p, p);
        SDVariable winSel = sd.placeHolder(WINDOW_SELECT, dtype, -1, p);
        SDVariable winCode = sd.placeHolder(WINDOW_FRAME_CODE, dtype, -1, 2);
        SDVariable winMask = sd.placeHolder(WINDOW_MASK, dtype, -1, -1);
        SDVariable winOut = sd.placeHolder(WINDOW_OUTPUT, dtype, p, -1);

        // ---- relation features [P, dModel] ----
        SDVariable subj = subjFc.apply(sd.mmul(subjSel, feat));
        SDVariable obj = objFc.apply(sd.mmul(objSel, feat));
        SDVariable m = mask0.apply(masks);
        m = mask2.apply(sd.nn().relu(m, 0), 4);
        m = mask3.apply(m);
        m = mask6.apply(sd.nn().relu(mask4.apply(m), 0), 4);
        SDVariable vr = unionConv.apply(union).add(m);                           // [P, U, 7, 7]
        vr = vrFc.apply(sd.reshape(vr, -1, c.unionOut() * 49));
        SDVariable x = sd.concat(1, subj, obj, vr, subjEmbed.apply(subjCls), objEmbed.apply(objCls));

        // ---- spatial encoder: all frames at once, attention kept inside a frame ----
        for (TransformerEncoderLayer layer : enc) {
            x = layer.apply(x, frameMask);
        }
        SDVariable out;
        if (c.temporalDecoder()) {
            SDVariable w = sd.mmul(winSel, x);                                   // [R, D]
            // the reference masks every window row whose input sums to exactly 0 (meant for padding rows, it
            // also hits a real pair whose encoder output happens to sum to 0); kept unless switched off
            SDVariable mask = winMask;
            if (c.zeroSumKeyMask()) {
                SDVariable rowSum = sd.sum(w, true, 1);                          // [R, 1]
                SDVariable zeroRow = sd.castTo(sd.eq(rowSum, sd.zerosLike(rowSum)), dtype);
                // [R, R] with column k blocked when row k sums to 0
                mask = winMask.add(sd.mmul(sd.onesLike(zeroRow), zeroRow, false, true, false).mul(BLOCKED));
            }
            SDVariable pos = sd.mmul(winCode, frameCode);                        // [R, D]
            for (TransformerDecoderLayer layer : dec) {
                w = layer.apply(w, pos, mask);
            }
            out = sd.mmul(winOut, w);                                            // [P, D]
        } else {
            out = x;
        }
        SDVariable attention = sd.identity(ATTENTION, aHead.apply(out));
        SDVariable spatial = sd.nn().sigmoid(SPATIAL, sHead.apply(out));
        SDVariable contacting = sd.nn().sigmoid(CONTACTING, cHead.apply(out));

        // ---- losses ----
        SDVariable aT = sd.placeHolder(ATTENTION_TARGET, dtype, p, c.attentionClasses());
        SDVariable sT = sd.placeHolder(SPATIAL_TARGET, dtype, p, c.spatialClasses());
        SDVariable cT = sd.placeHolder(CONTACTING_TARGET, dtype, p, c.contactingClasses());
        SDVariable aLoss = sd.identity(ATTENTION_LOSS, Losses.crossEntropy(sd, attention, aT));
        SDVariable sLoss;
        SDVariable cLoss;
        if (c.relationLoss() == SttranConfig.RelationLoss.MARGIN) {
            sLoss = Losses.multiLabelMargin(sd, spatial, sT, c.spatialClasses());
            cLoss = Losses.multiLabelMargin(sd, contacting, cT, c.contactingClasses());
        } else {
            sLoss = Losses.binaryCrossEntropy(sd, spatial, sd.math.min(sT, sd.onesLike(sT)));
            cLoss = Losses.binaryCrossEntropy(sd, contacting, sd.math.min(cT, sd.onesLike(cT)));
        }
        sd.identity(SPATIAL_LOSS, sLoss);
        sd.identity(CONTACTING_LOSS, cLoss);
        SDVariable total = aLoss.add(sLoss).add(cLoss);

        if (mode == Mode.SGCLS) {
            SDVariable dist = sd.placeHolder(DISTRIBUTION, dtype, n, c.objectClasses() - 1);
            SDVariable cs = sd.placeHolder(BOX_CENTER_SIZE, dtype, n, 4);
            SDVariable posEmb = new Dropout(scope, 0.1).apply(sd.nn().relu(posFc.apply(posBn.apply(cs, 2)), 0));
            SDVariable h = sd.concat(1, feat, clsEmbed.apply(dist), posEmb);
            h = sd.nn().relu(dec1.apply(dec0.apply(h), 2), 0);
            SDVariable logits = sd.identity(OBJECT_LOGITS, dec3.apply(h));
            SDVariable oT = sd.placeHolder(OBJECT_TARGET, dtype, n, c.objectClasses());
            SDVariable oLoss = sd.identity(OBJECT_LOSS, Losses.crossEntropy(sd, logits, oT));
            total = total.add(oLoss);
        }
        sd.identity(LOSS, total);
        sd.setLossVariables(LOSS);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public SttranConfig config() {
        return config;
    }

    public Mode mode() {
        return mode;
    }

    public DataType dataType() {
        return dtype;
    }

    /** The graph, for inspection, listeners or custom outputs. */
    public SameDiff graph() {
        return sd;
    }

    public NnScope scope() {
        return scope;
    }

    /** Trainable variables that take part in this mode (the classifier only in SGCLS). */
    public List<String> trainableParameters() {
        List<String> out = new ArrayList<>();
        for (String name : scope.trainable()) {
            if (mode == Mode.SGCLS || !name.startsWith(CLASSIFIER)) {
                out.add(name);
            }
        }
        return out;
    }

    /** Number of trainable scalars, classifier included (the reference's {@code sum(p.numel())}). */
    public long parameterCount() {
        return ModelState.parameterCount(scope);
    }

    /** Copies a reference state dict into the graph; strict about keys and shapes. */
    public void loadStateDict(Map<String, TorchTensor> stateDict, String source) {
        scope.bindings().load(sd, stateDict, source);
    }

    /** Host preparation of one video for this model. */
    public RelationBatch prepare(RelationInputs in, RelationTargets targets) {
        return RelationBatch.build(in, targets, config, mode == Mode.SGCLS, dtype);
    }

    /**
     * Evaluation-mode forward pass: {@link #ATTENTION}, {@link #SPATIAL}, {@link #CONTACTING} and, in SGCLS,
     * {@link #OBJECT_LOGITS}. Zero pairs give empty [0, K] relation outputs.
     */
    public Map<String, INDArray> forward(RelationInputs in) {
        scope.setTraining(false);
        RelationBatch batch = prepare(in, null);
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (in.numPairs() > 0) {
            out.putAll(sd.output(batch.relationInputs(), ATTENTION, SPATIAL, CONTACTING));
        } else {
            out.put(ATTENTION, Nd4j.zeros(dtype, 0, config.attentionClasses()));
            out.put(SPATIAL, Nd4j.zeros(dtype, 0, config.spatialClasses()));
            out.put(CONTACTING, Nd4j.zeros(dtype, 0, config.contactingClasses()));
        }
        if (mode == Mode.SGCLS && in.numBoxes() > 0) {
            out.put(OBJECT_LOGITS, sd.outputSingle(batch.objectInputs(), OBJECT_LOGITS));
        }
        return out;
    }

    /** SGCLS: the classifier's [N, objectClasses] logits only (evaluation mode). */
    public INDArray objectLogits(RelationInputs in) {
        if (mode != Mode.SGCLS) {
            throw new IllegalStateException("the object classifier runs only in SGCLS mode");
        }
        scope.setTraining(false);
        return sd.outputSingle(prepare(in, null).objectInputs(), OBJECT_LOGITS);
    }

    /** Loss terms in evaluation mode (no dropout, running batch-norm statistics). */
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        scope.setTraining(false);
        RelationBatch batch = prepare(in, targets);
        List<String> names = new ArrayList<>(List.of(LOSS, ATTENTION_LOSS, SPATIAL_LOSS, CONTACTING_LOSS));
        if (mode == Mode.SGCLS) {
            names.add(OBJECT_LOSS);
        }
        Map<String, INDArray> out = sd.output(batch.all(), names);
        Map<String, Double> losses = new LinkedHashMap<>();
        for (String name : names) {
            losses.put(name, out.get(name).getDouble(0));
        }
        return losses;
    }

    /** The optimiser STTran trains with (AdamW, clip 5) over this mode's trainable parameters. */
    public AdamW newOptimizer(double learningRate) {
        return AdamW.sttran(sd, trainableParameters(), learningRate);
    }

    /**
     * One training step: forward with dropout and batch statistics, gradients, one optimiser update, and the
     * batch-norm running statistics updated from the same forward pass.
     *
     * @return the loss of the forward pass (before the update)
     */
    public double trainStep(RelationInputs in, RelationTargets targets, AdamW optimizer) {
        return trainStep(List.of(in), List.of(targets), optimizer);
    }

    /**
     * One update from several videos: each video's gradients come from its own forward pass and are averaged;
     * batch-norm running statistics take one momentum step per video, in order.
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
                if (ins.get(i).numPairs() == 0) {
                    throw new IllegalArgumentException("a training step needs at least one pair");
                }
                RelationBatch batch = prepare(ins.get(i), targets.get(i));
                OutAndGrad r = sd.calculateGradientsAndOutputs(batch.all(), outputs, optimizer.params());
                Map<String, INDArray> acts = r.getOutputs();
                if (k == 1) {
                    grads = r.getGradients();
                } else if (grads == null) {
                    grads = new LinkedHashMap<>();
                    for (Map.Entry<String, INDArray> e : r.getGradients().entrySet()) {
                        grads.put(e.getKey(), e.getValue().dup());
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
                ModelState.release(acts.values());
                if (k > 1) {
                    ModelState.release(r.getGradients().values());
                }
            }
            if (k > 1) {
                for (INDArray g : grads.values()) {
                    g.divi(k);
                }
            }
            optimizer.step(grads);
            // the gradients (~parameter size) are ours and dead now: free them at once instead of leaving
            // ~0.5 GB per step of off-heap memory to the garbage collector
            ModelState.release(grads.values());
            return loss / k;
        } finally {
            scope.setTraining(false);
        }
    }

    /** Trainable parameters (classifier included) and batch-norm running statistics, by reference key. */
    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = ModelState.of(scope);
        return out;
    }

    @Override
    public void loadState(Map<String, INDArray> state, String source) {
        ModelState.load(state(), state, source, "STTran");
    }

}
