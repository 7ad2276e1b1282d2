package org.m3sgg.detector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.ResNetTrunk;
import org.m3sgg.nn.TorchWeights;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.sgdet.Detections;
import org.m3sgg.sgdet.FrameMaps;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * STTran's Action Genome detector: jwyang's faster-rcnn.pytorch with a Caffe-style ResNet ({@code resnet.py}:
 * {@code RCNN_base} = conv1, bn1, ReLU, max pool (ceil), layers 1-3; {@code RCNN_top} = layer 4), its RPN, the
 * proposal layer and the box head ({@link LayerFourHead}), run as STTran's {@code detector.forward} in SGDET test
 * mode. Depth and widths come from the checkpoint; the test settings from {@link DetectorSettings}. Forward only,
 * frozen batch norms. The convolutions are libnd4j's {@code conv2d} in one SameDiff graph (image to layer-3 map
 * and the RPN's outputs); proposals, NMS and the detection loop are host code on the small per-anchor arrays.
 */
public final class FasterRcnn {

    /** The outputs of the image graph for B frames: the layer-3 map and the RPN's [B, 2A | 4A, h, w] arrays. */
    public record BaseOutput(FrameMaps maps, float[] rpnClsScore, float[] rpnClsProb, float[] rpnBboxPred) {}

    /**
     * The detector's final detections of a video ({@code FINAL_BBOXES}, {@code FINAL_LABELS}, {@code FINAL_SCORES},
     * {@code FINAL_FEATURES}): boxes [N][5] = (frame, x1, y1, x2, y2) in original pixels, clamped at 0 from below.
     */
    public record Final(float[][] boxes, int[] labels, float[] scores, float[][] features) {
        /** As the SGDET pipeline's input (its tail recomputes labels and scores in test mode). */
        public Detections toDetections() {
            return new Detections(boxes, features, null, scores);
        }
    }

    /** Everything a pass computes, per frame where it is per frame (for the parity check and inspection). */
    public record Pass(BaseOutput base, float[][] anchors, float[][][] proposals, float[][] proposalScores,
            float[][] rois, LayerFourHead.Output head, float[][] predBoxes, Final detections) {}

    /**
     * Wall seconds of the last {@link #detect} call per stage: the image graph (convolutions up to layer 3 and the
     * RPN), the proposal layer (decode, sort, NMS), RoIAlign, the box head's graph (layer 4, mean, the two linear
     * layers) and the detection loop (decoding, per-class NMS).
     */
    public record StageSeconds(double base, double proposals, double roiAlign, double head, double detections) {
        public double total() {
            return base + proposals + roiAlign + head + detections;
        }
    }

    private volatile StageSeconds lastStages;

    private final DetectorSettings settings;
    private final SameDiff sd = SameDiff.create();
    private final LayerFourHead head;
    private final int baseChannels;
    private final float[][] baseAnchors;

    private FasterRcnn(TorchWeights w, DetectorSettings settings) {
        requireResNetDetector(w);
        this.settings = settings;
        ResNetTrunk trunk = new ResNetTrunk(sd, w, settings.precision());
        SDVariable image = sd.placeHolder("image", settings.precision(), -1, 3, -1, -1);
        ResNetTrunk.Size x = trunk.stem(new ResNetTrunk.Size(image, 3), "RCNN_base.0", "RCNN_base.1", 0, true);
        x = trunk.layer(x, "RCNN_base.4", 1, ResNetTrunk.StrideOn.FIRST_1X1);
        x = trunk.layer(x, "RCNN_base.5", 2, ResNetTrunk.StrideOn.FIRST_1X1);
        x = trunk.layer(x, "RCNN_base.6", 2, ResNetTrunk.StrideOn.FIRST_1X1);
        this.baseChannels = (int) x.channels();
        sd.identity("base_feat", x.x());
        int a = settings.anchorsPerCell();
        long[] rc = w.shape("RCNN_rpn.RPN_Conv.weight");
        if (rc.length != 4 || rc[1] != baseChannels || rc[2] != 3 || rc[3] != 3) {
            throw new KitException(w.source() + ": key 'RCNN_rpn.RPN_Conv.weight' has shape " + Arrays.toString(rc)
                    + ", expected [width, " + baseChannels + ", 3, 3]");
        }
        long width = rc[0];
        ResNetTrunk.Size conv = trunk.conv(x, w.takeRank("RCNN_rpn.RPN_Conv.weight", 4),
                w.take("RCNN_rpn.RPN_Conv.bias", width), 1, 1);
        ResNetTrunk.Size relu = new ResNetTrunk.Size(sd.nn().relu(conv.x(), 0), width);
        sd.identity("rpn_cls_score", trunk.conv(relu, w.take("RCNN_rpn.RPN_cls_score.weight", 2L * a, width, 1, 1),
                w.take("RCNN_rpn.RPN_cls_score.bias", 2L * a), 1, 0).x());
        sd.identity("rpn_bbox_pred", trunk.conv(relu, w.take("RCNN_rpn.RPN_bbox_pred.weight", 4L * a, width, 1, 1),
                w.take("RCNN_rpn.RPN_bbox_pred.bias", 4L * a), 1, 0).x());
        this.head = new LayerFourHead(w, baseChannels, settings.pool(), settings.precision());
        w.requireAllUsed("the Faster R-CNN");
        this.baseAnchors = Anchors.base(settings.baseSize(), settings.anchorRatios(), settings.anchorScales());
    }

    /**
     * Rejects, before anything is built, state dicts of another architecture with one line naming the key and what
     * was expected: no {@code RCNN_*} key at all (a relation model such as STTran's or OED's, or another network),
     * faster-rcnn.pytorch's VGG16 detector ({@code RCNN_base.0} a 3x3 convolution, {@code RCNN_top.0} a Linear
     * layer), and a class-agnostic box regressor ({@code RCNN_bbox_pred} with 4 outputs).
     */
    static void requireResNetDetector(TorchWeights w) {
        String src = w.source();
        if (w.keys().stream().noneMatch(k -> k.startsWith("RCNN_"))) {
            List<String> some = w.keys().stream().limit(3).toList();
            String first = some.isEmpty() ? "none" : "'" + String.join("', '", some) + "'";
            throw new KitException(src + ": not a Faster R-CNN checkpoint: no state_dict key starts with 'RCNN_' ("
                    + w.keys().size() + " keys, first " + first + guess(w) + "); expected faster-rcnn.pytorch's "
                    + "ResNet detector (RCNN_base.*, RCNN_rpn.*, RCNN_top.*, RCNN_cls_score.*, RCNN_bbox_pred.*)");
        }
        if (w.has("RCNN_top.0.weight")) {
            throw new KitException(src + ": key 'RCNN_top.0.weight' has shape "
                    + Arrays.toString(w.shape("RCNN_top.0.weight")) + ", a Linear layer (faster-rcnn.pytorch's "
                    + "VGG16 head); expected ResNet's layer 4 ('RCNN_top.0.0.conv1.weight', ...): only the ResNet "
                    + "detector is supported");
        }
        if (w.has("RCNN_base.0.weight")) {
            long[] s = w.shape("RCNN_base.0.weight");
            if (s.length != 4 || s[1] != 3 || s[2] != 7 || s[3] != 7) {
                throw new KitException(src + ": key 'RCNN_base.0.weight' has shape " + Arrays.toString(s)
                        + ", expected ResNet's 7x7 stem convolution [width, 3, 7, 7] (a 3x3 first convolution is "
                        + "faster-rcnn.pytorch's VGG16 detector, which is not supported)");
            }
        }
        if (w.has("RCNN_bbox_pred.weight") && w.has("RCNN_cls_score.weight")) {
            long[] b = w.shape("RCNN_bbox_pred.weight");
            long[] c = w.shape("RCNN_cls_score.weight");
            if (b.length == 2 && c.length == 2 && b[0] == 4 && c[0] != 1) {
                throw new KitException(src + ": key 'RCNN_bbox_pred.weight' has shape " + Arrays.toString(b)
                        + ", a class-agnostic box regressor (class_agnostic=True); expected [4 x " + c[0] + " = "
                        + 4 * c[0] + ", " + b[1] + "], one box per class as in STTran's detector (class-agnostic "
                        + "checkpoints are not supported)");
            }
        }
    }

    /** What a state dict without RCNN_ keys looks like, when its keys tell. */
    private static String guess(TorchWeights w) {
        boolean sttran = w.keys().stream().anyMatch(k -> k.startsWith("glocal_transformer.")
                || k.startsWith("a_rel_compress.") || k.startsWith("object_classifier."));
        if (sttran) {
            return ": an STTran-style relation model";
        }
        boolean detr = w.keys().stream().anyMatch(k -> k.startsWith("transformer.") || k.startsWith("query_embed")
                || k.contains("decoder.layers."));
        return detr ? ": a DETR-style model such as OED" : "";
    }

    /**
     * The detector from a faster-rcnn.pytorch checkpoint ({@code {'model': state_dict, ...}} as
     * {@code trainval_net.py} saves it, a {@code {'state_dict': ...}} or a bare state dict), zip or legacy
     * serialisation. Loading is strict:
     * every key must be used and every expected key present (batch norms with or without
     * {@code num_batches_tracked}).
     */
    public static FasterRcnn load(Path checkpoint, DetectorSettings settings) {
        return fromStateDict(stateDict(checkpoint), checkpoint.toString(), settings);
    }

    /**
     * The state dict of a faster-rcnn.pytorch checkpoint ({@code {'model': ...}}, {@code {'state_dict': ...}} or
     * bare), in file order; an error naming the file when it is not a dict of tensors.
     */
    public static Map<String, TorchTensor> stateDict(Path checkpoint) {
        Object root = TorchCheckpoint.load(checkpoint);
        if (!(root instanceof Map<?, ?> top)) {
            throw new KitException(checkpoint + ": expected a dict at the top of the checkpoint");
        }
        String key = top.containsKey("model") ? "model" : top.containsKey("state_dict") ? "state_dict" : null;
        Object sd = key == null ? top : top.get(key);
        if (!(sd instanceof Map<?, ?> m)) {
            throw new KitException(checkpoint + ": key '" + key + "' is not a dict");
        }
        Map<String, TorchTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof TorchTensor t)) {
                throw new KitException(checkpoint + ": state_dict key '" + e.getKey() + "' is not a tensor");
            }
            tensors.put(String.valueOf(e.getKey()), t);
        }
        return tensors;
    }

    /** The detector from state-dict tensors; {@code source} names the origin in errors. */
    public static FasterRcnn fromStateDict(Map<String, TorchTensor> tensors, String source,
            DetectorSettings settings) {
        return new FasterRcnn(new TorchWeights(tensors, source), settings);
    }

    /** The stage times of the last {@link #detect} call (null before the first). */
    public StageSeconds lastStages() {
        return lastStages;
    }

    public LayerFourHead head() {
        return head;
    }

    public DetectorSettings settings() {
        return settings;
    }

    /** C of the layer-3 map. */
    public int baseChannels() {
        return baseChannels;
    }

    /**
     * The image graph on B preprocessed frames {@code [B, 3, H, W]} (C order).
     *
     * @param scales each frame's resize factor ({@code im_info[:, 2]}), kept with the maps
     */
    public BaseOutput base(float[] images, int frames, int height, int width, float[] scales) {
        if ((long) frames * 3 * height * width != images.length) {
            throw new KitException("detector: " + images.length + " input values, expected B*3*H*W = "
                    + ((long) frames * 3 * height * width));
        }
        INDArray in = Nd4j.create(images, new long[] {frames, 3, height, width}, 'c').castTo(settings.precision());
        Map<String, INDArray> out = sd.output(Map.of("image", in), "base_feat", "rpn_cls_score", "rpn_bbox_pred");
        INDArray fmap = out.get("base_feat").castTo(DataType.FLOAT);
        FrameMaps maps = new FrameMaps(frames, (int) fmap.size(1), (int) fmap.size(2), (int) fmap.size(3),
                fmap.dup('c').data().asFloat(), scales.clone(), 1f / settings.featStride());
        float[] score = out.get("rpn_cls_score").castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] deltas = out.get("rpn_bbox_pred").castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new BaseOutput(maps, score, rpnProbabilities(score, frames, settings.anchorsPerCell(),
                maps.height() * maps.width()), deltas);
    }

    /** {@code rpn.py}'s softmax over (background a, foreground A + a) at each cell; same layout as the scores. */
    static float[] rpnProbabilities(float[] score, int frames, int a, int hw) {
        float[] p = new float[score.length];
        for (int b = 0; b < frames; b++) {
            for (int k = 0; k < a; k++) {
                int bg = (b * 2 * a + k) * hw;
                int fg = (b * 2 * a + a + k) * hw;
                for (int c = 0; c < hw; c++) {
                    float m = Math.max(score[bg + c], score[fg + c]);
                    float e0 = (float) Math.exp(score[bg + c] - m);
                    float e1 = (float) Math.exp(score[fg + c] - m);
                    float s = e0 + e1;
                    p[bg + c] = e0 / s;
                    p[fg + c] = e1 / s;
                }
            }
        }
        return p;
    }

    /**
     * STTran's {@code detector.forward} in SGDET test mode on one video's preprocessed frames: chunks of
     * {@link DetectorSettings#chunk} frames through the network, then per frame and class the detections.
     *
     * @param images [T, 3, H, W] preprocessed frames (C order)
     * @param imInfo [T][3] = (H, W, scale) as the loader's {@code im_info}
     */
    public Pass detect(float[] images, int frames, int height, int width, float[][] imInfo) {
        if (frames < 1) {
            throw new KitException("detector: no frames (expected at least one)");
        }
        if ((long) frames * 3 * height * width != images.length) {
            throw new KitException("detector: " + images.length + " input values, expected B*3*H*W = "
                    + ((long) frames * 3 * height * width));
        }
        if (imInfo.length != frames) {
            throw new KitException("detector: " + imInfo.length + " im_info rows for " + frames + " frames");
        }
        for (int t = 0; t < frames; t++) {
            if (imInfo[t] == null || imInfo[t].length != 3 || !(imInfo[t][0] > 0 && imInfo[t][1] > 0
                    && imInfo[t][2] > 0)) {
                throw new KitException("detector: im_info row " + t + " must be (H, W, scale), all positive, got "
                        + Arrays.toString(imInfo[t]));
            }
        }
        int a = settings.anchorsPerCell();
        int per = 3 * height * width;
        List<BaseOutput> bases = new ArrayList<>();
        float[][][] proposals = new float[frames][][];
        float[][] proposalScores = new float[frames][];
        float[][] rois = new float[frames * settings.postNms()][];
        float[][] predBoxes = new float[rois.length][];
        List<LayerFourHead.Output> heads = new ArrayList<>();
        List<float[]> boxes = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<float[]> features = new ArrayList<>();
        float[][] anchors = null;
        long tBase = 0;
        long tProposals = 0;
        long tRoi = 0;
        long tHead = 0;
        long tDetections = 0;
        for (int start = 0; start < frames; start += settings.chunk()) {
            long t0 = System.nanoTime();
            int n = Math.min(settings.chunk(), frames - start);
            float[] scales = new float[n];
            for (int i = 0; i < n; i++) {
                scales[i] = imInfo[start + i][2];
            }
            BaseOutput base = base(Arrays.copyOfRange(images, start * per, (start + n) * per), n, height, width,
                    scales);
            bases.add(base);
            long t1 = System.nanoTime();
            tBase += t1 - t0;
            FrameMaps maps = base.maps();
            int h = maps.height();
            int w = maps.width();
            int hw = h * w;
            anchors = Anchors.shifted(baseAnchors, h, w, settings.featStride());
            float[][] chunkRois = new float[n * settings.postNms()][];
            for (int i = 0; i < n; i++) {
                float[] fg = Arrays.copyOfRange(base.rpnClsProb(), (i * 2 * a + a) * hw, (i * 2 + 2) * a * hw);
                float[] deltas = Arrays.copyOfRange(base.rpnBboxPred(), i * 4 * a * hw, (i + 1) * 4 * a * hw);
                ProposalLayer.Result p = ProposalLayer.apply(fg, deltas, anchors, a, h, w, imInfo[start + i][0],
                        imInfo[start + i][1], i, settings.preNms(), settings.postNms(), settings.rpnNms());
                proposals[start + i] = p.all();
                proposalScores[start + i] = p.scores();
                System.arraycopy(p.rois(), 0, chunkRois, i * settings.postNms(), settings.postNms());
            }
            long t2 = System.nanoTime();
            tProposals += t2 - t1;
            LayerFourHead.Output out = head.run(maps, chunkRois);
            heads.add(out);
            long t3 = System.nanoTime();
            tRoi += head.lastRoiAlignNanos();
            tHead += t3 - t2 - head.lastRoiAlignNanos();
            float[][] pb = DetectionLoop.predictedBoxes(chunkRois, out.bboxPred(), settings.postNms(),
                    settings.deltaStds(), imInfo[0][0], imInfo[0][1], imInfo[start][2]);
            System.arraycopy(pb, 0, predBoxes, start * settings.postNms(), pb.length);
            for (int r = 0; r < chunkRois.length; r++) {
                float[] rr = chunkRois[r].clone();
                rr[0] = start + (int) rr[0];
                rois[start * settings.postNms() + r] = rr;
            }
            for (int i = 0; i < n; i++) {
                DetectionLoop.Found f = new DetectionLoop.Found();
                DetectionLoop.frame(out.clsProb(), pb, i * settings.postNms(), settings.postNms(), start + i,
                        settings.scoreThreshold(), settings.detectionNms(), f);
                boxes.addAll(f.boxes());
                labels.addAll(f.labels());
                scores.addAll(f.scores());
                for (int r : f.rows()) {
                    features.add(out.features()[r].clone());
                }
            }
            tDetections += System.nanoTime() - t3;
        }
        lastStages = new StageSeconds(tBase / 1e9, tProposals / 1e9, tRoi / 1e9, tHead / 1e9, tDetections / 1e9);
        float[][] fb = boxes.toArray(new float[0][]);
        for (float[] b : fb) {
            for (int k = 0; k < b.length; k++) {
                b[k] = Math.max(b[k], 0f);
            }
        }
        float[] fs = new float[scores.size()];
        for (int i = 0; i < fs.length; i++) {
            fs[i] = scores.get(i);
        }
        Final fin = new Final(fb, labels.stream().mapToInt(Integer::intValue).toArray(), fs,
                features.toArray(new float[0][]));
        return new Pass(concat(bases, frames), anchors, proposals, proposalScores, rois, concatHeads(heads),
                predBoxes, fin);
    }

    private static BaseOutput concat(List<BaseOutput> parts, int frames) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        FrameMaps m0 = parts.get(0).maps();
        float[] data = new float[frames * m0.frameLength()];
        float[] scales = new float[frames];
        int t = 0;
        int n1 = parts.get(0).rpnClsScore().length / m0.frames();
        int n2 = parts.get(0).rpnBboxPred().length / m0.frames();
        float[] score = new float[frames * n1];
        float[] prob = new float[frames * n1];
        float[] bbox = new float[frames * n2];
        for (BaseOutput p : parts) {
            FrameMaps m = p.maps();
            System.arraycopy(m.data(), 0, data, t * m0.frameLength(), m.data().length);
            System.arraycopy(m.scales(), 0, scales, t, m.frames());
            System.arraycopy(p.rpnClsScore(), 0, score, t * n1, p.rpnClsScore().length);
            System.arraycopy(p.rpnClsProb(), 0, prob, t * n1, p.rpnClsProb().length);
            System.arraycopy(p.rpnBboxPred(), 0, bbox, t * n2, p.rpnBboxPred().length);
            t += m.frames();
        }
        return new BaseOutput(new FrameMaps(frames, m0.channels(), m0.height(), m0.width(), data, scales,
                m0.spatialScale()), score, prob, bbox);
    }

    private static LayerFourHead.Output concatHeads(List<LayerFourHead.Output> parts) {
        List<float[]> f = new ArrayList<>();
        List<float[]> s = new ArrayList<>();
        List<float[]> p = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        for (LayerFourHead.Output o : parts) {
            f.addAll(Arrays.asList(o.features()));
            s.addAll(Arrays.asList(o.clsScore()));
            p.addAll(Arrays.asList(o.clsProb()));
            b.addAll(Arrays.asList(o.bboxPred()));
        }
        return new LayerFourHead.Output(f.toArray(new float[0][]), s.toArray(new float[0][]),
                p.toArray(new float[0][]), b.toArray(new float[0][]));
    }
}
