package org.m3sgg.detector;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.m3sgg.nn.torch.TorchTensor;

/**
 * A faster-rcnn.pytorch state dict with seeded random weights (key names and shapes as {@code resnet.py} and
 * {@code rpn.py} make them): any block counts and widths, e.g. {@link #resnet101} for the published detector's
 * architecture at full size. Convolutions are N(0, 1/fan-in), batch norms close to the identity, so activations
 * stay in a sane range through 33 bottlenecks. For speed and size measurements only.
 */
public final class RandomDetectorWeights {

    private final Random rnd;
    private final Map<String, TorchTensor> sd = new LinkedHashMap<>();

    private RandomDetectorWeights(long seed) {
        this.rnd = new Random(seed);
    }

    /** ResNet-101 ([3, 4, 23, 3], layer 3: 1024 channels, layer 4: 2048), RPN width 512, 37 classes. */
    public static Map<String, TorchTensor> resnet101(long seed) {
        return of(seed, new int[] {3, 4, 23, 3}, 64, 512, 37);
    }

    /**
     * @param blocks bottlenecks per layer (layer 1..4)
     * @param base   the stem's width and layer 1's planes (64 in ResNet); layer k has base * 2^(k-1) planes
     * @param rpn    the RPN convolution's width
     */
    public static Map<String, TorchTensor> of(long seed, int[] blocks, int base, int rpn, int classes) {
        return of(seed, blocks, base, new long[] {base, base * 2L, base * 4L, base * 8L}, rpn, classes);
    }

    /**
     * @param blocks bottlenecks per layer (layer 1..4)
     * @param stem   the stem's width
     * @param planes each layer's bottleneck planes (its output has 4 times as many channels)
     * @param rpn    the RPN convolution's width
     */
    public static Map<String, TorchTensor> of(long seed, int[] blocks, int stem, long[] planes, int rpn,
            int classes) {
        RandomDetectorWeights w = new RandomDetectorWeights(seed);
        w.put("RCNN_base.0.weight", Math.sqrt(2.0 / (3 * 49)), 0, stem, 3, 7, 7);
        w.bn("RCNN_base.1", stem);
        long c = w.layer("RCNN_base.4", blocks[0], stem, planes[0]);
        c = w.layer("RCNN_base.5", blocks[1], c, planes[1]);
        c = w.layer("RCNN_base.6", blocks[2], c, planes[2]);
        long f = w.layer("RCNN_top.0", blocks[3], c, planes[3]);
        w.put("RCNN_rpn.RPN_Conv.weight", Math.sqrt(2.0 / (c * 9)), 0, rpn, c, 3, 3);
        w.put("RCNN_rpn.RPN_Conv.bias", 0.01, 0, rpn);
        w.put("RCNN_rpn.RPN_cls_score.weight", 1.0 / Math.sqrt(rpn), 0, 24, rpn, 1, 1);
        w.put("RCNN_rpn.RPN_cls_score.bias", 0.01, 0, 24);
        w.put("RCNN_rpn.RPN_bbox_pred.weight", 0.01 / Math.sqrt(rpn), 0, 48, rpn, 1, 1);
        w.put("RCNN_rpn.RPN_bbox_pred.bias", 0.01, 0, 48);
        w.put("RCNN_cls_score.weight", 1.0 / Math.sqrt(f), 0, classes, f);
        w.put("RCNN_cls_score.bias", 0.01, 0, classes);
        w.put("RCNN_bbox_pred.weight", 0.01 / Math.sqrt(f), 0, 4L * classes, f);
        w.put("RCNN_bbox_pred.bias", 0.01, 0, 4L * classes);
        return w.sd;
    }

    private void put(String key, double scale, double mean, long... shape) {
        float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + scale * rnd.nextGaussian());
        }
        sd.put(key, TorchTensor.float32(v, shape));
    }

    private void bn(String p, long c) {
        put(p + ".weight", 0.05, 0.5, c);
        put(p + ".bias", 0.05, 0, c);
        put(p + ".running_mean", 0.05, 0, c);
        put(p + ".running_var", 0.05, 1, c);
    }

    private long layer(String p, int blocks, long in, long planes) {
        for (int b = 0; b < blocks; b++) {
            String q = p + "." + b;
            put(q + ".conv1.weight", Math.sqrt(2.0 / in), 0, planes, in, 1, 1);
            bn(q + ".bn1", planes);
            put(q + ".conv2.weight", Math.sqrt(2.0 / (planes * 9)), 0, planes, planes, 3, 3);
            bn(q + ".bn2", planes);
            put(q + ".conv3.weight", Math.sqrt(1.0 / planes), 0, planes * 4, planes, 1, 1);
            bn(q + ".bn3", planes * 4);
            if (b == 0) {
                put(q + ".downsample.0.weight", Math.sqrt(1.0 / in), 0, planes * 4, in, 1, 1);
                bn(q + ".downsample.1", planes * 4);
            }
            in = planes * 4;
        }
        return in;
    }
}
