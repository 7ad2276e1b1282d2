package org.m3sgg.sgdet;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;

/**
 * A small box head of STTran's shape: RoIAlign 7x7 of the box, a 1x1 convolution ({@code top}, C -> F, stride s,
 * no bias) with ReLU, the spatial mean ({@code _head_to_tail}'s {@code .mean(3).mean(2)}), and a linear class
 * score {@code [37, F]}. The real detector's {@code RCNN_top} is ResNet's layer 4; this head serves the SGDET
 * reference fixture's stub head and the synthetic world's detector.
 */
public final class PooledHead implements BoxHead {

    public static final int POOL = 7;

    /** State-dict keys of the head (after the prefix): the 1x1 convolution and the class score. */
    public static final String TOP_WEIGHT = "RCNN_top.0.weight";
    public static final String CLS_WEIGHT = "RCNN_cls_score.weight";
    public static final String CLS_BIAS = "RCNN_cls_score.bias";

    private final int in;
    private final int dim;
    private final int stride;
    private final float[] top; // [F, C]
    private final float[] clsWeight; // [37, F]
    private final float[] clsBias; // [37]

    /**
     * @param top       [F * C] 1x1 convolution weights (F rows of C)
     * @param stride    the convolution's stride
     * @param clsWeight [37 * F]
     * @param clsBias   [37]
     */
    public PooledHead(int channels, int featureDim, float[] top, int stride, float[] clsWeight, float[] clsBias) {
        if (top.length != featureDim * channels || clsWeight.length != 37 * featureDim || clsBias.length != 37
                || stride < 1) {
            throw new KitException("box head: weights do not match C=" + channels + ", F=" + featureDim
                    + " (top " + top.length + ", cls_score " + clsWeight.length + " + " + clsBias.length + ")");
        }
        this.in = channels;
        this.dim = featureDim;
        this.stride = stride;
        this.top = top.clone();
        this.clsWeight = clsWeight.clone();
        this.clsBias = clsBias.clone();
    }

    @Override
    public int featureDim() {
        return dim;
    }

    public int channels() {
        return in;
    }

    @Override
    public float[][] features(FrameMaps maps, float[][] rois) {
        if (maps.channels() != in) {
            throw new KitException("box head takes " + in + "-channel maps, got " + maps.channels());
        }
        int side = (POOL - 1) / stride + 1;
        float[] all = RoiAlign.apply(maps, rois, POOL);
        float[][] out = new float[rois.length][];
        for (int r = 0; r < rois.length; r++) {
            float[] pooled = java.util.Arrays.copyOfRange(all, r * in * POOL * POOL, (r + 1) * in * POOL * POOL);
            float[] f = new float[dim];
            for (int o = 0; o < dim; o++) {
                float[] sums = new float[side];
                for (int i = 0; i < side; i++) {
                    float rowSum = 0;
                    for (int j = 0; j < side; j++) {
                        int cell = (i * stride) * POOL + j * stride;
                        float v = 0;
                        for (int ch = 0; ch < in; ch++) {
                            v += top[o * in + ch] * pooled[ch * POOL * POOL + cell];
                        }
                        rowSum += Math.max(v, 0f);
                    }
                    sums[i] = rowSum / side;
                }
                float m = 0;
                for (float s : sums) {
                    m += s;
                }
                f[o] = m / side;
            }
            out[r] = f;
        }
        return out;
    }

    @Override
    public float[] classLogits(float[] feature) {
        float[] z = new float[37];
        for (int k = 0; k < 37; k++) {
            float s = clsBias[k];
            for (int i = 0; i < dim; i++) {
                s += clsWeight[k * dim + i] * feature[i];
            }
            z[k] = s;
        }
        return z;
    }

    /**
     * The head from PyTorch state-dict tensors: {@code PREFIX + RCNN_top.0.weight} [F, C, 1, 1],
     * {@code PREFIX + RCNN_cls_score.weight} [37, F] and {@code .bias} [37]. The stride is not in a state dict.
     *
     * @param source names the origin in error messages (a file)
     */
    public static PooledHead fromStateDict(Map<String, TorchTensor> sd, String prefix, int stride, String source) {
        TorchTensor top = tensor(sd, prefix + TOP_WEIGHT, source);
        TorchTensor w = tensor(sd, prefix + CLS_WEIGHT, source);
        TorchTensor b = tensor(sd, prefix + CLS_BIAS, source);
        long[] ts = top.shape();
        if (ts.length != 4 || ts[2] != 1 || ts[3] != 1) {
            throw new KitException(source + ": key '" + prefix + TOP_WEIGHT + "' has shape " + Arrays.toString(ts)
                    + ", expected [F, C, 1, 1]");
        }
        int f = (int) ts[0];
        int c = (int) ts[1];
        if (!Arrays.equals(w.shape(), new long[] {37, f})) {
            throw new KitException(source + ": key '" + prefix + CLS_WEIGHT + "' has shape "
                    + Arrays.toString(w.shape()) + ", expected [37, " + f + "]");
        }
        if (!Arrays.equals(b.shape(), new long[] {37})) {
            throw new KitException(source + ": key '" + prefix + CLS_BIAS + "' has shape "
                    + Arrays.toString(b.shape()) + ", expected [37]");
        }
        return new PooledHead(c, f, floats(top), stride, floats(w), floats(b));
    }

    /**
     * The head from a PyTorch checkpoint (zip or legacy serialisation) holding {@code {'model': state_dict}}
     * (the Faster R-CNN checkpoint layout) or a bare state dict, keys without prefix.
     */
    public static PooledHead load(Path checkpoint, int stride) {
        Object root = TorchCheckpoint.load(checkpoint);
        if (!(root instanceof Map<?, ?> top)) {
            throw new KitException(checkpoint + ": expected a dict at the top of the checkpoint");
        }
        Object sd = top.containsKey("model") ? top.get("model") : top;
        if (!(sd instanceof Map<?, ?> m)) {
            throw new KitException(checkpoint + ": key 'model' is not a dict");
        }
        Map<String, TorchTensor> tensors = new java.util.LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (e.getValue() instanceof TorchTensor t) {
                tensors.put(String.valueOf(e.getKey()), t);
            }
        }
        return fromStateDict(tensors, "", stride, checkpoint.toString());
    }

    private static TorchTensor tensor(Map<String, TorchTensor> sd, String key, String source) {
        TorchTensor t = sd.get(key);
        if (t == null) {
            throw new KitException(source + ": key '" + key + "' missing (box head)");
        }
        return t;
    }

    private static float[] floats(TorchTensor t) {
        double[] d = t.toDoubles();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
