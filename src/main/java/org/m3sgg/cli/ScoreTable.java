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

    /** Several results side by side: one row per (name, constraint), columns R@10/20/50 and mR@10/20/50. */
    static void compare(PrintWriter out, java.util.Map<String, EvaluationResult> results) {
        List<String> cols = List.of("R@10", "R@20", "R@50", "mR@10", "mR@20", "mR@50");
        int width = Math.max(10, results.keySet().stream().mapToInt(String::length).max().orElse(0) + 2);
        out.printf(Locale.ROOT, "%-" + width + "s%-7s", "model", "constr");
        cols.forEach(c -> out.printf(Locale.ROOT, "%8s", c));
        out.println();
        for (Constraint c : Constraint.values()) {
            for (java.util.Map.Entry<String, EvaluationResult> e : results.entrySet()) {
                out.printf(Locale.ROOT, "%-" + width + "s%-7s", e.getKey(), c.key());
                for (String m : cols) {
                    out.printf(Locale.ROOT, "%8.2f", 100 * e.getValue().metric(c, m));
                }
                out.println();
            }
        }
    }
}
