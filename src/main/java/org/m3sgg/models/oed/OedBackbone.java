package org.m3sgg.models.oed;

import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.ResNetTrunk;
import org.m3sgg.nn.TorchWeights;
import org.m3sgg.nn.torch.TorchTensor;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * OED's backbone: torchvision's ResNet (v1.5: the stride on the 3x3 convolution; stem max pool 3 / 2 with padding 1)
 * with frozen batch norms (eps 1e-5) up to {@code layer4}, the C5 map the transformer reads. Built by the shared
 * {@link ResNetTrunk} from the checkpoint's {@code backbone.0.body.*} tensors, strictly: every such key is used and
 * every expected one present. The number of blocks per layer and every width come from the tensors, so the same
 * code runs the fixture's reduced network and the published ResNet-50. Forward only; the frozen batch norms are
 * folded into the convolutions.
 */
public final class OedBackbone {

    /** The state-dict prefix of the ResNet body in OED's checkpoints. */
    public static final String PREFIX = "backbone.0.body.";

    private final SameDiff sd = SameDiff.create();
    private final DataType precision;
    private final int c5Channels;

    private OedBackbone(TorchWeights w, DataType precision) {
        this.precision = precision;
        ResNetTrunk trunk = new ResNetTrunk(sd, w, precision);
        SDVariable image = sd.placeHolder("image", precision, -1, 3, -1, -1);
        ResNetTrunk.Size x = trunk.stem(new ResNetTrunk.Size(image, 3), "conv1", "bn1", 1, false);
        int[] strides = {1, 2, 2, 2};
        for (int i = 0; i < 4; i++) {
            x = trunk.layer(x, "layer" + (i + 1), strides[i], ResNetTrunk.StrideOn.MIDDLE_3X3);
        }
        sd.identity("c5", x.x());
        this.c5Channels = (int) x.channels();
        w.requireAllUsed("OED's ResNet backbone");
    }

    /**
     * The backbone of an OED checkpoint ({@code backbone.0.body.*}); its C5 width must be what the checkpoint's
     * {@code input_proj} reads.
     *
     * @param precision the graph's type: {@link DataType#DOUBLE} for parity, {@link DataType#FLOAT} for speed
     */
    public static OedBackbone fromCheckpoint(OedCheckpoint ck, DataType precision) {
        Map<String, TorchTensor> body = new LinkedHashMap<>();
        ck.stateDict().forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                body.put(k.substring(PREFIX.length()), v);
            } else if (k.startsWith("backbone.")) {
                throw new KitException(ck.source() + ": unknown backbone key '" + k + "' (OED's backbone holds "
                        + PREFIX + "* only)");
            }
        });
        if (body.isEmpty()) {
            throw new KitException(ck.source() + ": no " + PREFIX + "* keys (a checkpoint without its backbone)");
        }
        OedBackbone b = new OedBackbone(new TorchWeights(body, ck.source() + " [" + PREFIX + "*]"), precision);
        TorchTensor proj = ck.stateDict().get("input_proj.weight");
        if (proj != null && proj.shape().length == 4 && proj.shape()[1] != b.c5Channels) {
            throw new KitException(ck.source() + ": the backbone gives " + b.c5Channels + " channels but "
                    + "input_proj.weight reads " + proj.shape()[1]);
        }
        return b;
    }

    /** Channels of the C5 map. */
    public int c5Channels() {
        return c5Channels;
    }

    /** C5 maps [B, C, h, w] (in the graph's precision) of normalised, padded images [B, 3, H, W]. */
    public INDArray c5(INDArray images) {
        if (images.rank() != 4 || images.size(1) != 3) {
            throw new KitException("OED backbone: images must be [B, 3, H, W], got "
                    + java.util.Arrays.toString(images.shape()));
        }
        return sd.output(Map.of("image", images.castTo(precision)), "c5").get("c5");
    }
}
