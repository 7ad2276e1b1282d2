package org.m3sgg.models.oed;

import java.util.Arrays;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchTensor;

/**
 * Widths and depths of an OED model. They come from a checkpoint: layer counts, width, heads, FFN width and query
 * count from its pickled {@code args}; class counts and the backbone's C5 width from the state dict's shapes; whether
 * the model is temporal from the presence of the PRM layers. The PRM's per-reference-frame top-k (80 / 50 / 30 in
 * OED's code) are literals of the reference, not arguments, so they are a parameter here.
 *
 * @param c5Channels      channels of the backbone's last stage (2048 for ResNet-50)
 * @param dModel          transformer width ({@code hidden_dim})
 * @param heads           attention heads ({@code nheads}), also used by the PRM
 * @param ffn             feed-forward width ({@code dim_feedforward}), also used by the PRM
 * @param encLayers       encoder layers
 * @param hopdLayers      pair-wise instance decoder layers
 * @param interLayers     interaction decoder layers
 * @param queries         queries per frame
 * @param objLogits       object logits (classes including background, plus no-object)
 * @param attnLogits      attention logits (classes plus background)
 * @param spatialLogits   spatial logits
 * @param contactLogits   contacting logits
 * @param temporal        whether the model has the Progressively Refined Module
 * @param refFrames       reference frames per key frame (temporal only)
 * @param prmTopk         reference queries kept per reference frame by each PRM layer (temporal only)
 */
public record OedConfig(int c5Channels, int dModel, int heads, int ffn, int encLayers, int hopdLayers,
        int interLayers, int queries, int objLogits, int attnLogits, int spatialLogits, int contactLogits,
        boolean temporal, int refFrames, int[] prmTopk) {

    /** OED's published PRM top-k per reference frame ({@code cdn_multi_sgdet.py}). */
    public static final int[] PUBLISHED_TOPK = {80, 50, 30};

    public OedConfig {
        for (int v : new int[] {c5Channels, dModel, heads, ffn, encLayers, hopdLayers, interLayers, queries,
                objLogits, attnLogits, spatialLogits, contactLogits}) {
            if (v <= 0) {
                throw new KitException("OED config: every width and depth must be positive, got " + v);
            }
        }
        if (dModel % heads != 0) {
            throw new KitException("OED config: hidden_dim " + dModel + " is not divisible by nheads " + heads);
        }
        if (attnLogits < 2 || objLogits < 2) {
            throw new KitException("OED config: object and attention heads need a background logit");
        }
        prmTopk = prmTopk.clone();
        if (temporal) {
            if (refFrames <= 0 || prmTopk.length == 0) {
                throw new KitException("OED config: a temporal model needs reference frames and PRM top-k values");
            }
            for (int k : prmTopk) {
                if (k <= 0 || k > queries) {
                    throw new KitException("OED config: PRM top-k " + k + " per reference frame must be in 1.."
                            + queries + " (the query count)");
                }
            }
        }
    }

    @Override
    public int[] prmTopk() {
        return prmTopk.clone();
    }

    /** Width of the PRM (pair and relation queries side by side). */
    public int prmWidth() {
        return 2 * dModel;
    }

    /** Object classes scored by the post-processing (the no-object logit dropped). */
    public int objectClasses() {
        return objLogits - 1;
    }

    /** The configuration of a checkpoint ({@link OedCheckpoint}); {@code prmTopk} used only when temporal. */
    public static OedConfig from(OedCheckpoint ck, int[] prmTopk) {
        Map<String, Object> a = ck.args();
        Map<String, TorchTensor> sd = ck.stateDict();
        boolean temporal = sd.containsKey("transformer.temporal_query_layer1.self_attn.in_proj_weight");
        int dModel = intArg(a, "hidden_dim", ck);
        if (temporal) {
            if (intArg(a, "dec_layers_temporal", ck) != 1 || boolArg(a, "one_temp", ck) || boolArg(a, "seq_sort", ck)) {
                throw new KitException(ck.source() + ": only dec_layers_temporal 1 without --one_temp and --seq_sort "
                        + "is supported (OED's published temporal SGDET setting)");
            }
        }
        if (a.containsKey("dsgg_task") && !"sgdet".equals(a.get("dsgg_task"))) {
            throw new KitException(ck.source() + ": args.dsgg_task is '" + a.get("dsgg_task") + "'; only OED's SGDET "
                    + "models (dsgg_task sgdet) are supported (PredCLS builds a different model)");
        }
        if (temporal && a.containsKey("query_temporal_interaction") && !boolArg(a, "query_temporal_interaction", ck)) {
            throw new KitException(ck.source() + ": args.query_temporal_interaction is false; the kit's temporal "
                    + "stage is OED's Progressively Refined Module (--query_temporal_interaction)");
        }
        for (String flag : new String[] {"pre_norm", "dilation", "fuse_semantic_pos", "use_matched_query", "masks",
                "use_roi", "semantic_head", "temporal_feature_encoder", "instance_temporal_interaction",
                "relation_temporal_interaction", "temporal_embed_head", "temporal_decoder_init", "one_dec"}) {
            if (a.containsKey(flag) && boolArg(a, flag, ck)) {
                throw new KitException(ck.source() + ": args." + flag + " is true; only OED's default (false) is supported");
            }
        }
        return new OedConfig((int) shape(sd, "input_proj.weight", ck)[1], dModel, intArg(a, "nheads", ck),
                intArg(a, "dim_feedforward", ck), intArg(a, "enc_layers", ck), intArg(a, "dec_layers_hopd", ck),
                intArg(a, "dec_layers_interaction", ck), intArg(a, "num_queries", ck),
                (int) shape(sd, "obj_class_embed.weight", ck)[0], (int) shape(sd, "attn_class_embed.weight", ck)[0],
                (int) shape(sd, "spatial_class_embed.weight", ck)[0],
                (int) shape(sd, "contacting_class_embed.weight", ck)[0], temporal,
                temporal ? intArg(a, "num_ref_frames", ck) : 0, prmTopk);
    }

    private static long[] shape(Map<String, TorchTensor> sd, String key, OedCheckpoint ck) {
        TorchTensor t = sd.get(key);
        if (t == null) {
            throw new KitException(ck.source() + ": state_dict key '" + key + "' missing (not an OED checkpoint?)");
        }
        return t.shape();
    }

    private static int intArg(Map<String, Object> a, String key, OedCheckpoint ck) {
        Object v = a.get(key);
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new KitException(ck.source() + ": args." + key + " missing or not an integer (found " + v + ")");
        }
        return n.intValue();
    }

    private static boolean boolArg(Map<String, Object> a, String key, OedCheckpoint ck) {
        Object v = a.get(key);
        if (!(v instanceof Boolean b)) {
            throw new KitException(ck.source() + ": args." + key + " missing or not a boolean (found " + v + ")");
        }
        return b;
    }

    @Override
    public String toString() {
        return "OedConfig[c5=" + c5Channels + ", d=" + dModel + ", heads=" + heads + ", ffn=" + ffn + ", layers="
                + encLayers + "/" + hopdLayers + "/" + interLayers + ", queries=" + queries + ", logits=" + objLogits
                + "/" + attnLogits + "/" + spatialLogits + "/" + contactLogits + ", temporal=" + temporal
                + (temporal ? ", refFrames=" + refFrames + ", topk=" + Arrays.toString(prmTopk) : "") + "]";
    }
}
