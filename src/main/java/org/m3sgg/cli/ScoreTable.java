package org.m3sgg.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.ConstraintResult;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.SceneGraphEvaluator;

/** The evaluator's scores as a plain-text table in percent: one row per metric, one column per constraint. */
final class ScoreTable {

    private ScoreTable() {}

    static void print(PrintWriter out, EvaluationResult r) {
        out.printf(Locale.ROOT, "%-14s", "metric");
        for (Constraint c : Constraint.values()) {
            out.printf(Locale.ROOT, "%9s", c.key());
        }
        out.println();
        List<String> names = ConstraintResult.metricNames();
        for (int i = 0; i < names.size(); i++) {
            if (i > 0 && i % SceneGraphEvaluator.KS.size() == 0) {
                out.println();
            }
            out.printf(Locale.ROOT, "%-14s", names.get(i));
            for (Constraint c : Constraint.values()) {
                out.printf(Locale.ROOT, "%9.2f", 100 * r.metric(c, names.get(i)));
            }
            out.println();
        }
    }
}
