package org.m3sgg.features;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The contents of a detections folder's {@code meta.json} (format in {@code datasets/README.md}, "Detections
 * format"): the widths every video file shares and where the detections came from.
 *
 * @param format always {@link #FORMAT}
 * @param featureDim F of {@code features [N, F]} (2048 for STTran's Faster R-CNN)
 * @param mapChannels C of {@code maps [T, C, H, W]} (1024 for STTran's layer-3 map)
 * @param mapStride blob pixels per map cell (16 for STTran's detector; the only stride the kit's RoIAlign is
 *     checked for)
 * @param mapDtype {@code float16} or {@code float32}: the type of every file's {@code maps}
 * @param head whether the folder holds {@code head.npz} (the box head that pools features of boxes the detector
 *     missed, STTran's SUPPLY)
 * @param detector what produced the detections (free text, for provenance)
 * @param boxes {@link #CLIPPED} (the default when the key is absent): every box lies within the frame, 1 px
 *     tolerance ({@link VideoDetections#EDGE_TOLERANCE}); or {@link #REFERENCE}: boxes as STTran's detector leaves
 *     them, which may reach beyond the right/bottom edge (its {@code clip_boxes(..., 1)} clips only the first frame
 *     of each 10-frame chunk, then {@code clamp(0)} from below), still never beyond the left/top edge
 */
@JsonPropertyOrder({"format", "feature_dim", "map_channels", "map_stride", "map_dtype", "head", "detector", "boxes"})
public record DetectionsMeta(
        @JsonProperty("format") String format,
        @JsonProperty("feature_dim") int featureDim,
        @JsonProperty("map_channels") int mapChannels,
        @JsonProperty("map_stride") int mapStride,
        @JsonProperty("map_dtype") String mapDtype,
        @JsonProperty("head") boolean head,
        @JsonProperty("detector") String detector,
        @JsonProperty("boxes") String boxes) {

    public static final String FORMAT = "m3sgg-detections/1";
    public static final String FLOAT16 = "float16";
    public static final String FLOAT32 = "float32";
    public static final int STRIDE = 16;
    /** {@code boxes}: every box within the frame (1 px tolerance). */
    public static final String CLIPPED = "clipped";
    /** {@code boxes}: boxes may reach beyond the right/bottom edge, as STTran's detector leaves them. */
    public static final String REFERENCE = "reference";

    public DetectionsMeta {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format must be '" + FORMAT + "', got '" + format + "'");
        }
        if (featureDim <= 0 || mapChannels <= 0) {
            throw new IllegalArgumentException("feature_dim and map_channels must be positive, got " + featureDim
                    + ", " + mapChannels);
        }
        if (mapStride != STRIDE) {
            throw new IllegalArgumentException("map_stride must be " + STRIDE + " (the stride RoIAlign pools at), got "
                    + mapStride);
        }
        if (!FLOAT16.equals(mapDtype) && !FLOAT32.equals(mapDtype)) {
            throw new IllegalArgumentException("map_dtype must be '" + FLOAT16 + "' or '" + FLOAT32 + "', got '"
                    + mapDtype + "'");
        }
        if (detector == null) {
            detector = "";
        }
        if (boxes == null) {
            boxes = CLIPPED;
        }
        if (!CLIPPED.equals(boxes) && !REFERENCE.equals(boxes)) {
            throw new IllegalArgumentException("boxes must be '" + CLIPPED + "' or '" + REFERENCE + "', got '" + boxes
                    + "'");
        }
    }

    /** Whether boxes may reach beyond the frame's right/bottom edge ({@code "boxes": "reference"}). */
    public boolean boxesBeyondEdge() {
        return REFERENCE.equals(boxes);
    }

    /** The numpy type of the maps. */
    public NdArray.DType mapType() {
        return FLOAT16.equals(mapDtype) ? NdArray.DType.F2 : NdArray.DType.F4;
    }
}
