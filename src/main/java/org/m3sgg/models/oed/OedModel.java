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
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

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

    private OedModel(OedConfig cfg, long seed) {
        this.cfg = cfg;
        this.sd = SameDiff.create();
        this.scope = new NnScope(sd, DataType.DOUBLE, seed);
        int d = cfg.dModel();
        int q = cfg.queries();
        SDVariable c5 = sd.placeHolder("c5", DataType.DOUBLE, -1, cfg.c5Channels());
        SDVariable pos = sd.placeHolder("pos", DataType.DOUBLE, -1, d);
        SDVariable encMask = sd.placeHolder("enc_mask", DataType.DOUBLE, -1, -1);
        SDVariable crossMask = sd.placeHolder("cross_mask", DataType.DOUBLE, q, -1);
        SDVariable queryMask = sd.constant("query_mask", Nd4j.zeros(DataType.DOUBLE, q, q));

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
            x = layer.apply(x, qk, qk, x, encMask);
        }
        SDVariable memory = sd.identity("memory", x);

        SDVariable queryEmbed = scope.param("query_embed.weight", scope.normal(q, d));
        SDVariable zeros = sd.constant("tgt_zeros", Nd4j.zeros(DataType.DOUBLE, q, d));
        List<SDVariable> hopd = decoder("transformer.decoder", "hopd", "ins_attn_weight", cfg.hopdLayers(), zeros,
                queryEmbed, queryMask, memory, pos, crossMask);
        List<SDVariable> inter = decoder("transformer.interaction_decoder", "interaction", "rel_attn_weight",
                cfg.interLayers(), zeros, hopd.get(hopd.size() - 1), queryMask, memory, pos, crossMask);

        Heads spatial = new Heads(scope, "", cfg);
        spatial.apply(sd, "pred_", hopd.get(hopd.size() - 1), inter.get(inter.size() - 1));
        int m = Math.min(cfg.hopdLayers(), cfg.interLayers());
        this.auxCount = m - 1;
        for (int i = 0; i < auxCount; i++) {
            spatial.apply(sd, "aux" + i + "_pred_", hopd.get(cfg.hopdLayers() - m + i),
                    inter.get(cfg.interLayers() - m + i));
        }

        if (cfg.temporal()) {
            int w = cfg.prmWidth();
            SDVariable cur = sd.placeHolder("prm_cur", DataType.DOUBLE, q, w);
            SDVariable prmSelfMask = sd.constant("prm_self_mask", Nd4j.zeros(DataType.DOUBLE, q, q));
            int[] topk = cfg.prmTopk();
            for (int i = 0; i < topk.length; i++) {
                int k = topk[i] * cfg.refFrames();
                SDVariable refs = sd.placeHolder("prm_ref" + (i + 1), DataType.DOUBLE, k, w);
                SDVariable mask = sd.constant("prm_cross_mask" + (i + 1), Nd4j.zeros(DataType.DOUBLE, q, k));
                var layer = new PrmLayer(scope, "transformer.temporal_query_layer" + (i + 1), w, cfg.heads(), cfg.ffn());
                cur = sd.identity("prm_out" + (i + 1), layer.apply(cur, refs, prmSelfMask, mask));
            }
            SDVariable pair = cur.get(SDIndex.all(), SDIndex.interval(0, d));
            SDVariable rel = cur.get(SDIndex.all(), SDIndex.interval(d, w));
            new Heads(scope, "temporal_", cfg).apply(sd, "temporal_pred_", pair, rel);
        }
    }

    private List<SDVariable> decoder(String prefix, String out, String weightsName, int layers, SDVariable tgt,
            SDVariable queryPos, SDVariable queryMask, SDVariable memory, SDVariable pos, SDVariable crossMask) {
        List<OedDecoderLayer> ls = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            ls.add(new OedDecoderLayer(scope, prefix + ".layers." + i, cfg.dModel(), cfg.heads(), cfg.ffn()));
        }
        LayerNorm norm = new LayerNorm(scope, prefix + ".norm", cfg.dModel());
        List<SDVariable> stack = new ArrayList<>();
        SDVariable t = tgt;
        for (int i = 0; i < layers; i++) {
            SDVariable[] r = ls.get(i).apply(t, queryPos, queryMask, memory, pos, crossMask);
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

        void apply(SameDiff sd, String out, SDVariable pair, SDVariable rel) {
            sd.identity(out + "obj_logits", obj.apply(pair));
            sd.identity(out + "sub_boxes", sd.nn().sigmoid(mlp(sd, sub, pair)));
            sd.identity(out + "obj_boxes", sd.nn().sigmoid(mlp(sd, objBox, pair)));
            sd.identity(out + "attn_logits", attn.apply(rel));
            sd.identity(out + "spatial_logits", spatial.apply(rel));
            sd.identity(out + "contacting_logits", contacting.apply(rel));
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
        if (c5.rank() != 3 || c5.size(0) != cfg.c5Channels()) {
            throw new KitException("OED: C5 map must be [" + cfg.c5Channels() + ", h, w], got "
                    + java.util.Arrays.toString(c5.shape()));
        }
        if (mask.length == 0 || mask[0].length == 0) {
            throw new KitException("OED: the padding mask is empty (expected [H][W] of the input frame)");
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
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("c5", c5.castTo(DataType.DOUBLE).reshape(cfg.c5Channels(), hw).transpose().dup());
        ph.put("pos", posSeq);
        ph.put("enc_mask", keyRow.repeat(0, hw));
        ph.put("cross_mask", keyRow.repeat(0, cfg.queries()));
        List<String> names = new ArrayList<>(List.of("proj", "memory", "ins_attn_weight", "rel_attn_weight"));
        for (int i = 0; i < cfg.hopdLayers(); i++) {
            names.add("hopd" + i);
        }
        for (int i = 0; i < cfg.interLayers(); i++) {
            names.add("interaction" + i);
        }
        for (String head : HEADS) {
            names.add("pred_" + head);
            for (int i = 0; i < auxCount; i++) {
                names.add("aux" + i + "_pred_" + head);
            }
        }
        Map<String, INDArray> out = new LinkedHashMap<>(sd.output(ph, names.toArray(new String[0])));
        out.put("pos", posSeq);
        return new Frame(out, m, h, w);
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
        int q = cfg.queries();
        int w = cfg.prmWidth();
        INDArray all = Nd4j.create(DataType.DOUBLE, (long) refs.size() * q, w);
        double[] scores = new double[refs.size() * q];
        for (int r = 0; r < refs.size(); r++) {
            Frame f = refs.get(r);
            double[] s = Prm.score(f.get("pred_obj_logits"), f.get("pred_attn_logits"), f.get("pred_spatial_logits"),
                    f.get("pred_contacting_logits"));
            System.arraycopy(s, 0, scores, r * q, q);
            all.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) r * q, (long) (r + 1) * q),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(pairRel(f));
        }
        Map<String, INDArray> ph = new HashMap<>();
        ph.put("prm_cur", pairRel(key));
        int[] ks = cfg.prmTopk();
        int[][] idx = new int[ks.length][];
        for (int i = 0; i < ks.length; i++) {
            idx[i] = Prm.topk(scores, ks[i] * refs.size());
            ph.put("prm_ref" + (i + 1), Nd4j.pullRows(all, 1, idx[i]));
        }
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

    private INDArray pairRel(Frame f) {
        String ins = "hopd" + (cfg.hopdLayers() - 1);
        String rel = "interaction" + (cfg.interLayers() - 1);
        return Nd4j.hstack(f.get(ins), f.get(rel));
    }
}
