package org.m3sgg.models.oed;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.models.FrameModel;
import org.m3sgg.models.ModelState;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.Quiet;
import org.m3sgg.sgdet.FrameMaps;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * OED in the kit's trainer ({@code --model oed}): {@link OedModel} with its loss, fed a frame map per annotated
 * frame. SGDET: the learned queries, Hungarian matching ({@link OedMatcher}) on the last and every auxiliary layer.
 * PredCLS: one query per ground-truth pair built from its object class and boxes, query i matched to pair i
 * ({@code dsgg_single_xcls.py}). A temporal config is OED's second stage: the spatial part is frozen (its
 * parameters are not trainable; start it with {@code --init-from} a spatial run), the PRM and the temporal heads
 * (initialised from the spatial heads, as OED's {@code --pretrained} loading copies them) train on the key frame's
 * temporal outputs; each annotated frame is a key frame whose references are the {@code refFrames} annotated
 * frames before it (the earliest frame standing in where there are fewer).
 *
 * <p>Predictions for the kit's evaluator: query i is the pair (i, Q + i); SGDET boxes are OED's normalised cxcywh
 * scaled to the frame's pixels, the subject labelled person with score 1, the object labelled with its most
 * probable class among 1..C-1 (the kit's labels; OED's argmax may also pick the background class 0); PredCLS keeps
 * the ground-truth boxes and labels with score 1 as OED's PredCLS evaluation does. Attention is the softmax without
 * the background logit, spatial and contacting the sigmoids ({@link OedPostProcess}).
 */
public final class OedKitModel implements FrameModel {

    private final OedRunConfig config;
    private final Mode mode;
    private final OedConfig arch;
    private final OedModel model;
    private final OedLossWeights weights;

    private OedKitModel(OedRunConfig config, Mode mode, long seed) {
        if (mode == Mode.SGCLS) {
            throw new KitException("model 'oed' trains in predcls or sgdet (OED's SGCLS variant is not here)");
        }
        this.config = config;
        this.mode = mode;
        this.arch = config.architecture();
        this.weights = config.lossWeights();
        this.model = OedModel.trainable(arch, seed, mode == Mode.PREDCLS
                ? new OedModel.PredclsQueries(config.classVectorDim()) : null, weights);
    }

    /** The registry's factory. */
    public static OedKitModel build(OedRunConfig config, Mode mode, long seed) {
        return new OedKitModel(config, mode, seed);
    }

    /** The graph model inside. */
    public OedModel oed() {
        return model;
    }

    @Override
    public String name() {
        return "oed";
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public OedRunConfig config() {
        return config;
    }

    @Override
    public SameDiff graph() {
        return model.graph();
    }

    /** Spatial: every parameter; temporal: the PRM layers and temporal heads only (OED's --freeze_mode 1). */
    @Override
    public List<String> trainableParameters() {
        List<String> out = new ArrayList<>();
        for (String p : model.scope().trainable()) {
            if (!arch.temporal() || isTemporal(p)) {
                out.add(p);
            }
        }
        return out;
    }

    static boolean isTemporal(String name) {
        return name.startsWith("temporal_") || name.startsWith("transformer.temporal_");
    }

    /**
     * A temporal parameter's source in a spatial checkpoint: {@code temporal_<head>} starts from {@code <head>}
     * (OED's {@code --query_temporal_interaction} loading); null for the PRM layers, which start fresh.
     */
    @Override
    public String initAlias(String name) {
        return name.startsWith("temporal_") ? name.substring("temporal_".length()) : null;
    }

    @Override
    public long parameterCount() {
        return ModelState.parameterCount(model.scope());
    }

    @Override
    public Map<String, INDArray> state() {
        return ModelState.of(model.scope());
    }

    @Override
    public void loadState(Map<String, INDArray> state, String source) {
        ModelState.load(state(), state, source, "oed");
    }

    // ---- the per-box interface does not apply -----------------------------------------------------------------

    private static KitException perBox() {
        return new KitException("model 'oed' reads frame maps, not per-box inputs: train and score it through the "
                + "trainer (bin/m3sgg train / eval), which hands it whole frames");
    }

    @Override
    public Map<String, INDArray> forward(RelationInputs in) {
        throw perBox();
    }

    @Override
    public INDArray objectLogits(RelationInputs in) {
        throw perBox();
    }

    @Override
    public double trainStep(List<RelationInputs> in, List<RelationTargets> targets, AdamW optimizer) {
        throw perBox();
    }

    @Override
    public Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets) {
        throw perBox();
    }

    // ---- frames ---------------------------------------------------------------------------------------------------

    /**
     * Frame {@code t}'s map as [C, h, w], average-pooled by {@code mapPool} (cells past a whole window dropped),
     * with each cell's normalised centre x and y as two more channels when {@code mapCoords}.
     */
    INDArray map(FrameMaps maps, int t) {
        int coords = config.mapCoords() ? 2 : 0;
        if (maps.channels() + coords != arch.c5Channels()) {
            throw new KitException("oed: the frame maps have " + maps.channels() + " channels"
                    + (coords > 0 ? " (+ 2 coordinate channels, model.map_coords)" : "") + ", model.c5_channels is "
                    + arch.c5Channels());
        }
        int k = config.mapPool();
        int h = maps.height() / k;
        int w = maps.width() / k;
        if (h < 1 || w < 1) {
            throw new KitException("oed: a " + maps.height() + " x " + maps.width() + " frame map is smaller than "
                    + "model.map_pool " + k);
        }
        float[] d = maps.data();
        int off = maps.offset(t);
        int c0 = maps.channels();
        double[] out = new double[(c0 + coords) * h * w];
        for (int c = 0; c < c0; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double s = 0;
                    for (int dy = 0; dy < k; dy++) {
                        for (int dx = 0; dx < k; dx++) {
                            s += d[off + (c * maps.height() + y * k + dy) * maps.width() + x * k + dx];
                        }
                    }
                    out[(c * h + y) * w + x] = s / (k * k);
                }
            }
        }
        if (coords > 0) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[(c0 * h + y) * w + x] = (x + 0.5) / w;
                    out[((c0 + 1) * h + y) * w + x] = (y + 0.5) / h;
                }
            }
        }
        return Nd4j.create(out, new long[] {c0 + coords, h, w}, DataType.DOUBLE);
    }

    OedModel.FrameInputs inputs(Clip clip, int t) {
        INDArray c5 = map(clip.maps(), t);
        boolean[][] mask = new boolean[(int) c5.size(1)][(int) c5.size(2)];
        AgFrame f = clip.video().frames().get(t);
        return model.inputs(c5, mask, mode == Mode.PREDCLS ? queries(f, clip.video().width(),
                clip.video().height()) : null);
    }

    /** OED's targets of one frame: one row per (person, object) pair, boxes normalised cxcywh. */
    OedTargets targets(AgFrame f, int width, int height) {
        int n = f.objects().size();
        int[] labels = new int[n];
        double[][] sub = new double[n][];
        double[][] obj = new double[n][];
        double[][] att = new double[n][arch.attnLogits() - 1];
        double[][] spa = new double[n][arch.spatialLogits()];
        double[][] con = new double[n][arch.contactLogits()];
        double[] person = cxcywh(f.personBox(), width, height);
        for (int i = 0; i < n; i++) {
            AgObject o = f.objects().get(i);
            labels[i] = o.label();
            sub[i] = person.clone();
            obj[i] = o.box() == null ? new double[4] : cxcywh(o.box(), width, height);
            for (int a : o.attention()) {
                att[i][a] = 1;
            }
            for (int s : o.spatial()) {
                spa[i][s] = 1;
            }
            for (int c : o.contacting()) {
                con[i][c] = 1;
            }
        }
        return new OedTargets(labels, sub, obj, att, spa, con);
    }

    private OedModel.PairQueries queries(AgFrame f, int width, int height) {
        OedTargets t = targets(f, width, height);
        int n = t.size();
        double[][] oneHot = new double[n][arch.objLogits() - 1];
        double[][] boxes = new double[n][12];
        for (int i = 0; i < n; i++) {
            oneHot[i][t.objLabels()[i]] = 1;
            double[] s = t.subBoxes()[i];
            double[] o = t.objBoxes()[i];
            System.arraycopy(s, 0, boxes[i], 0, 4);
            System.arraycopy(o, 0, boxes[i], 4, 4);
            boxes[i][8] = s[0] - o[0];
            boxes[i][9] = s[1] - o[1];
            boxes[i][10] = s[2] * s[3];
            boxes[i][11] = o[2] * o[3];
        }
        return new OedModel.PairQueries(oneHot, boxes);
    }

    static double[] cxcywh(Box b, int width, int height) {
        return new double[] {(b.x1() + b.x2()) / 2 / width, (b.y1() + b.y2()) / 2 / height, b.width() / width,
            b.height() / height};
    }

    private List<Integer> refIndices(int t) {
        List<Integer> refs = new ArrayList<>();
        for (int r = 1; r <= arch.refFrames(); r++) {
            refs.add(Math.max(0, t - r));
        }
        return refs;
    }

    private static OedMatcher.Outputs outputs(Map<String, INDArray> out, String prefix) {
        return new OedMatcher.Outputs(rows(out.get(prefix + "obj_logits")), rows(out.get(prefix + "sub_boxes")),
                rows(out.get(prefix + "obj_boxes")), rows(out.get(prefix + "attn_logits")),
                rows(out.get(prefix + "spatial_logits")), rows(out.get(prefix + "contacting_logits")));
    }

    private static int[][] identity(int n) {
        int[] id = java.util.stream.IntStream.range(0, n).toArray();
        return new int[][] {id, id};
    }

    private static double[][] rows(INDArray a) {
        return a.castTo(DataType.DOUBLE).toDoubleMatrix();
    }

    private int[][] match(OedMatcher.Outputs out, OedTargets t) {
        return mode == Mode.PREDCLS ? identity(t.size()) : OedMatcher.match(out, t, weights);
    }

    // ---- training -------------------------------------------------------------------------------------------------

    /**
     * Bound on a run's encoder attention scores (B · heads · HW² · encoder layers) when frames of a video run
     * together: a video's annotated frames go through the graph in chunks of at most this many score entries (whole
     * frames, at least one). The quick widths take 15 world frames a run (about 5 GB resident in training); the
     * published widths one frame (a second 19 x 32 frame would pass 7 GB).
     */
    static final long CHUNK_SCORES = 24_000_000L;

    @Override
    public double trainStep(List<Clip> clips, AdamW optimizer) {
        Map<String, INDArray> grads = null;
        double loss = 0;
        int frames = 0;
        for (Clip clip : clips) {
            List<AgFrame> fs = clip.video().frames();
            List<OedModel.Frame> spatial = arch.temporal() ? spatialFrames(clip) : null;
            List<Integer> annotated = new ArrayList<>();
            for (int t = 0; t < fs.size(); t++) {
                if (!fs.get(t).objects().isEmpty()) {
                    annotated.add(t);
                }
            }
            // the PRM stage: one key frame a run
            for (List<Integer> chunk : chunks(annotated, arch.temporal() ? 1 : spatialChunk(clip))) {
                Map<String, INDArray> ph = arch.temporal() ? temporalInputs(spatial, chunk.get(0), clip)
                        : spatialInputs(clip, chunk);
                String total = (arch.temporal() ? OedModel.TEMPORAL : "") + OedCriterion.TOTAL;
                Quiet.createGradFunction(model.graph());
                OutAndGrad r = model.graph().calculateGradientsAndOutputs(ph, List.of(total), optimizer.params());
                // the run's loss and gradients are its frames' mean: weigh by the frame count
                loss += r.getOutputs().get(total).getDouble(0) * chunk.size();
                frames += chunk.size();
                for (INDArray g : r.getGradients().values()) {
                    g.muli(chunk.size());
                }
                grads = ModelState.accumulate(grads, r.getGradients());
                // off-heap buffers freed now rather than left to the garbage collector (GBs over a run)
                ModelState.release(r.getGradients().values());
                ModelState.release(r.getOutputs().values());
            }
        }
        if (frames == 0) {
            throw new KitException("oed: a training step's videos have no annotated pair in any frame");
        }
        for (INDArray g : grads.values()) {
            g.divi(frames);
        }
        optimizer.step(grads);
        ModelState.release(grads.values());
        return loss / frames;
    }

    /**
     * Frames that run through the graph together: the spatial pass takes a video's frames in chunks
     * ({@link #CHUNK_SCORES}).
     */
    private int spatialChunk(Clip clip) {
        long hw = (long) (clip.maps().height() / config.mapPool()) * (clip.maps().width() / config.mapPool());
        return (int) Math.max(1, CHUNK_SCORES / (arch.heads() * hw * hw * arch.encLayers()));
    }

    private static List<List<Integer>> chunks(List<Integer> frames, int size) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i += size) {
            out.add(frames.subList(i, Math.min(frames.size(), i + size)));
        }
        return out;
    }

    /** The spatial stage's placeholders of frames run together, with their matched targets. */
    Map<String, INDArray> spatialInputs(Clip clip, List<Integer> frames) {
        List<OedModel.FrameInputs> ins = new ArrayList<>();
        for (int t : frames) {
            ins.add(inputs(clip, t));
        }
        Map<String, INDArray> ph = new HashMap<>(model.batch(ins));
        // SGDET matches each frame's outputs to its targets; PredCLS pairs query i with pair i (no forward run)
        List<OedModel.Frame> out = mode == Mode.SGDET ? model.frames(ph, ins) : null;
        int q = OedModel.block(ins);
        List<Map<String, INDArray>> targets = new ArrayList<>();
        for (int b = 0; b < frames.size(); b++) {
            AgFrame f = clip.video().frames().get(frames.get(b));
            OedTargets target = targets(f, clip.video().width(), clip.video().height());
            Map<String, INDArray> mine = new HashMap<>();
            for (int l = 0; l <= model.auxCount(); l++) {
                String prefix = l == 0 ? "pred_" : "aux" + (l - 1) + "_pred_";
                int[][] m = out == null ? identity(target.size())
                        : OedMatcher.match(outputs(out.get(b).outputs(), prefix), target, weights);
                mine.putAll(OedCriterion.targets("", l, m, target, q, arch.objLogits(), arch.attnLogits(), weights,
                        mode == Mode.SGDET));
            }
            targets.add(mine);
        }
        ph.putAll(OedCriterion.batch(targets, q));
        return ph;
    }

    /** Every frame's spatial pass (a video's frames in chunks of one run each, {@link #spatialChunk}). */
    private List<OedModel.Frame> spatialFrames(Clip clip) {
        List<Integer> all = java.util.stream.IntStream.range(0, clip.video().frames().size()).boxed().toList();
        List<OedModel.Frame> out = new ArrayList<>();
        for (List<Integer> chunk : chunks(all, spatialChunk(clip))) {
            List<OedModel.FrameInputs> ins = new ArrayList<>();
            for (int t : chunk) {
                ins.add(inputs(clip, t));
            }
            out.addAll(model.frames(ins));
        }
        return out;
    }

    private Map<String, INDArray> temporalPlaceholders(List<OedModel.Frame> frames, int t) {
        List<OedModel.Frame> refs = new ArrayList<>();
        for (int r : refIndices(t)) {
            refs.add(frames.get(r));
        }
        return model.selectReferences(frames.get(t), refs).placeholders();
    }

    private Map<String, INDArray> temporalInputs(List<OedModel.Frame> frames, int t, Clip clip) {
        OedTargets target = targets(clip.video().frames().get(t), clip.video().width(), clip.video().height());
        Map<String, INDArray> ph = new HashMap<>(temporalPlaceholders(frames, t));
        Map<String, INDArray> heads = model.graph().output(ph, temporalHeadNames());
        int q = (int) ph.get("prm_cur").size(0);
        ph.putAll(OedCriterion.targets(OedModel.TEMPORAL, 0, match(outputs(heads, "temporal_pred_"), target), target,
                q, arch.objLogits(), arch.attnLogits(), weights, mode == Mode.SGDET));
        return ph;
    }

    private static String[] temporalHeadNames() {
        return OedModel.HEADS.stream().map(h -> "temporal_pred_" + h).toArray(String[]::new);
    }

    // ---- predictions ----------------------------------------------------------------------------------------------

    @Override
    public List<FramePrediction> predict(Clip clip) {
        List<AgFrame> fs = clip.video().frames();
        List<OedModel.Frame> frames = spatialFrames(clip);
        List<FramePrediction> out = new ArrayList<>();
        for (int t = 0; t < fs.size(); t++) {
            Map<String, INDArray> heads = new HashMap<>();
            String prefix;
            if (arch.temporal()) {
                heads = model.graph().output(temporalPlaceholders(frames, t), temporalHeadNames());
                prefix = "temporal_pred_";
            } else {
                heads = frames.get(t).outputs();
                prefix = "pred_";
            }
            out.add(prediction(heads, prefix, fs.get(t), clip.video().width(), clip.video().height()));
        }
        return out;
    }

    private FramePrediction prediction(Map<String, INDArray> h, String p, AgFrame f, int width, int height) {
        OedPostProcess post = OedPostProcess.of(h.get(p + "obj_logits"), h.get(p + "sub_boxes"),
                h.get(p + "obj_boxes"), h.get(p + "attn_logits"), h.get(p + "spatial_logits"),
                h.get(p + "contacting_logits"));
        int q = post.pairs().length;
        double[][] boxes = new double[2 * q][];
        int[] labels = new int[2 * q];
        double[] scores = new double[2 * q];
        if (mode == Mode.PREDCLS) {
            double[] person = {f.personBox().x1(), f.personBox().y1(), f.personBox().x2(), f.personBox().y2()};
            for (int i = 0; i < q; i++) {
                AgObject o = f.objects().get(i);
                boxes[i] = person.clone();
                labels[i] = 1;
                scores[i] = 1;
                boxes[q + i] = new double[] {o.box().x1(), o.box().y1(), o.box().x2(), o.box().y2()};
                labels[q + i] = o.label();
                scores[q + i] = 1;
            }
        } else {
            double[][] logits = rows(h.get(p + "obj_logits"));
            for (int i = 0; i < q; i++) {
                boxes[i] = pixels(post.boxes()[i], width, height);
                labels[i] = 1;
                scores[i] = 1;
                boxes[q + i] = pixels(post.boxes()[q + i], width, height);
                double[] prob = Prm.softmax(logits[i]);
                int best = 1;
                for (int c = 2; c < prob.length - 1; c++) {
                    if (prob[c] > prob[best]) {
                        best = c;
                    }
                }
                labels[q + i] = best;
                scores[q + i] = prob[best];
            }
        }
        return new FramePrediction(boxes, labels, scores, post.pairs(), post.attention(), post.spatial(),
                post.contacting());
    }

    private static double[] pixels(double[] cxcywh, int width, int height) {
        double cx = cxcywh[0] * width;
        double cy = cxcywh[1] * height;
        double w = cxcywh[2] * width;
        double hh = cxcywh[3] * height;
        return new double[] {cx - w / 2, cy - hh / 2, cx + w / 2, cy + hh / 2};
    }
}
