package org.m3sgg.models.relation;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.TransformerDecoderLayer;
import org.m3sgg.nn.TransformerEncoderLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * STTran's spatial-temporal transformer ({@code glocal_transformer.*} keys), which TEMPURA reuses: a spatial
 * encoder over all pairs with attention kept inside a frame, and a temporal decoder over the stacked two-frame
 * windows of {@link RelationBatch} with a learned two-row frame encoding. The constructor creates the parameters
 * (encoder layers, decoder layers, frame encoding, in that seeded order); the methods add the operations.
 */
public final class GlocalTransformer {

    private final SameDiff sd;
    private final List<TransformerEncoderLayer> encoder = new ArrayList<>();
    private final List<TransformerDecoderLayer> decoder = new ArrayList<>();
    private final SDVariable frameCode;

    public GlocalTransformer(NnScope scope, int dModel, int heads, int ffn, double dropout, int encLayers,
            int decLayers) {
        this.sd = scope.sd();
        for (int i = 0; i < encLayers; i++) {
            encoder.add(new TransformerEncoderLayer(scope, "glocal_transformer.local_attention.layers." + i, dModel,
                    heads, ffn, dropout));
        }
        for (int i = 0; i < decLayers; i++) {
            decoder.add(new TransformerDecoderLayer(scope, "glocal_transformer.global_attention.layers." + i, dModel,
                    heads, ffn, dropout));
        }
        this.frameCode = scope.param("glocal_transformer.position_embedding.weight", scope.uniform(0, 1, 2, dModel));
    }

    /** The spatial encoder: [P, D] pair representations, all frames at once, attention inside a frame. */
    public SDVariable encode(SDVariable x, SDVariable frameMask) {
        for (TransformerEncoderLayer layer : encoder) {
            x = layer.apply(x, frameMask);
        }
        return x;
    }

    /**
     * The temporal decoder: [P, D] encoder output to [P, D] through the windows of {@code ph}.
     *
     * @param zeroSumKeyMask the reference masks every window row whose input sums to exactly 0 (meant for padding
     *                       rows, it also hits a real pair whose encoder output happens to sum to 0)
     */
    public SDVariable decode(SDVariable x, RelationBatch.Placeholders ph, boolean zeroSumKeyMask) {
        SDVariable w = sd.mmul(ph.windowSelect(), x);                            // [R, D]
        SDVariable mask = ph.windowMask();
        if (zeroSumKeyMask) {
            SDVariable rowSum = sd.sum(w, true, 1);                              // [R, 1]
            SDVariable zeroRow = sd.castTo(sd.eq(rowSum, sd.zerosLike(rowSum)), w.dataType());
            // [R, R] with column k blocked when row k sums to 0
            mask = mask.add(sd.mmul(sd.onesLike(zeroRow), zeroRow, false, true, false).mul(RelationBatch.BLOCKED));
        }
        SDVariable pos = sd.mmul(ph.windowFrameCode(), frameCode);               // [R, D]
        for (TransformerDecoderLayer layer : decoder) {
            w = layer.apply(w, pos, mask);
        }
        return sd.mmul(ph.windowOutput(), w);                                    // [P, D]
    }
}
