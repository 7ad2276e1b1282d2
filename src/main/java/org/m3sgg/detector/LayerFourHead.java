package org.m3sgg.detector;

import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.ResNetTrunk;
import org.m3sgg.nn.TorchWeights;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.sgdet.BoxHead;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.RoiAlign;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Faster R-CNN's box head: {@code RoIAlign(7x7, 1/16, 0)} on the layer-3 map ({@link RoiAlign}, aligned=False),
 * ResNet's layer 4 ({@code RCNN_top}, Caffe-style, stride 2: 7x7 -> 4x4), {@code _head_to_tail}'s
 * {@code .mean(3).mean(2)}, then the class scores ({@code RCNN_cls_score}) and the class-specific box deltas
 * ({@code RCNN_bbox_pred}). As a {@link BoxHead} it pools any boxes through the real head (STTran's SUPPLY of
 * missed ground-truth boxes, the SGDET test distribution).
 */
public final class LayerFourHead implements BoxHead {

    /** The head's outputs for R RoIs: features [R][F], class logits and probabilities [R][K], deltas [R][4K]. */
    public record Output(float[][] features, float[][] clsScore, float[][] clsProb, float[][] bboxPred) {}

    private final SameDiff sd = SameDiff.create();
    private final int channels;
    private final int dim;
    private final int classes;
    private final int pool;
    private final float[] clsWeight; // [K, F]
    private final float[] clsBias; // [K]
    private final DataType precision;
    private volatile long lastRoiAlignNanos;

    /** Builds the head from {@code RCNN_top.0.*}, {@code RCNN_cls_score.*} and {@code RCNN_bbox_pred.*}. */
    LayerFourHead(TorchWeights w, long channels, int pool, DataType precision) {
        this.channels = (int) channels;
        this.pool = pool;
        this.precision = precision;
        ResNetTrunk trunk = new ResNetTrunk(sd, w, precision);
        SDVariable pooled = sd.placeHolder("pooled", precision, -1, channels, pool, pool);
        ResNetTrunk.Size top = trunk.layer(new ResNetTrunk.Size(pooled, channels), "RCNN_top.0", 2,
                ResNetTrunk.StrideOn.FIRST_1X1);
        this.dim = (int) top.channels();
        SDVariable feat = sd.mean(sd.mean(top.x(), 3), 2);
        sd.identity("roi_features", feat);
        long[] cs = w.shape("RCNN_cls_score.weight");
        if (cs.length != 2 || cs[1] != dim) {
            throw new KitException(w.source() + ": key 'RCNN_cls_score.weight' has shape "
                    + java.util.Arrays.toString(cs) + ", expected [classes, " + dim + "]");
        }
        this.classes = (int) cs[0];
        INDArray cw = w.take("RCNN_cls_score.weight", (long) classes, dim);
        INDArray cb = w.take("RCNN_cls_score.bias", (long) classes);
        INDArray bw = w.take("RCNN_bbox_pred.weight", 4L * classes, dim);
        INDArray bb = w.take("RCNN_bbox_pred.bias", 4L * classes);
        this.clsWeight = cw.dup('c').data().asFloat();
        this.clsBias = cb.dup('c').data().asFloat();
        sd.identity("cls_score", sd.mmul(feat, sd.constant("cls_w", cw.castTo(precision)), false, true, false)
                .add(sd.constant("cls_b", cb.castTo(precision))));
        sd.identity("bbox_pred", sd.mmul(feat, sd.constant("bbox_w", bw.castTo(precision)), false, true, false)
                .add(sd.constant("bbox_b", bb.castTo(precision))));
    }

    /** The state-dict prefixes of the head's parameters (layer 4, class scores, box deltas). */
    public static final java.util.List<String> PREFIXES = java.util.List.of("RCNN_top.", "RCNN_cls_score.",
            "RCNN_bbox_pred.");

    /**
     * The head alone from its state-dict tensors (the keys under {@link #PREFIXES}, with or without the batch
     * norms' {@code num_batches_tracked}), float32; strict: every key used, every expected key present. The width
     * of the layer-3 map it pools is read from the first convolution.
     *
     * @param source names the origin in errors (a file)
     */
    public static LayerFourHead fromStateDict(Map<String, TorchTensor> tensors, String source, int pool) {
        TorchWeights w = new TorchWeights(tensors, source);
        String first = "RCNN_top.0.0.conv1.weight";
        if (!w.has(first)) {
            throw new KitException(source + ": no key '" + first + "': not the layer-4 head of a Faster R-CNN");
        }
        long[] s = w.shape(first);
        if (s.length != 4) {
            throw new KitException(source + ": key '" + first + "' has shape " + java.util.Arrays.toString(s)
                    + ", expected [width, channels, 1, 1]");
        }
        LayerFourHead h = new LayerFourHead(w, s[1], pool, DataType.FLOAT);
        w.requireAllUsed("the detector's box head (layer 4, class scores, box deltas)");
        return h;
    }

    /** The tensors of {@code stateDict} that belong to the head ({@link #PREFIXES}), in their order. */
    public static Map<String, TorchTensor> headTensors(Map<String, TorchTensor> stateDict) {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            if (PREFIXES.stream().anyMatch(k::startsWith)) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public int featureDim() {
        return dim;
    }

    /** K, the classes with background. */
    public int classes() {
        return classes;
    }

    /** C, the channels of the layer-3 map the head pools. */
    public int channels() {
        return channels;
    }

    /** Features, class scores, probabilities and box deltas of {@code rois} pooled from {@code maps}. */
    public Output run(FrameMaps maps, float[][] rois) {
        if (maps.channels() != channels) {
            throw new KitException("detector head takes " + channels + "-channel maps, got " + maps.channels());
        }
        int r = rois.length;
        if (r == 0) {
            lastRoiAlignNanos = 0;
            return new Output(new float[0][], new float[0][], new float[0][], new float[0][]);
        }
        long t0 = System.nanoTime();
        float[] pooled = RoiAlign.apply(maps, rois, pool);
        lastRoiAlignNanos = System.nanoTime() - t0;
        INDArray in = Nd4j.create(pooled, new long[] {r, channels, pool, pool}, 'c').castTo(precision);
        Map<String, INDArray> out = sd.output(Map.of("pooled", in), "roi_features", "cls_score", "bbox_pred");
        float[][] score = out.get("cls_score").castTo(DataType.FLOAT).toFloatMatrix();
        float[][] prob = new float[r][];
        for (int i = 0; i < r; i++) {
            prob[i] = softmax(score[i]);
        }
        return new Output(out.get("roi_features").castTo(DataType.FLOAT).toFloatMatrix(), score, prob,
                out.get("bbox_pred").castTo(DataType.FLOAT).toFloatMatrix());
    }

    /** Wall nanoseconds of RoIAlign in the last {@link #run} (0 before the first or for no RoIs). */
    long lastRoiAlignNanos() {
        return lastRoiAlignNanos;
    }

    @Override
    public float[][] features(FrameMaps maps, float[][] rois) {
        return run(maps, rois).features();
    }

    @Override
    public float[] classLogits(float[] feature) {
        if (feature.length != dim) {
            throw new KitException("detector head: a feature of " + feature.length + " values, expected " + dim);
        }
        float[] z = new float[classes];
        for (int k = 0; k < classes; k++) {
            float s = 0;
            for (int i = 0; i < dim; i++) {
                s += clsWeight[k * dim + i] * feature[i];
            }
            z[k] = s + clsBias[k];
        }
        return z;
    }

    /** Softmax in float32: maximum subtracted, exponent, sum, divided. */
    static float[] softmax(float[] z) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : z) {
            max = Math.max(max, v);
        }
        float[] p = new float[z.length];
        float sum = 0;
        for (int k = 0; k < z.length; k++) {
            p[k] = (float) Math.exp(z[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < z.length; k++) {
            p[k] /= sum;
        }
        return p;
    }
}
