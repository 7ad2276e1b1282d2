package org.m3sgg.eval;

/**
 * Settings of the scene graph evaluator. {@link #DEFAULT} is the Action Genome protocol every published number
 * uses; the other values exist for experiments and are never needed for parity.
 *
 * @param iouThreshold both subject and object boxes need IoU at least this (legacy +1 convention) to match
 * @param semiThreshold spatial/contacting predicates must score strictly above this under {@link Constraint#SEMI}
 * @param noConstraintTopN how many (pair, predicate) entries {@link Constraint#NO} keeps before recall
 */
public record EvaluatorConfig(double iouThreshold, double semiThreshold, int noConstraintTopN) {

    public static final EvaluatorConfig DEFAULT = new EvaluatorConfig(0.5, 0.9, 100);

    public EvaluatorConfig {
        if (!(iouThreshold > 0 && iouThreshold <= 1)) {
            throw new IllegalArgumentException("iouThreshold must be in (0, 1], got " + iouThreshold);
        }
        // A negative threshold would let the zero entries outside a row's own block through.
        if (!(semiThreshold >= 0 && semiThreshold < 1)) {
            throw new IllegalArgumentException("semiThreshold must be in [0, 1), got " + semiThreshold);
        }
        if (noConstraintTopN < 1) {
            throw new IllegalArgumentException("noConstraintTopN must be positive, got " + noConstraintTopN);
        }
    }
}
