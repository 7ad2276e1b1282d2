package org.m3sgg.models.dsgdetr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.GraphModel;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.relation.ObjectClassifier;
import org.m3sgg.models.relation.RelationFeatures;
import org.m3sgg.models.relation.RelationFeed;
import org.m3sgg.models.relation.RelationHeads;
import org.m3sgg.nn.Dropout;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.TransformerEncoderLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DSG-DETR (Feng et al., WACV 2023) as a SameDiff graph: object tracks, an object-sequence transformer that
 * refines every box feature along its track, STTran's pair representation on the refined features, a per-frame
 * (local) encoder and a per-pair-sequence (global) encoder over the whole video. See the package documentation.
 *
 * <p>Outputs: {@link #ATTENTION} [P, 3] logits, {@link #SPATIAL} [P, 6] and {@link #CONTACTING} [P, 17] sigmoid
 * probabilities, {@link #OBJECT_LOGITS} [N, 37] (SGCLS), {@link #LOSS}. Parameter names are the reference's
 * state_dict keys (the fixed position-encoding buffers aside).
 */
public final class DsgDetrModel extends GraphModel<DsgDetrConfig> {

    /** The registry name. */
    public static final String NAME = "dsg-detr";

    public static final String ATTENTION_LOSS = "attention_loss";
    public static final String SPATIAL_LOSS = "spatial_loss";
    public static final String CONTACTING_LOSS = "contacting_loss";
    public static final String OBJECT_LOSS = ObjectClassifier.LOSS;
    /** The refined object features [N, objectWidth]. */
    public static final String REFINED = "refined_objects";
    /** Prefix of the SGCLS classification head (unused, hence not trained, in PredCLS). */
    public static final String CLASSIFIER_HEAD = "object_classifier.decoder_lin.";

    /** Additive mask value for a forbidden (query, key) pair. */
    static final double BLOCKED = -1e9;

    static final String FEATURES = "features";
    static final String CLASS_WEIGHTS = "class_weights";
    static final String BOX_CENTER_SIZE = "box_center_size";
    static final String OBJECT_MASK = "object_mask";
    static final String OBJECT_POS = "object_pos";
    static final String SUBJECT_SELECT = RelationFeatures.SUBJECT_SELECT;
    static final String OBJECT_SELECT = RelationFeatures.OBJECT_SELECT;
    static final String SUBJECT_CLASS = RelationFeatures.SUBJECT_CLASS;
    static final String OBJECT_CLASS = RelationFeatures.OBJECT_CLASS;
    static final String UNION_FEAT = RelationFeatures.UNION_FEAT;
    static final String SPATIAL_MASKS = RelationFeatures.SPATIAL_MASKS;
    static final String FRAME_MASK = "frame_mask";
    static final String SEQUENCE_MASK = "sequence_mask";
    static final String SEQUENCE_POS = "sequence_pos";
    static final String ATTENTION_TARGET = "attention_target";
    static final String SPATIAL_TARGET = "spatial_target";
    static final String CONTACTING_TARGET = "contacting_target";
    static final String OBJECT_TARGET = "object_target";

    // shorthands for the base class's config, graph, scope and type
    private final DsgDetrConfig config;
    private final DataType dtype;
    private final SameDiff sd;
    private final NnScope scope;

    private DsgDetrModel(DsgDetrConfig config, Mode mode, DataType dtype, long seed) {
        super(NAME, "DSG-DETR", config, mode, dtype, seed);
        this.config = config;
        this.dtype = dtype;
        this.sd = graph();
        this.scope = scope();
        define();
    }

    /** A float32 model with PyTorch-style random initialisation from {@code seed}. */
    public static DsgDetrModel build(DsgDetrConfig config, Mode mode, long seed) {
        return new DsgDetrModel(config, mode, DataType.FLOAT, seed);
    }

    /** With another floating type (float64 for gradient checks). */
    public static DsgDetrModel build(DsgDetrConfig config, Mode mode, long seed, DataType dtype) {
        return new DsgDetrModel(config, mode, dtype, seed);
    }

    private void define() {
        DsgDetrConfig c = config;
        int ow = c.objectWidth();
        long n = -1;
        long p = -1;
        // ---- object classifier: embedding, box position, object-sequence encoder, classification head ----
        ObjectClassifier.BoxInput input = new ObjectClassifier.BoxInput(scope, c.objectClasses(), c.embedding(),
                c.posEmbed(), c.posBnMomentum());
        List<TransformerEncoderLayer> objEnc = new ArrayList<>();
        for (int i = 0; i < c.objectLayers(); i++) {
            objEnc.add(new TransformerEncoderLayer(scope, "object_classifier.encoder_tran.layers." + i, ow,
                    c.objectHeads(), c.objectFfn(), c.dropout()));
        }
        ObjectClassifier.Head head = ObjectClassifier.Head.decoderLin(scope, ow, c.classifierHidden(),
                c.objectClasses());

        // ---- pair representation (STTran's, subject/object projections on the refined width) ----
        RelationFeatures pairFeatures = new RelationFeatures(scope, ow, c.unionIn(), c.unionOut(), c.pairFc(),
                c.objectClasses(), c.embedding());

        // ---- relation transformer: local (per frame) then global (per pair sequence) ----
        List<TransformerEncoderLayer> local = new ArrayList<>();
        for (int i = 0; i < c.localLayers(); i++) {
            local.add(new TransformerEncoderLayer(scope, "local_transformer.layers." + i, c.dModel(), c.heads(),
                    c.ffn(), c.dropout()));
        }
        List<TransformerEncoderLayer> global = new ArrayList<>();
        for (int i = 0; i < c.globalLayers(); i++) {
            global.add(new TransformerEncoderLayer(scope, "global_transformer.layers." + i, c.dModel(), c.heads(),
                    c.ffn(), c.dropout()));
        }
        RelationHeads heads = new RelationHeads(scope, "", c.dModel(), c.widths().classes());
        // the reference's fixed sinusoidal tables: checked against the computed encodings on load, not state
        positionTable("object_classifier.positional_encoder.pe", ow);
        positionTable("positional_encoder.pe", c.dModel());

        // ---- placeholders ----
        SDVariable feat = sd.placeHolder(FEATURES, dtype, n, c.feature());
        SDVariable classW = sd.placeHolder(CLASS_WEIGHTS, dtype, n, c.objectClasses() - 1);
        SDVariable cs = sd.placeHolder(BOX_CENTER_SIZE, dtype, n, 4);
        SDVariable objMask = sd.placeHolder(OBJECT_MASK, dtype, n, n);
        SDVariable objPos = sd.placeHolder(OBJECT_POS, dtype, n, ow);
        RelationFeatures.Inputs pairs = RelationFeatures.Inputs.placeholders(sd, dtype, c.objectClasses(), c.unionIn());
        SDVariable frameMask = sd.placeHolder(FRAME_MASK, dtype, p, p);
        SDVariable seqMask = sd.placeHolder(SEQUENCE_MASK, dtype, p, p);
        SDVariable seqPos = sd.placeHolder(SEQUENCE_POS, dtype, p, c.dModel());

        // ---- object sequences: [N, ow], attention kept inside a track ----
        SDVariable h = input.apply(feat, classW, cs, c.dropout());
        h = new Dropout(scope, c.dropout()).apply(h.add(objPos));
        for (TransformerEncoderLayer layer : objEnc) {
            h = layer.apply(h, objMask);
        }
        SDVariable refined = sd.identity(REFINED, h);

        // ---- relation features [P, dModel] ----
        SDVariable x = pairFeatures.apply(refined, pairs);
        for (TransformerEncoderLayer layer : local) {
            x = layer.apply(x, frameMask);
        }
        x = new Dropout(scope, c.dropout()).apply(x.add(seqPos));
        for (TransformerEncoderLayer layer : global) {
            x = layer.apply(x, seqMask);
        }
        RelationHeads.Outputs o = heads.apply(x, ATTENTION, SPATIAL, CONTACTING);

        // ---- losses (STTran's) ----
        SDVariable total = heads.loss(o, RelationHeads.Targets.placeholders(sd, dtype, c.widths().classes()),
                c.relationLoss(), "");
        if (mode().hasObjectClassifier()) {
            SDVariable oT = sd.placeHolder(OBJECT_TARGET, dtype, n, c.objectClasses());
            total = total.add(ObjectClassifier.namedLoss(head.apply(refined), oT));
        }
        sd.identity(LOSS, total);
        sd.setLossVariables(LOSS);
    }

    /** Rows of the reference's {@code PositionalEncoding} buffer ({@code max_len} 400). */
    static final int PE_ROWS = 400;

    /**
     * Binds a reference position-encoding buffer [1, 400, width]: its values must equal the sinusoidal encoding
     * this model computes (to 1e-4: the reference builds its table in float32), since the graph computes positions rather than storing them.
     */
    private void positionTable(String key, int width) {
        scope.bindings().add(new org.m3sgg.nn.TorchBindings.Binding(key, new long[] {1, PE_ROWS, width}, a -> {
            int[] pos = new int[PE_ROWS];
            for (int i = 0; i < PE_ROWS; i++) {
                pos[i] = i;
            }
            INDArray mine = org.m3sgg.nn.SinusoidalPositions.rows(pos, width, DataType.DOUBLE);
            double d = org.nd4j.linalg.ops.transforms.Transforms.abs(mine.sub(a.reshape(PE_ROWS, width)
                    .castTo(DataType.DOUBLE))).maxNumber().doubleValue();
            if (!(d <= 1e-4)) {
                throw new KitException("state_dict key '" + key + "' is not the sinusoidal encoding this model "
                        + "computes (largest difference " + d + ")");
            }
            return Map.of();
        }));
    }

    /** Copies a reference state dict into the graph; strict about keys and shapes (see {@code TorchBindings}). */
    public void loadStateDict(Map<String, org.m3sgg.nn.torch.TorchTensor> stateDict, String source) {
        scope.bindings().load(sd, stateDict, source);
    }

    /**
     * The object tracks of a video: PredCLS groups boxes by their ground-truth label (the reference's oracle
     * tracks); SGCLS tracks them with {@link ObjectTracker#track} from the detector distribution, features and boxes
     * (independent of the labels, so the relabelled test inputs keep the tracks of the classifier pass).
     */
    public List<int[]> tracks(RelationInputs in) {
        if (mode() == Mode.PREDCLS) {
            return ObjectTracker.byLabel(in.labels());
        }
        if (mode() == Mode.SGDET) {
            if (in.distribution() == null) {
                throw new KitException("relation inputs: DSG-DETR's SGDET tracks need the detector distribution");
            }
            return ObjectTracker.byLabel(argmaxLabels(in.distribution()));
        }
        if (in.distribution() == null) {
            throw new KitException("relation inputs: DSG-DETR's SGCLS tracker needs the detector distribution");
        }
        double[][] feats = in.numBoxes() == 0 ? new double[0][] : in.features().castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] dist = in.numBoxes() == 0 ? new double[0][]
                : in.distribution().castTo(DataType.DOUBLE).toDoubleMatrix();
        return ObjectTracker.track(in.boxes(), feats, dist, in.boxFrame(),
                ObjectTracker.Params.reference(config.trackMaxGap()));
    }

    /** Placeholders of the object branch (everything {@link #REFINED} and {@link #OBJECT_LOGITS} need). */
    Map<String, INDArray> objectInputs(RelationInputs in, List<int[]> tracks) {
        DsgDetrConfig c = config;
        int n = in.numBoxes();
        if (in.features().size(1) != c.feature()) {
            throw new KitException("relation inputs: features have width " + in.features().size(1) + ", the model "
                    + c.feature());
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(FEATURES, in.features().castTo(dtype));
        if (mode() == Mode.PREDCLS) {
            int[] cls = new int[n];
            for (int i = 0; i < n; i++) {
                if (in.labels()[i] < 1 || in.labels()[i] >= c.objectClasses()) {
                    throw new KitException("relation inputs: box " + i + " has label " + in.labels()[i]
                            + ", expected 1.." + (c.objectClasses() - 1));
                }
                cls[i] = in.labels()[i] - 1;
            }
            m.put(CLASS_WEIGHTS, org.m3sgg.nn.Selection.rows(cls, c.objectClasses() - 1, dtype));
        } else {
            if (in.distribution() == null || in.distribution().size(1) != c.objectClasses() - 1) {
                throw new KitException("relation inputs: SGCLS needs the detector distribution [N, "
                        + (c.objectClasses() - 1) + "] (classes without background)");
            }
            m.put(CLASS_WEIGHTS, in.distribution().castTo(dtype));
        }
        m.put(BOX_CENTER_SIZE, centerSize(in.boxes()));
        int[] trackOf = new int[n];
        int[] position = new int[n];
        Arrays.fill(trackOf, -1);
        for (int t = 0; t < tracks.size(); t++) {
            int[] tr = tracks.get(t);
            for (int k = 0; k < tr.length; k++) {
                if (trackOf[tr[k]] >= 0) {
                    throw new IllegalStateException("box " + tr[k] + " is in two tracks");
                }
                trackOf[tr[k]] = t;
                position[tr[k]] = k;
            }
            if (mode() == Mode.SGDET) {
                int[] frames = new int[tr.length];
                for (int k = 0; k < tr.length; k++) {
                    frames[k] = in.boxFrame()[tr[k]];
                }
                int[] rank = frameRanks(frames);
                for (int k = 0; k < tr.length; k++) {
                    position[tr[k]] = rank[k];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (trackOf[i] < 0) {
                throw new IllegalStateException("box " + i + " is in no track");
            }
        }
        m.put(OBJECT_MASK, groupMask(trackOf));
        m.put(OBJECT_POS, org.m3sgg.nn.SinusoidalPositions.rows(position, c.objectWidth(), dtype));
        return m;
    }

    /** All placeholders of one video; {@code targets} may be null. */
    Map<String, INDArray> prepare(RelationInputs in, RelationTargets t) {
        return prepare(in, t, tracks(in));
    }

    /** All placeholders of one video with the given tracks; {@code targets} may be null. */
    Map<String, INDArray> prepare(RelationInputs in, RelationTargets t, List<int[]> tracks) {
        DsgDetrConfig c = config;
        Map<String, INDArray> m = objectInputs(in, tracks);
        int n = in.numBoxes();
        int p = in.numPairs();
        RelationFeed.check(in, c.feature(), c.unionIn(), c.objectClasses());
        m.putAll(RelationFeed.pairs(in, c.objectClasses(), dtype));
        int[] obj = new int[p];
        for (int i = 0; i < p; i++) {
            obj[i] = in.pairs()[i][1];
        }
        m.put(FRAME_MASK, groupMask(in.pairFrame()));
        // the temporal sequences: pairs grouped by their object's class (reference) or track, in pair order
        int[] group = new int[p];
        if (c.pairSequences() == DsgDetrConfig.PairSequences.CLASS) {
            for (int i = 0; i < p; i++) {
                group[i] = in.labels()[obj[i]];
            }
        } else {
            int[] trackOf = new int[n];
            for (int tr = 0; tr < tracks.size(); tr++) {
                for (int b : tracks.get(tr)) {
                    trackOf[b] = tr;
                }
            }
            for (int i = 0; i < p; i++) {
                group[i] = trackOf[obj[i]];
            }
        }
        m.put(SEQUENCE_MASK, groupMask(group));
        int[] seqPos = mode() == Mode.SGDET ? frameRanksInGroup(group, in.pairFrame()) : positionsInGroup(group);
        m.put(SEQUENCE_POS, org.m3sgg.nn.SinusoidalPositions.rows(seqPos, c.dModel(), dtype));
        if (t != null) {
            m.putAll(RelationFeed.targets(t, p, n, c.widths().classes(), mode().hasObjectClassifier(), dtype));
        }
        return m;
    }

    /**
     * SGDET's positions (the reference's {@code pos_index}): for each element the rank of its frame among the
     * distinct frames of its group, so that boxes or pairs of one frame share a position.
     */
    static int[] frameRanksInGroup(int[] group, int[] frame) {
        Map<Integer, java.util.TreeSet<Integer>> frames = new LinkedHashMap<>();
        for (int i = 0; i < group.length; i++) {
            frames.computeIfAbsent(group[i], g -> new java.util.TreeSet<>()).add(frame[i]);
        }
        int[] pos = new int[group.length];
        for (int i = 0; i < group.length; i++) {
            pos[i] = frames.get(group[i]).headSet(frame[i]).size();
        }
        return pos;
    }

    /** {@link #frameRanksInGroup} for one group. */
    static int[] frameRanks(int[] frame) {
        return frameRanksInGroup(new int[frame.length], frame);
    }

    /** Per box the detector's most likely class, 1..36 (argmax of the distribution over labels 1..36, plus 1). */
    static int[] argmaxLabels(INDArray distribution) {
        if (distribution.size(0) == 0) {
            return new int[0];
        }
        double[][] d = distribution.castTo(DataType.DOUBLE).toDoubleMatrix();
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            int best = 0;
            for (int k = 1; k < d[i].length; k++) {
                if (d[i][k] > d[i][best]) {
                    best = k;
                }
            }
            out[i] = best + 1;
        }
        return out;
    }

    /** For each element its index among the earlier elements of its group. */
    static int[] positionsInGroup(int[] group) {
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        int[] pos = new int[group.length];
        for (int i = 0; i < group.length; i++) {
            int k = seen.getOrDefault(group[i], 0);
            pos[i] = k;
            seen.put(group[i], k + 1);
        }
        return pos;
    }

    /** [L, L] additive mask: 0 within a group, {@link #BLOCKED} across groups. */
    private INDArray groupMask(int[] group) {
        int l = group.length;
        if (l == 0) {
            return Nd4j.zeros(dtype, 0, 0);
        }
        double[][] mm = new double[l][l];
        for (int i = 0; i < l; i++) {
            for (int j = 0; j < l; j++) {
                mm[i][j] = group[i] == group[j] ? 0 : BLOCKED;
            }
        }
        return Nd4j.createFromArray(mm).castTo(dtype);
    }

    /** STTran's {@code center_size} (+1 convention): (cx, cy, w, h). */
    private INDArray centerSize(double[][] boxes) {
        double[][] out = new double[boxes.length][4];
        for (int i = 0; i < boxes.length; i++) {
            double w = boxes[i][2] - boxes[i][0] + 1.0;
            double h = boxes[i][3] - boxes[i][1] + 1.0;
            out[i] = new double[] {boxes[i][0] + 0.5 * w, boxes[i][1] + 0.5 * h, w, h};
        }
        return boxes.length == 0 ? Nd4j.zeros(dtype, 0, 4) : Nd4j.createFromArray(out).castTo(dtype);
    }

    private static Map<String, INDArray> relationOnly(Map<String, INDArray> all) {
        Map<String, INDArray> m = new LinkedHashMap<>(all);
        m.keySet().removeIf(k -> k.endsWith("_target"));
        return m;
    }

    @Override
    public Map<String, INDArray> relations(RelationInputs in) {
        scope.setTraining(false);
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (in.numPairs() > 0) {
            out.putAll(infer(relationOnly(prepare(in, null)), ATTENTION, SPATIAL, CONTACTING));
        } else {
            out.putAll(noRelations(config.attentionClasses(), config.spatialClasses(), config.contactingClasses()));
        }
        return out;
    }

    /** Evaluation-mode relation outputs with the given tracks (the reference fixture's tracker). */
    Map<String, INDArray> relations(RelationInputs in, List<int[]> tracks) {
        scope.setTraining(false);
        return infer(relationOnly(prepare(in, null, tracks)), ATTENTION, SPATIAL, CONTACTING);
    }

    /** Evaluation-mode {@link #REFINED} and (SGCLS) {@link #OBJECT_LOGITS} with the given tracks. */
    Map<String, INDArray> objectOutputs(RelationInputs in, List<int[]> tracks) {
        requireObjectClassifier();
        scope.setTraining(false);
        return infer(objectInputs(in, tracks), REFINED, OBJECT_LOGITS);
    }

    @Override
    public INDArray objectLogits(RelationInputs in) {
        requireObjectClassifier();
        scope.setTraining(false);
        return inferSingle(objectInputs(in, tracks(in)), OBJECT_LOGITS);
    }

    /** The refined object features [N, objectWidth] (evaluation mode). */
    public INDArray refinedObjects(RelationInputs in) {
        scope.setTraining(false);
        return inferSingle(objectInputs(in, tracks(in)), REFINED);
    }

    /**
     * SGCLS training feeds the relation branch the classifier's own labels, as the reference does
     * ({@code pred_labels = argmax(distribution[:, 1:]) + 1}): the class embeddings and the class-grouped pair
     * sequences then see at training time what they see at test time. The labels come from an evaluation-mode
     * pass of the object branch (the reference takes them from the same training-mode pass).
     */
    private RelationInputs withPredictedLabels(RelationInputs in) {
        if (mode() != Mode.SGCLS || in.numBoxes() == 0) {
            return in;
        }
        INDArray logits = objectLogits(in);
        int[] labels = new int[in.numBoxes()];
        for (int i = 0; i < labels.length; i++) {
            int best = 1;
            for (int k = 2; k < logits.size(1); k++) {
                if (logits.getDouble(i, k) > logits.getDouble(i, best)) {
                    best = k;
                }
            }
            labels[i] = best;
        }
        return in.withPairs(labels, in.pairs(), in.pairFrame(), in.unionFeatures(), in.spatialMasks());
    }

    @Override
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        Map<String, INDArray> batch = prepare(withPredictedLabels(in), targets);
        List<String> names = new ArrayList<>(List.of(LOSS, ATTENTION_LOSS, SPATIAL_LOSS, CONTACTING_LOSS));
        if (mode().hasObjectClassifier()) {
            names.add(OBJECT_LOSS);
        }
        return evaluateScalars(batch, names);
    }

    /** The relation branch trains on the classifier's own labels (see {@link #withPredictedLabels}). */
    @Override
    protected Map<String, INDArray> trainingInputs(RelationInputs in, RelationTargets targets) {
        return prepare(withPredictedLabels(in), targets);
    }

    /** The predicted labels come from an evaluation-mode pass of the object branch. */
    @Override
    protected boolean preparesInEvaluationMode() {
        return true;
    }

    /** The classification head takes part only in SGCLS (the rest of the object branch refines features always). */
    @Override
    protected boolean usedInMode(String name) {
        return mode().hasObjectClassifier() || !name.startsWith(CLASSIFIER_HEAD);
    }
}
