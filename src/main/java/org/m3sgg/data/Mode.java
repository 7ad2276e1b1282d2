package org.m3sgg.data;

/** The three Action Genome tasks. SGCLS and SGDET read the filtersmall object file, PredCLS the full one. */
public enum Mode {
    PREDCLS, SGCLS, SGDET;

    public boolean usesFilterSmall() {
        return this != PREDCLS;
    }

    /**
     * Whether models carry and train an object classifier: SGCLS and SGDET (in SGDET training it learns the labels
     * assigned to the detections, 0 = background; at SGDET test time the labels come from the detection pipeline).
     */
    public boolean hasObjectClassifier() {
        return this != PREDCLS;
    }

    public static Mode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown mode '" + s + "': expected predcls, sgcls or sgdet");
        }
    }
}
