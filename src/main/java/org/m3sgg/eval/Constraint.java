package org.m3sgg.eval;

import java.util.Locale;

/**
 * How many predicates a predicted subject-object pair may contribute to the ranked triplet list, as in STTran's
 * three evaluators.
 */
public enum Constraint {
    /** One triplet per candidate row: the row's highest-scoring predicate. */
    WITH("with"),
    /** Attention rows give their best predicate; spatial and contacting rows every predicate above a threshold. */
    SEMI("semi"),
    /** Every predicate of every row, ranked by subject score x object score x predicate score; top N kept. */
    NO("no");

    private final String key;

    Constraint(String key) {
        this.key = key;
    }

    /** The name used in JSON output and by the reference ({@code with}, {@code semi}, {@code no}). */
    public String key() {
        return key;
    }

    public static Constraint parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (Constraint c : values()) {
            if (c.key.equals(k)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown constraint '" + s + "': expected with, semi or no");
    }
}
