package org.m3sgg.features;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The contents of {@code features/meta.json}: the widths every video file of a feature folder shares and a
 * free-text description of where the features came from.
 *
 * @param format always {@link #FORMAT}
 * @param featureDim F, the width of a box feature ({@code features [N, F]}; 2048 for STTran's detector)
 * @param unionChannels C of {@code union_feat [P, C, S, S]} (1024 for STTran's detector)
 * @param unionSize S of {@code union_feat} (7: RoIAlign output)
 * @param distribution whether the files hold {@code distribution [N, 36]} (needed by SGCLS)
 * @param unionPairs which pairs have a union feature: {@code person-object} (the person with each object of its
 *     frame) or {@code all} (every unordered pair of boxes of a frame)
 * @param detector what produced the features (free text, for provenance)
 */
@JsonPropertyOrder({"format", "feature_dim", "union_channels", "union_size", "distribution", "union_pairs",
    "detector"})
public record FeatureMeta(
        @JsonProperty("format") String format,
        @JsonProperty("feature_dim") int featureDim,
        @JsonProperty("union_channels") int unionChannels,
        @JsonProperty("union_size") int unionSize,
        @JsonProperty("distribution") boolean distribution,
        @JsonProperty("union_pairs") String unionPairs,
        @JsonProperty("detector") String detector) {

    public static final String FORMAT = "m3sgg-features/1";
    public static final String PERSON_OBJECT = "person-object";
    public static final String ALL_PAIRS = "all";

    public FeatureMeta {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("format must be '" + FORMAT + "', got '" + format + "'");
        }
        if (featureDim <= 0 || unionChannels <= 0 || unionSize <= 0) {
            throw new IllegalArgumentException("feature_dim, union_channels and union_size must be positive, got "
                    + featureDim + ", " + unionChannels + ", " + unionSize);
        }
        if (!PERSON_OBJECT.equals(unionPairs) && !ALL_PAIRS.equals(unionPairs)) {
            throw new IllegalArgumentException("union_pairs must be '" + PERSON_OBJECT + "' or '" + ALL_PAIRS
                    + "', got '" + unionPairs + "'");
        }
        if (detector == null) {
            detector = "";
        }
    }

    /** Values of one union feature: C * S * S. */
    public int unionLength() {
        return unionChannels * unionSize * unionSize;
    }
}
