package org.m3sgg.detector;

import org.m3sgg.api.KitException;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The test-time settings of STTran's Faster R-CNN (its {@code fasterRCNN/lib/model/utils/config.py} and
 * {@code object_detector.py}); none of them is stored in the checkpoint.
 *
 * @param anchorScales   {@code ANCHOR_SCALES} [4, 8, 16, 32]
 * @param anchorRatios   {@code ANCHOR_RATIOS} [0.5, 1, 2]
 * @param baseSize       base anchor side, 16
 * @param featStride     {@code FEAT_STRIDE}, 16 (the map's stride: RoIAlign's scale is its inverse)
 * @param preNms         {@code TEST.RPN_PRE_NMS_TOP_N}, 6000
 * @param postNms        {@code TEST.RPN_POST_NMS_TOP_N}, 100 in STTran (300 in faster-rcnn.pytorch)
 * @param rpnNms         {@code TEST.RPN_NMS_THRESH}, 0.7
 * @param pool           {@code POOLING_SIZE}, 7
 * @param scoreThreshold a class score above this makes a detection, 0.1
 * @param detectionNms   per-class NMS threshold, 0.4
 * @param deltaStds      {@code BBOX_NORMALIZE_STDS} [0.1, 0.1, 0.2, 0.2] (the means are 0)
 * @param chunk          frames per detector call, 10 (only the first frame of a chunk is clipped)
 * @param precision      the floating type of the convolutions (the reference's is float32)
 */
public record DetectorSettings(double[] anchorScales, double[] anchorRatios, int baseSize, int featStride,
        int preNms, int postNms, double rpnNms, int pool, double scoreThreshold, double detectionNms,
        float[] deltaStds, int chunk, DataType precision) {

    public DetectorSettings {
        if (precision != DataType.FLOAT && precision != DataType.DOUBLE) {
            throw new KitException("detector settings: precision must be FLOAT or DOUBLE, got " + precision);
        }
        if (anchorScales.length == 0 || anchorRatios.length == 0 || baseSize < 1 || featStride < 1 || postNms < 1
                || pool < 1 || chunk < 1 || deltaStds.length != 4) {
            throw new KitException("detector settings: anchors, stride, post-NMS count, pool size and chunk must "
                    + "be positive and there must be 4 delta stds");
        }
    }

    /** STTran's settings, float32 convolutions. */
    public static DetectorSettings sttran() {
        return new DetectorSettings(new double[] {4, 8, 16, 32}, new double[] {0.5, 1, 2}, 16, 16, 6000, 100, 0.7,
                7, 0.1, 0.4, new float[] {0.1f, 0.1f, 0.2f, 0.2f}, 10, DataType.FLOAT);
    }

    /** The same settings with convolutions in {@code type}. */
    public DetectorSettings withPrecision(DataType type) {
        return new DetectorSettings(anchorScales, anchorRatios, baseSize, featStride, preNms, postNms, rpnNms, pool,
                scoreThreshold, detectionNms, deltaStds, chunk, type);
    }

    /** Anchors per map cell. */
    public int anchorsPerCell() {
        return anchorScales.length * anchorRatios.length;
    }
}
