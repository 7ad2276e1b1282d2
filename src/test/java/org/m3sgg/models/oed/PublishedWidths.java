package org.m3sgg.models.oed;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.m3sgg.nn.torch.TorchTensor;

/**
 * An OED SGDET checkpoint at the published widths with random weights, built in Java (the published checkpoints
 * cannot be downloaded here): torchvision ResNet-50 under {@code backbone.0.body.*} (blocks 3/4/6/3, planes
 * 64..512, expansion 4, frozen batch norms without {@code num_batches_tracked}), the transformer's keys and shapes
 * as the Java model declares them for the published {@code args} (d 256, 8 heads, FFN 2048, 6/6/6 layers, 100
 * queries, 2 reference frames), and those {@code args}.
 */
final class PublishedWidths {

    private PublishedWidths() {}

    static Map<String, Object> args(boolean temporal) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("hidden_dim", 256);
        a.put("nheads", 8);
        a.put("dim_feedforward", 2048);
        a.put("enc_layers", 6);
        a.put("dec_layers_hopd", 6);
        a.put("dec_layers_interaction", 6);
        a.put("num_queries", 100);
        a.put("dsgg_task", "sgdet");
        a.put("backbone", "resnet50");
        a.put("pre_norm", false);
        a.put("dilation", false);
        if (temporal) {
            a.put("num_ref_frames", 2);
            a.put("dec_layers_temporal", 1);
            a.put("one_temp", false);
            a.put("seq_sort", false);
            a.put("query_temporal_interaction", true);
        }
        return a;
    }

    static OedCheckpoint checkpoint(boolean temporal, long seed) {
        Random r = new Random(seed);
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        resnet50(sd, r);
        OedConfig cfg = new OedConfig(2048, 256, 8, 2048, 6, 6, 6, 100, 38, 4, 6, 17, temporal, temporal ? 2 : 0,
                temporal ? OedConfig.PUBLISHED_TOPK : new int[0]);
        OedModel.build(cfg, seed).stateDictShapes().forEach((k, shape) -> {
            long fanIn = 1;
            for (int d = 1; d < shape.length; d++) {
                fanIn *= shape[d];
            }
            sd.put(k, k.contains("norm") && k.endsWith("weight") ? constant(shape, 1f) : normal(shape, r,
                    1.0 / Math.sqrt(fanIn)));
        });
        return new OedCheckpoint(sd, args(temporal), "published-widths (random)");
    }

    private static void resnet50(Map<String, TorchTensor> sd, Random r) {
        String p = OedBackbone.PREFIX;
        conv(sd, r, p + "conv1", 64, 3, 7);
        bn(sd, p + "bn1", 64, 1f);
        int[] blocks = {3, 4, 6, 3};
        long in = 64;
        for (int l = 0; l < 4; l++) {
            long planes = 64L << l;
            for (int b = 0; b < blocks[l]; b++) {
                String k = p + "layer" + (l + 1) + "." + b;
                conv(sd, r, k + ".conv1", planes, in, 1);
                bn(sd, k + ".bn1", planes, 1f);
                conv(sd, r, k + ".conv2", planes, planes, 3);
                bn(sd, k + ".bn2", planes, 1f);
                conv(sd, r, k + ".conv3", planes * 4, planes, 1);
                // small last scale keeps the residual sum bounded through 16 random blocks
                bn(sd, k + ".bn3", planes * 4, 0.2f);
                if (b == 0) {
                    conv(sd, r, k + ".downsample.0", planes * 4, in, 1);
                    bn(sd, k + ".downsample.1", planes * 4, 1f);
                }
                in = planes * 4;
            }
        }
    }

    private static void conv(Map<String, TorchTensor> sd, Random r, String key, long out, long in, int k) {
        sd.put(key + ".weight", normal(new long[] {out, in, k, k}, r, Math.sqrt(2.0 / (in * k * k))));
    }

    private static void bn(Map<String, TorchTensor> sd, String key, long c, float scale) {
        sd.put(key + ".weight", constant(new long[] {c}, scale));
        sd.put(key + ".bias", constant(new long[] {c}, 0f));
        sd.put(key + ".running_mean", constant(new long[] {c}, 0f));
        sd.put(key + ".running_var", constant(new long[] {c}, 1f));
    }

    private static TorchTensor normal(long[] shape, Random r, double std) {
        float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * std);
        }
        return TorchTensor.float32(v, shape);
    }

    private static TorchTensor constant(long[] shape, float v) {
        float[] values = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, Math::multiplyExact))];
        Arrays.fill(values, v);
        return TorchTensor.float32(values, shape);
    }
}
