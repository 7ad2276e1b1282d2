package org.m3sgg.models.oed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.LayerNorm;
import org.m3sgg.nn.Linear;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.TorchBindings;
import org.m3sgg.nn.TransformerEncoderLayer;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * OED after its backbone, for inference: input projection of the C5 map, DETR encoder, the pair-wise instance
 * (HOPD) decoder, the interaction decoder, the six heads on every layer pairing, and for a temporal model the
 * Progressively Refined Module with its temporal heads. One SameDiff graph in double precision; a frame is one run
 * of the spatial part (frames do not interact before the PRM), the PRM a second run. Parameter names are OED's
 * state_dict keys (without {@code backbone.*}).
 */
public final class OedModel {

    /** The six heads, in OED's output names ({@code pred_<head>}). */
    public static final List<String> HEADS = List.of("obj_logits", "sub_boxes", "obj_boxes", "attn_logits",
            "spatial_logits", "contacting_logits");

    private static final double MASKED = -1e9;

    private final OedConfig cfg;
    private final NnScope scope;
    private final SameDiff sd;
    private final int auxCount;
    private final PredclsQueries predcls;

    private OedModel(OedConfig cfg, long seed) {
        this(cfg, seed, null, null);
    }

    /**
     * @param predcls the PredCLS variant (queries built from ground-truth pairs), or null for SGDET (learned
     *                {@code query_embed})
     * @param loss    the training objective's weights, or null for an inference-only graph
     */
    private OedModel(OedConfig cfg, long seed, PredclsQueries predcls, OedLossWeights loss) {
        this.cfg = cfg;
        this.predcls = predcls;
        this.sd = SameDiff.create();
        this.scope = new NnScope(sd, DataType.DOUBLE, seed);
        int d = cfg.dModel();
        int q = cfg.queries();
        SDVariable c5 = sd.placeHolder("c5", DataType.DOUBLE, -1, cfg.c5Channels());
        SDVariable pos = sd.placeHolder("pos", DataType.DOUBLE, -1, d);
        // B frames of one size at once: rows of c5/pos are the frames' cells in turn, masks are per frame
        SDVariable encMask = sd.placeHolder("enc_mask", DataType.DOUBLE, -1, -1, -1);
        SDVariable crossMask = sd.placeHolder("cross_mask", DataType.DOUBLE, -1, -1, -1);
        SDVariable queryMask = sd.placeHolder("query_mask", DataType.DOUBLE, -1, -1, -1);
        SDVariable frames = sd.placeHolder(FRAMES, DataType.INT64, 1);

        // input_proj is a 1x1 convolution: a Linear over channels, its [d, C, 1, 1] kernel read as [d, C]
        double bound = 1.0 / Math.sqrt(cfg.c5Channels());
        SDVariable projW = scope.unboundParam("input_proj.weight", scope.uniform(-bound, bound, d, cfg.c5Channels()));
        scope.bindings().add(new TorchBindings.Binding("input_proj.weight", new long[] {d, cfg.c5Channels(), 1, 1},
                a -> Map.of("input_proj.weight", a.reshape(d, cfg.c5Channels()))));
        SDVariable projB = scope.param("input_proj.bias", scope.uniform(-bound, bound, d));
        SDVariable src = sd.identity("proj", sd.mmul(c5, projW, false, true, false).add(projB));

        SDVariable x = src;
        for (int i = 0; i < cfg.encLayers(); i++) {
            var layer = new TransformerEncoderLayer(scope, "transformer.encoder.layers." + i, d, cfg.heads(),
                    cfg.ffn(), 0.0);
            SDVariable qk = x.add(pos);
            x = layer.applyGrouped(x, qk, qk, x, encMask, frames);
        }
        SDVariable memory = sd.identity("memory", x);

        SDVariable hopdTgt;
        SDVariable hopdPos;
        if (predcls == null) {
            // the learned queries once per frame: a product with B stacked identities (exact)
            SDVariable tile = sd.placeHolder(QUERY_TILE, DataType.DOUBLE, -1, q);
            hopdPos = tile.mmul(scope.param("query_embed.weight", scope.normal(q, d)));
            hopdTgt = sd.zerosLike("tgt_zeros", hopdPos);
        } else {
            // cdn_single_xcls.py: content = MLP(class vector of the pair's object), position = MLP(12 box features)
            SDVariable classes = sd.placeHolder(QUERY_CLASSES, DataType.DOUBLE, -1, cfg.objLogits() - 1);
            SDVariable boxes = sd.placeHolder(QUERY_BOXES, DataType.DOUBLE, -1, 12);
            SDVariable table = scope.buffer("transformer.obj_classes_embed",
                    predcls.classVectors(cfg.objLogits() - 1));
            SDVariable content = classes.mmul(table);
            hopdTgt = mlp2(content, "transformer.query_content", predcls.vectorDim(), d);
            hopdPos = mlp2(boxes, "transformer.query_spatial", 12, d);
        }
        List<SDVariable> hopd = decoder("transformer.decoder", "hopd", "ins_attn_weight", cfg.hopdLayers(), hopdTgt,
                hopdPos, queryMask, memory, pos, crossMask, frames);
        SDVariable hopdLast = hopd.get(hopd.size() - 1);
        SDVariable interTgt = predcls == null ? hopdTgt : hopdLast.mul(0.0);
        List<SDVariable> inter = decoder("transformer.interaction_decoder", "interaction", "rel_attn_weight",
                cfg.interLayers(), interTgt, hopdLast, queryMask, memory, pos, crossMask, frames);

        Heads spatial = new Heads(scope, "", cfg);
        List<OedCriterion.Layer> lossLayers = new ArrayList<>();
        lossLayers.add(spatial.apply(sd, "pred_", hopdLast, inter.get(inter.size() - 1)));
        int m = Math.min(cfg.hopdLayers(), cfg.interLayers());
        this.auxCount = m - 1;
        for (int i = 0; i < auxCount; i++) {
            lossLayers.add(spatial.apply(sd, "aux" + i + "_pred_", hopd.get(cfg.hopdLayers() - m + i),
                    inter.get(cfg.interLayers() - m + i)));
        }
        if (loss != null && !cfg.temporal()) {
            // a temporal model trains its second stage only: the spatial part is frozen (OED's --freeze_mode 1)
            sd.setLossVariables(OedCriterion.build(sd, "", lossLayers, loss));
        }

        if (cfg.temporal()) {
            int w = cfg.prmWidth();
            SDVariable cur = sd.placeHolder("prm_cur", DataType.DOUBLE, -1, w);
            SDVariable prmSelfMask = sd.placeHolder("prm_self_mask", DataType.DOUBLE, -1, -1);
            int[] topk = cfg.prmTopk();
            for (int i = 0; i < topk.length; i++) {
                SDVariable refs = sd.placeHolder("prm_ref" + (i + 1), DataType.DOUBLE, -1, w);
                SDVariable mask = sd.placeHolder("prm_cross_mask" + (i + 1), DataType.DOUBLE, -1, -1);
                var layer = new PrmLayer(scope, "transformer.temporal_query_layer" + (i + 1), w, cfg.heads(),
                        cfg.ffn());
                cur = sd.identity("prm_out" + (i + 1), layer.apply(cur, refs, prmSelfMask, mask));
            }
            // the [pair | relation] halves as products with [I; 0] and [0; I] (exact): the gradient of a strided
            // slice fails in ND4J 1.0.0-M2.1 when the key frame has a single query (PredCLS)
            INDArray first = Nd4j.zeros(DataType.DOUBLE, w, d);
            INDArray second = Nd4j.zeros(DataType.DOUBLE, w, d);
            for (int i = 0; i < d; i++) {
                first.putScalar(i, i, 1.0);
                second.putScalar(d + i, i, 1.0);
            }
            SDVariable pair = cur.mmul(sd.constant("prm_pair_half", first));
            SDVariable rel = cur.mmul(sd.constant("prm_rel_half", second));
            OedCriterion.Layer t = new Heads(scope, "temporal_", cfg).apply(sd, "temporal_pred_", pair, rel);
            if (loss != null) {
                sd.setLossVariables(OedCriterion.build(sd, TEMPORAL, List.of(t), loss));
            }
        }
    }

    /** Placeholder: the number of frames B in a run (LONG [1]). */
    public static final String FRAMES = "frames";
    /** SGDET placeholder: [B·Q, Q], B stacked identities (each frame's copy of the learned queries). */
    public static final String QUERY_TILE = "query_tile";

    /** Prefix of the temporal stage's loss names ({@code temporal_oed_loss}, ...). */
    public static final String TEMPORAL = "temporal_";
    /** PredCLS placeholder: [P, classes] one-hot of each pair's object class (rows of the class-vector table). */
    public static final String QUERY_CLASSES = "query_classes";
    /** PredCLS placeholder: [P, 12] subject box, object box, centre offset and both areas (normalised cxcywh). */
    public static final String QUERY_BOXES = "query_boxes";

    /**
     * The PredCLS query inputs: OED embeds each pair's object class with fixed 200-d GloVe vectors
     * ({@code obj_classes_embed}, a buffer); the kit ships no word vectors, so a fixed table of seeded N(0, 1)
     * vectors of the same width stands in for them (not trained, as in the reference).
     */
    public record PredclsQueries(int vectorDim) {
        public PredclsQueries {
            if (vectorDim <= 0) {
                throw new KitException("OED PredCLS: class vector width must be positive, got " + vectorDim);
            }
        }

        /** The same table for every run and seed (a spatial and a temporal run share it). */
        INDArray classVectors(int classes) {
            java.util.Random r = new java.util.Random(0x6F6564L);
            double[][] t = new double[classes][vectorDim];
            for (double[] row : t) {
                for (int j = 0; j < vectorDim; j++) {
                    row[j] = r.nextGaussian();
                }
            }
            return Nd4j.create(t);
        }
    }

    private SDVariable mlp2(SDVariable in, String prefix, int inDim, int d) {
        Linear l0 = new Linear(scope, prefix + ".layers.0", inDim, d);
        Linear l1 = new Linear(scope, prefix + ".layers.1", d, d);
        return l1.apply(sd.nn().relu(l0.apply(in), 0));
    }

    private List<SDVariable> decoder(String prefix, String out, String weightsName, int layers, SDVariable tgt,
            SDVariable queryPos, SDVariable queryMask, SDVariable memory, SDVariable pos, SDVariable crossMask,
            SDVariable frames) {
        List<OedDecoderLayer> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            ls.add(new OedDecoderLayer(scope, prefix + ".layers." + i, cfg.dModel(), cfg.heads(), cfg.ffn()));
        }
        LayerNorm norm = new LayerNorm(scope, prefix + ".norm", cfg.dModel());
        List<SDVariable> stack = new ArrayList<>();
        SDVariable t = tgt;
        for (int i = 0; i < layers; i++) {
            SDVariable[] r = ls.get(i).apply(t, queryPos, queryMask, memory, pos, crossMask, frames);
            t = r[0];
            // every layer's output through the decoder's shared norm (the last one once)
            stack.add(sd.identity(out + i, norm.apply(t)));
            if (i == layers - 1) {
                sd.identity(weightsName, r[1]);
            }
        }
        return stack;
    }

    /** The four class heads and two box MLPs of OED ({@code <prefix>obj_class_embed} etc.). */
    private static final class Heads {
        final Linear obj;
        final Linear attn;
        final Linear spatial;
        final Linear contacting;
        final Linear[] sub = new Linear[3];
        final Linear[] objBox = new Linear[3];

        Heads(NnScope scope, String prefix, OedConfig c) {
            int d = c.dModel();
            obj = new Linear(scope, prefix + "obj_class_embed", d, c.objLogits());
            for (int i = 0; i < 3; i++) {
                sub[i] = new Linear(scope, prefix + "sub_bbox_embed.layers." + i, d, i == 2 ? 4 : d);
            }
            for (int i = 0; i < 3; i++) {
                objBox[i] = new Linear(scope, prefix + "obj_bbox_embed.layers." + i, d, i == 2 ? 4 : d);
            }
            attn = new Linear(scope, prefix + "attn_class_embed", d, c.attnLogits());
            spatial = new Linear(scope, prefix + "spatial_class_embed", d, c.spatialLogits());
            contacting = new Linear(scope, prefix + "contacting_class_embed", d, c.contactLogits());
        }

        OedCriterion.Layer apply(SameDiff sd, String out, SDVariable pair, SDVariable rel) {
            return new OedCriterion.Layer(sd.identity(out + "obj_logits", obj.apply(pair)),
                    sd.identity(out + "sub_boxes", sd.nn().sigmoid(mlp(sd, sub, pair))),
                    sd.identity(out + "obj_boxes", sd.nn().sigmoid(mlp(sd, objBox, pair))),
                    sd.identity(out + "attn_logits", attn.apply(rel)),
                    sd.identity(out + "spatial_logits", spatial.apply(rel)),
                    sd.identity(out + "contacting_logits", contacting.apply(rel)));
        }

        private static SDVariable mlp(SameDiff sd, Linear[] layers, SDVariable x) {
            SDVariable h = x;
            for (int i = 0; i < layers.length; i++) {
                h = layers[i].apply(h);
                if (i < layers.length - 1) {
                    h = sd.nn().relu(h, 0);
                }
            }
            return h;
        }
    }

    /** A model with seeded (untrained) weights. */
    public static OedModel build(OedConfig cfg, long seed) {
        return new OedModel(cfg, seed);
    }

    /**
     * A trainable model with seeded weights: the graph carries OED's loss ({@link OedCriterion}) on the spatial
     * heads (last and auxiliary layers) and, for a temporal model, on the temporal heads ({@link #TEMPORAL}
     * prefix). {@code predcls}: the PredCLS variant, or null for SGDET.
     */
    public static OedModel trainable(OedConfig cfg, long seed, PredclsQueries predcls, OedLossWeights loss) {
        return new OedModel(cfg, seed, predcls, loss);
    }

    public SameDiff graph() {
        return sd;
    }

    public NnScope scope() {
        return scope;
    }

    /** Whether this is the PredCLS variant (queries from ground-truth pairs). */
    public boolean predcls() {
        return predcls != null;
    }

    /**
     * The model a checkpoint describes, with its weights ({@code prmTopk} per reference frame, used when the
     * checkpoint is temporal). {@code spatialOnly}: build the spatial model even from a temporal checkpoint (its
     * non-temporal tensors are the spatial model's after OED's frozen second stage).
     */
    public static OedModel fromCheckpoint(OedCheckpoint ck, int[] prmTopk, boolean spatialOnly) {
        OedConfig c = OedConfig.from(ck, prmTopk);
        Map<String, TorchTensor> sdict = ck.transformerStateDict();
        if (spatialOnly && c.temporal()) {
            c = new OedConfig(c.c5Channels(), c.dModel(), c.heads(), c.ffn(), c.encLayers(), c.hopdLayers(),
                    c.interLayers(), c.queries(), c.objLogits(), c.attnLogits(), c.spatialLogits(), c.contactLogits(),
                    false, 0, new int[0]);
            sdict.keySet().removeIf(k -> k.startsWith("temporal_") || k.startsWith("transformer.temporal_"));
        }
        OedModel model = new OedModel(c, 0);
        model.scope.bindings().load(model.sd, sdict, ck.source());
        return model;
    }

    /** Every state_dict key of this model (without the backbone) with its PyTorch shape. */
    public Map<String, long[]> stateDictShapes() {
        Map<String, long[]> out = new LinkedHashMap<>();
        scope.bindings().all().forEach((k, b) -> out.put(k, b.torchShape().clone()));
        return out;
    }

    public OedConfig config() {
        return cfg;
    }

    /** Number of auxiliary layer pairings ({@code aux<i>_pred_*} outputs). */
    public int auxCount() {
        return auxCount;
    }

    /** The outputs of one frame's spatial pass (arrays keyed by graph name, plus {@code pos} and {@code c5_mask}). */
    public record Frame(Map<String, INDArray> outputs, boolean[][] c5Mask, int h, int w) {
        public INDArray get(String name) {
            INDArray a = outputs.get(name);
            if (a == null) {
                throw new IllegalArgumentException("no frame output " + name);
            }
            return a;
        }
    }

    /**
     * One frame from its C5 map.
     *
     * @param c5   [C, h, w]
     * @param mask the input frame's padding mask [H][W] (true on padding), downsampled to h x w here
     */
    public Frame frame(INDArray c5, boolean[][] mask) {
        return frame(inputs(c5, mask, null));
    }

    /**
     * PredCLS queries of one frame, one row per ground-truth pair: the one-hot object class (a row of the class
     * vector table) and OED's 12 box features (subject cxcywh, object cxcywh, subject minus object centre, subject
     * area, object area; all normalised).
     */
    public record PairQueries(double[][] classOneHot, double[][] boxes) {}

    /** The placeholders of one frame, and its C5 mask. */
    public record FrameInputs(Map<String, INDArray> placeholders, boolean[][] c5Mask, int h, int w, int queries) {}

    /**
     * The placeholders of one frame from its C5 map [C, h, w] and the input's padding mask [H][W] (true on padding;
     * downsampled here). {@code pairs}: the PredCLS queries (required by a PredCLS model, null otherwise).
     */
    public FrameInputs inputs(INDArray c5, boolean[][] mask, PairQueries pairs) {
        if (c5.rank() != 3 || c5.size(0) != cfg.c5Channels()) {
            throw new KitException("OED: C5 map must be [" + cfg.c5Channels() + ", h, w], got "
                    + java.util.Arrays.toString(c5.shape()));
        }
        if (mask.length == 0 || mask[0].length == 0) {
            throw new KitException("OED: the padding mask is empty (expected [H][W] of the input frame)");
        }
        if ((pairs != null) != (predcls != null)) {
            throw new KitException(predcls != null ? "OED PredCLS: the frame needs its ground-truth pairs as queries"
                    : "OED SGDET: pair queries given to a model with learned queries");
        }
        int h = (int) c5.size(1);
        int w = (int) c5.size(2);
        int hw = h * w;
        boolean[][] m = OedPositions.downsampleMask(mask, h, w);
        float[][][] pos = OedPositions.sine(m, cfg.dModel() / 2);
        INDArray posSeq = Nd4j.create(DataType.DOUBLE, hw, cfg.dModel());
        INDArray keyRow = Nd4j.zeros(DataType.DOUBLE, 1, hw);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < cfg.dModel(); c++) {
                    posSeq.putScalar(new long[] {y * w + x, c}, pos[c][y][x]);
                }
                if (m[y][x]) {
                    keyRow.putScalar(0, y * w + x, MASKED);
                }
            }
        }
        int q = pairs == null ? cfg.queries() : pairs.boxes().length;
        if (q == 0) {
            throw new KitException("OED PredCLS: a frame without ground-truth pairs has no queries");
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("c5", c5.castTo(DataType.DOUBLE).reshape(cfg.c5Channels(), hw).transpose().dup());
        ph.put("pos", posSeq);
        ph.put("enc_mask", keyRow.repeat(0, hw).reshape(1, hw, hw));
        ph.put("cross_mask", keyRow.repeat(0, q).reshape(1, q, hw));
        ph.put("query_mask", Nd4j.zeros(DataType.DOUBLE, 1, q, q));
        ph.put(FRAMES, Nd4j.createFromArray(1L));
        if (pairs != null) {
            ph.put(QUERY_CLASSES, Nd4j.create(pairs.classOneHot()));
            ph.put(QUERY_BOXES, Nd4j.create(pairs.boxes()));
        } else {
            ph.put(QUERY_TILE, Nd4j.eye(q).castTo(DataType.DOUBLE));
        }
        return new FrameInputs(ph, m, h, w, q);
    }

    /** Rows each frame of a run takes: its queries, padded to the most of the run's frames (PredCLS). */
    public static int block(List<FrameInputs> frames) {
        return frames.stream().mapToInt(FrameInputs::queries).max().orElse(0);
    }

    /**
     * The placeholders of several frames run at once (the frames' C5 maps of one size): the frames' rows in turn,
     * per-frame masks stacked. PredCLS frames, each with its own number of pair queries, are padded to
     * {@link #block} queries with zero inputs that no real query attends to (their rows are outside the loss and
     * the outputs), so every real row is computed exactly as in a run of its frame alone. One frame's inputs are
     * returned as they are.
     */
    public Map<String, INDArray> batch(List<FrameInputs> frames) {
        if (frames.size() == 1) {
            return frames.get(0).placeholders();
        }
        FrameInputs first = frames.get(0);
        for (FrameInputs f : frames) {
            if (f.h() != first.h() || f.w() != first.w()) {
                throw new KitException("OED: frames run together need C5 maps of one size, got " + first.h() + " x "
                        + first.w() + " and " + f.h() + " x " + f.w());
            }
        }
        int q = block(frames);
        int hw = first.h() * first.w();
        List<String> queryRows = predcls == null ? List.of(QUERY_TILE) : List.of(QUERY_CLASSES, QUERY_BOXES);
        Map<String, List<INDArray>> parts = new HashMap<>();
        for (FrameInputs f : frames) {
            Map<String, INDArray> ph = f.placeholders();
            int pad = q - f.queries();
            for (String r : List.of("c5", "pos", "enc_mask")) {
                parts.computeIfAbsent(r, k -> new ArrayList<>()).add(ph.get(r));
            }
            for (String r : queryRows) {
                INDArray a = ph.get(r);
                if (pad > 0) {
                    a = Nd4j.concat(0, a, Nd4j.zeros(DataType.DOUBLE, pad, a.size(1)));
                }
                parts.computeIfAbsent(r, k -> new ArrayList<>()).add(a);
            }
            INDArray cross = ph.get("cross_mask");
            INDArray self = ph.get("query_mask");
            if (pad > 0) {
                cross = Nd4j.concat(1, cross, cross.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 1),
                        NDArrayIndex.all()).repeat(1, pad));
                self = Nd4j.zeros(DataType.DOUBLE, 1, q, q);
                self.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(f.queries(), q)).assign(MASKED);
            }
            parts.computeIfAbsent("cross_mask", k -> new ArrayList<>()).add(cross.reshape(1, q, hw));
            parts.computeIfAbsent("query_mask", k -> new ArrayList<>()).add(self);
        }
        Map<String, INDArray> ph = new HashMap<>();
        parts.forEach((k, v) -> ph.put(k, Nd4j.concat(0, v.toArray(new INDArray[0]))));
        ph.put(FRAMES, Nd4j.createFromArray((long) frames.size()));
        return ph;
    }

    /** The names of every spatial head output (last layer, then the auxiliary layers). */
    public List<String> headNames() {
        List<String> names = new ArrayList<>();
        for (String head : HEADS) {
            names.add("pred_" + head);
            for (int i = 0; i < auxCount; i++) {
                names.add("aux" + i + "_pred_" + head);
            }
        }
        return names;
    }

    /** One frame's spatial pass: every intermediate and head output. */
    public Frame frame(FrameInputs in) {
        return frames(List.of(in)).get(0);
    }

    /**
     * The spatial pass of several frames of one size in one run of the graph ({@link #batch}); every intermediate
     * and head output, split per frame (a PredCLS frame's rows without the padding).
     */
    public List<Frame> frames(List<FrameInputs> ins) {
        return frames(batch(ins), ins);
    }

    /** {@link #frames(List)} on the frames' placeholders already joined by {@link #batch}. */
    List<Frame> frames(Map<String, INDArray> batched, List<FrameInputs> ins) {
        int q = block(ins);
        List<String> names = new ArrayList<>(List.of("proj", "memory", "ins_attn_weight", "rel_attn_weight"));
        for (int i = 0; i < cfg.hopdLayers(); i++) {
            names.add("hopd" + i);
        }
        for (int i = 0; i < cfg.interLayers(); i++) {
            names.add("interaction" + i);
        }
        names.addAll(headNames());
        Map<String, INDArray> all = sd.output(batched, names.toArray(new String[0]));
        List<Frame> out = new ArrayList<>();
        for (int b = 0; b < ins.size(); b++) {
            FrameInputs in = ins.get(b);
            int hw = in.h() * in.w();
            Map<String, INDArray> mine = new LinkedHashMap<>();
            for (String n : names) {
                INDArray a = all.get(n);
                if (n.endsWith("attn_weight")) {
                    mine.put(n, a.get(NDArrayIndex.point(b), NDArrayIndex.interval(0, in.queries()), NDArrayIndex.all())
                            .dup());
                } else if (n.equals("proj") || n.equals("memory")) {
                    mine.put(n, a.get(NDArrayIndex.interval((long) b * hw, (long) (b + 1) * hw), NDArrayIndex.all())
                            .dup());
                } else {
                    mine.put(n, a.get(NDArrayIndex.interval((long) b * q, (long) b * q + in.queries()),
                            NDArrayIndex.all()).dup());
                }
            }
            mine.put("pos", in.placeholders().get("pos"));
            out.add(new Frame(mine, in.c5Mask(), in.h(), in.w()));
        }
        return out;
    }

    /** What the PRM computed for a key frame. */
    public record Temporal(double[] scores, int[][] topk, List<INDArray> refined, Map<String, INDArray> heads) {}

    /**
     * The PRM on a key frame and its reference frames (each already through {@link #frame}): score every reference
     * query with the spatial heads ({@link Prm#score}), keep the top {@code k · refFrames} of the full set at each
     * step, refine the key frame's [pair ‖ relation] queries and apply the temporal heads.
     */
    public Temporal temporal(Frame key, List<Frame> refs) {
        if (!cfg.temporal()) {
            throw new KitException("OED: this model has no temporal stage (a spatial checkpoint)");
        }
        if (refs.size() != cfg.refFrames()) {
            throw new KitException("OED: " + refs.size() + " reference frames given, the model expects "
                    + cfg.refFrames() + " (args.num_ref_frames)");
        }
        PrmSelection sel = selectReferences(key, refs);
        int[] ks = cfg.prmTopk();
        double[] scores = sel.scores();
        int[][] idx = sel.topk();
        Map<String, INDArray> ph = sel.placeholders();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < ks.length; i++) {
            names.add("prm_out" + (i + 1));
        }
        for (String head : HEADS) {
            names.add("temporal_pred_" + head);
        }
        Map<String, INDArray> out = sd.output(ph, names.toArray(new String[0]));
        List<INDArray> refined = new ArrayList<>();
        for (int i = 0; i < ks.length; i++) {
            refined.add(out.get("prm_out" + (i + 1)));
        }
        Map<String, INDArray> heads = new LinkedHashMap<>();
        for (String head : HEADS) {
            heads.put(head, out.get("temporal_pred_" + head));
        }
        return new Temporal(scores, idx, refined, heads);
    }

    /** The PRM's inputs for a key frame: placeholders, every reference query's score, each step's choice. */
    record PrmSelection(Map<String, INDArray> placeholders, double[] scores, int[][] topk) {}

    /**
     * Scores every reference query with the spatial heads and keeps, at PRM step i, the top
     * {@code min(k_i · refs, all reference queries)} (the minimum only bites in PredCLS, where a frame has as many
     * queries as ground-truth pairs).
     */
    PrmSelection selectReferences(Frame key, List<Frame> refs) {
        int w = cfg.prmWidth();
        int total = 0;
        for (Frame f : refs) {
            total += (int) f.get("pred_obj_logits").size(0);
        }
        INDArray all = Nd4j.create(DataType.DOUBLE, total, w);
        double[] scores = new double[total];
        int at = 0;
        for (Frame f : refs) {
            int q = (int) f.get("pred_obj_logits").size(0);
            double[] s = Prm.score(f.get("pred_obj_logits"), f.get("pred_attn_logits"), f.get("pred_spatial_logits"),
                    f.get("pred_contacting_logits"));
            System.arraycopy(s, 0, scores, at, q);
            all.get(NDArrayIndex.interval((long) at, (long) at + q),
                    NDArrayIndex.all()).assign(pairRel(f));
            at += q;
        }
        int[] ks = cfg.prmTopk();
        int[][] idx = new int[ks.length][];
        for (int i = 0; i < ks.length; i++) {
            idx[i] = Prm.topk(scores, Math.min(ks[i] * refs.size(), total));
        }
        return new PrmSelection(prmInputs(pairRel(key), all, idx), scores, idx);
    }

    /** The PRM's placeholders: the key frame's [pair ‖ relation] queries and each step's selected references. */
    Map<String, INDArray> prmInputs(INDArray cur, INDArray allRefs, int[][] idx) {
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("prm_cur", cur);
        ph.put("prm_self_mask", Nd4j.zeros(DataType.DOUBLE, cur.size(0), cur.size(0)));
        for (int i = 0; i < idx.length; i++) {
            ph.put("prm_ref" + (i + 1), Nd4j.pullRows(allRefs, 1, idx[i]));
            ph.put("prm_cross_mask" + (i + 1), Nd4j.zeros(DataType.DOUBLE, cur.size(0), idx[i].length));
        }
        return ph;
    }

    INDArray pairRel(Frame f) {
        String ins = "hopd" + (cfg.hopdLayers() - 1);
        String rel = "interaction" + (cfg.interLayers() - 1);
        return Nd4j.hstack(f.get(ins), f.get(rel));
    }
}
