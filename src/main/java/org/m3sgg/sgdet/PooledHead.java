package org.m3sgg.sgdet;

import org.m3sgg.api.KitException;

/**
 * A small box head of STTran's shape: RoIAlign 7x7 of the box, a 1x1 convolution ({@code top}, C -> F, stride s,
 * no bias) with ReLU, the spatial mean ({@code _head_to_tail}'s {@code .mean(3).mean(2)}), and a linear class
 * score {@code [37, F]}. The real detector's {@code RCNN_top} is ResNet's layer 4; this head serves the SGDET
 * reference fixture's stub head and the synthetic world's detector.
 */
public final class PooledHead implements BoxHead {

    public static final int POOL = 7;

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
        float[] pooled = new float[in * POOL * POOL];
        float[][] out = new float[rois.length][];
        for (int r = 0; r < rois.length; r++) {
            RoiAlign.pool(maps, rois[r], POOL, pooled, 0);
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
}
