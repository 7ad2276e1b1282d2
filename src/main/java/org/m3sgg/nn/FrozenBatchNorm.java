package org.m3sgg.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A batch norm in evaluation mode with frozen statistics, as a per-channel affine map {@code y = x * scale +
 * shift} with {@code scale = weight / sqrt(running_var + eps)} and {@code shift = bias - running_mean * scale}
 * (computed and kept in double). Detectors run their batch norms this way. {@code num_batches_tracked}
 * is accepted when present and not required (checkpoints from PyTorch before 0.4.1 lack it).
 *
 * @param scale [C]
 * @param shift [C]
 */
public record FrozenBatchNorm(INDArray scale, INDArray shift) {

    public static final double EPS = 1e-5;

    /** The batch norm {@code prefix.{weight, bias, running_mean, running_var}} of {@code channels} channels. */
    public static FrozenBatchNorm take(TorchWeights w, String prefix, long channels) {
        INDArray weight = w.take(prefix + ".weight", channels).castTo(DataType.DOUBLE);
        INDArray bias = w.take(prefix + ".bias", channels).castTo(DataType.DOUBLE);
        INDArray mean = w.take(prefix + ".running_mean", channels).castTo(DataType.DOUBLE);
        INDArray var = w.take(prefix + ".running_var", channels).castTo(DataType.DOUBLE);
        w.skipIfPresent(prefix + ".num_batches_tracked");
        INDArray scale = weight.div(org.nd4j.linalg.ops.transforms.Transforms.sqrt(var.add(EPS), true));
        INDArray shift = bias.sub(mean.mul(scale));
        return new FrozenBatchNorm(scale, shift);
    }
}
