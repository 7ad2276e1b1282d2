package org.m3sgg.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.ConstraintResult;
import org.m3sgg.eval.EvaluationResult;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Result tables built from plain maps, so any evaluator (ours, a predictions file scored elsewhere, a notebook
 * experiment) can feed them.
 *
 * <p>Recall values are fractions in [0, 1], as the evaluator computes them; {@link Tables#html} shows them as
 * percentages when asked. A missing value (metric not computed, predicate absent from the test set) is a missing
 * cell, never a zero.
 */
public final class ResultTables {

    private ResultTables() {}

    /** The columns papers report: recall and mean recall at 10, 20 and 50. */
    public static final List<String> RECALL_METRICS = List.of("R@10", "R@20", "R@50", "mR@10", "mR@20", "mR@50");

    /** The evaluator's three graph constraints, in the order tables list them. */
    public static final List<String> CONSTRAINTS = List.of("with", "semi", "no");

    private static final Pattern METRIC = Pattern.compile("(?i)(m?)r@(\\d+)");

    /**
     * Canonical spelling of a recall metric: {@code r@10} becomes {@code R@10}, {@code MR@20} becomes
     * {@code mR@20}; other names are returned trimmed.
     */
    public static String canonicalMetric(String name) {
        String t = name.trim();
        Matcher m = METRIC.matcher(t);
        if (m.matches()) {
            return (m.group(1).isEmpty() ? "R@" : "mR@") + m.group(2);
        }
        return t;
    }

    /**
     * The evaluator's result in the form the tables and charts take: constraint key -> {@link #RECALL_METRICS} ->
     * recall fraction.
     */
    public static Map<String, Map<String, Double>> scores(EvaluationResult result) {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (Constraint c : Constraint.values()) {
            Map<String, Double> m = new LinkedHashMap<>();
            for (String name : RECALL_METRICS) {
                m.put(name, result.metric(c, name));
            }
            out.put(c.key(), m);
        }
        return out;
    }

    /**
     * Per-predicate recall at {@code k} under one constraint as the {@code [26]} vector {@link #perPredicate} takes:
     * the pooled recalls behind mR@k, NaN for predicates absent from the scored ground truth (the evaluator stores
     * 0 there, which a chart would show as a miss).
     */
    public static double[] predicateRecall(EvaluationResult result, Constraint constraint, int k) {
        ConstraintResult r = result.get(constraint);
        double[] v = r.perPredicateRecall(k);
        long[] counts = r.relationCounts();
        for (int p = 0; p < v.length; p++) {
            if (counts[p] == 0) {
                v[p] = Double.NaN;
            }
        }
        return v;
    }

    /** Runs x {@link #RECALL_METRICS} for one constraint. */
    public static Table recall(Map<String, Map<String, Map<String, Double>>> results, String constraint) {
        return recall(results, constraint, RECALL_METRICS);
    }

    /**
     * One row per run (input order) and one column per metric, for one constraint.
     *
     * @param results run -> constraint -> metric -> recall fraction
     */
    public static Table recall(Map<String, Map<String, Map<String, Double>>> results, String constraint,
            List<String> metrics) {
        Table t = Table.create("recall (" + constraint + " constraint)");
        StringColumn run = StringColumn.create("run");
        t.addColumns(run);
        List<DoubleColumn> cols = new ArrayList<>();
        for (String m : metrics) {
            DoubleColumn c = DoubleColumn.create(canonicalMetric(m));
            cols.add(c);
            t.addColumns(c);
        }
        for (var e : results.entrySet()) {
            run.append(e.getKey());
            Map<String, Double> values = canonical(e.getKey(), constraint, e.getValue().get(constraint));
            for (int i = 0; i < metrics.size(); i++) {
                Double v = values.get(canonicalMetric(metrics.get(i)));
                appendOrMissing(cols.get(i), v);
            }
        }
        return t;
    }

    /** Long form over every constraint present: one row per (run, constraint), then the metric columns. */
    public static Table recallAll(Map<String, Map<String, Map<String, Double>>> results) {
        return recallAll(results, RECALL_METRICS);
    }

    public static Table recallAll(Map<String, Map<String, Map<String, Double>>> results, List<String> metrics) {
        Table t = Table.create("recall");
        StringColumn run = StringColumn.create("run");
        StringColumn con = StringColumn.create("constraint");
        t.addColumns(run, con);
        List<DoubleColumn> cols = new ArrayList<>();
        for (String m : metrics) {
            DoubleColumn c = DoubleColumn.create(canonicalMetric(m));
            cols.add(c);
            t.addColumns(c);
        }
        for (String constraint : constraints(results)) {
            for (var e : results.entrySet()) {
                Map<String, Map<String, Double>> byConstraint = e.getValue();
                if (byConstraint == null || !byConstraint.containsKey(constraint)) {
                    continue;
                }
                run.append(e.getKey());
                con.append(constraint);
                Map<String, Double> values = canonical(e.getKey(), constraint, byConstraint.get(constraint));
                for (int i = 0; i < metrics.size(); i++) {
                    appendOrMissing(cols.get(i), values.get(canonicalMetric(metrics.get(i))));
                }
            }
        }
        return t;
    }

    /** The constraints present in {@code results}: with/semi/no first in that order, then others as met. */
    public static List<String> constraints(Map<String, Map<String, Map<String, Double>>> results) {
        Set<String> seen = new LinkedHashSet<>();
        for (var byConstraint : results.values()) {
            if (byConstraint != null) {
                seen.addAll(byConstraint.keySet());
            }
        }
        List<String> out = new ArrayList<>();
        for (String c : CONSTRAINTS) {
            if (seen.remove(c)) {
                out.add(c);
            }
        }
        out.addAll(seen);
        return out;
    }

    /**
     * Per-predicate recall, one row per predicate id 0..25 (id, name, group) and one column per run.
     *
     * @param recallByRun run -> recall per global predicate id, {@code [26]}, NaN where the predicate is absent
     */
    public static Table perPredicate(Map<String, double[]> recallByRun) {
        List<Integer> ids = new ArrayList<>();
        for (int p = 0; p < Vocabulary.NUM_PREDICATES; p++) {
            ids.add(p);
        }
        return perPredicate(recallByRun, ids, null);
    }

    /**
     * Per-predicate recall sorted by training frequency (most frequent first), with the training count, its share
     * of all training relations and the band.
     */
    public static Table perPredicate(Map<String, double[]> recallByRun, PredicateBands bands) {
        List<Integer> ids = new ArrayList<>();
        for (int p : bands.order()) {
            ids.add(p);
        }
        return perPredicate(recallByRun, ids, bands);
    }

    private static Table perPredicate(Map<String, double[]> recallByRun, List<Integer> ids, PredicateBands bands) {
        Table t = Table.create("per-predicate recall");
        IntColumn id = IntColumn.create("id");
        StringColumn name = StringColumn.create("predicate");
        StringColumn group = StringColumn.create("group");
        t.addColumns(id, name, group);
        LongColumn count = LongColumn.create("train count");
        DoubleColumn share = DoubleColumn.create("train share");
        StringColumn band = StringColumn.create("band");
        if (bands != null) {
            t.addColumns(count, share, band);
        }
        List<DoubleColumn> runCols = new ArrayList<>();
        for (var e : recallByRun.entrySet()) {
            checkPredicateVector(e.getKey(), e.getValue());
            DoubleColumn c = DoubleColumn.create(e.getKey());
            runCols.add(c);
            t.addColumns(c);
        }
        double total = bands == null ? 0 : bands.total();
        for (int p : ids) {
            id.append(p);
            name.append(Vocabulary.PREDICATES.get(p));
            group.append(groupOf(p).name().toLowerCase(Locale.ROOT));
            if (bands != null) {
                count.append(bands.count(p));
                share.append(total == 0 ? Double.NaN : bands.count(p) / total);
                band.append(bands.band(p).label);
            }
            int r = 0;
            for (double[] v : recallByRun.values()) {
                appendOrMissing(runCols.get(r++), v[p]);
            }
        }
        return t;
    }

    /**
     * Mean recall over the predicates of each band (predicates with a missing recall are left out of the mean),
     * one row per run: the head/body/tail view of mean recall.
     */
    public static Table bandSummary(Map<String, double[]> recallByRun, PredicateBands bands) {
        Table t = Table.create("recall by frequency band");
        StringColumn run = StringColumn.create("run");
        t.addColumns(run);
        Map<PredicateBands.Band, DoubleColumn> cols = new LinkedHashMap<>();
        for (PredicateBands.Band b : PredicateBands.Band.values()) {
            DoubleColumn c = DoubleColumn.create(b.label + " (" + bands.members(b).size() + ")");
            cols.put(b, c);
            t.addColumns(c);
        }
        DoubleColumn all = DoubleColumn.create("all (26)");
        t.addColumns(all);
        for (var e : recallByRun.entrySet()) {
            checkPredicateVector(e.getKey(), e.getValue());
            run.append(e.getKey());
            for (var bc : cols.entrySet()) {
                bc.getValue().append(meanOf(e.getValue(), bands.members(bc.getKey())));
            }
            List<Integer> every = new ArrayList<>();
            for (int p = 0; p < Vocabulary.NUM_PREDICATES; p++) {
                every.add(p);
            }
            all.append(meanOf(e.getValue(), every));
        }
        return t;
    }

    /**
     * Turns a by-name map ({@code "holding" -> 0.61}) into the {@code [26]} vector the tables take; predicates not
     * in the map are NaN (missing).
     */
    public static double[] predicateVector(String run, Map<String, Double> byName) {
        double[] v = new double[Vocabulary.NUM_PREDICATES];
        java.util.Arrays.fill(v, Double.NaN);
        for (var e : byName.entrySet()) {
            int p = Vocabulary.PREDICATES.indexOf(e.getKey());
            if (p < 0) {
                throw new KitException("per-predicate recall of run '" + run + "': unknown predicate '" + e.getKey()
                        + "', expected one of " + Vocabulary.PREDICATES);
            }
            v[p] = e.getValue() == null ? Double.NaN : e.getValue();
        }
        checkPredicateVector(run, v);
        return v;
    }

    /** Speed and size of each model: model, widths, step time, inference time, GFLOP/s, parameters. */
    public static Table benchmark(List<BenchmarkRow> rows) {
        Table t = Table.create("speed and size");
        StringColumn model = StringColumn.create("model");
        StringColumn widths = StringColumn.create("widths");
        DoubleColumn step = DoubleColumn.create("step s");
        DoubleColumn infer = DoubleColumn.create("inference s");
        DoubleColumn gflops = DoubleColumn.create("GFLOP/s");
        LongColumn params = LongColumn.create("params");
        t.addColumns(model, widths, step, infer, gflops, params);
        for (BenchmarkRow r : rows) {
            model.append(r.model());
            widths.append(r.widths());
            step.append(r.stepSeconds());
            infer.append(r.inferenceSeconds());
            gflops.append(r.gflops());
            if (r.params() < 0) {
                params.appendMissing();
            } else {
                params.append(r.params());
            }
        }
        return t;
    }

    static Vocabulary.Group groupOf(int predicate) {
        if (predicate < Vocabulary.SPATIAL_OFFSET) {
            return Vocabulary.Group.ATTENTION;
        }
        return predicate < Vocabulary.CONTACTING_OFFSET ? Vocabulary.Group.SPATIAL : Vocabulary.Group.CONTACTING;
    }

    static void checkPredicateVector(String run, double[] v) {
        if (v == null || v.length != Vocabulary.NUM_PREDICATES) {
            throw new KitException("per-predicate recall of run '" + run + "': expected 26 values (predicate ids "
                    + "0..25), got " + (v == null ? "none" : v.length));
        }
        for (int p = 0; p < v.length; p++) {
            if (!Double.isNaN(v[p]) && (v[p] < 0 || v[p] > 1)) {
                throw new KitException("per-predicate recall of run '" + run + "', predicate '"
                        + Vocabulary.PREDICATES.get(p) + "' is " + v[p] + ": expected a fraction in [0, 1] or NaN");
            }
        }
    }

    private static double meanOf(double[] v, List<Integer> ids) {
        double sum = 0;
        int n = 0;
        for (int p : ids) {
            if (!Double.isNaN(v[p])) {
                sum += v[p];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Metric names made canonical and values checked to be fractions; a null map means "not evaluated". */
    private static Map<String, Double> canonical(String run, String constraint, Map<String, Double> values) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (values == null) {
            return out;
        }
        for (var e : values.entrySet()) {
            String name = canonicalMetric(e.getKey());
            Double v = e.getValue();
            if (out.containsKey(name)) {
                throw new KitException("results of run '" + run + "' (" + constraint + " constraint): metric '"
                        + name + "' is given twice (as '" + e.getKey() + "' and another spelling)");
            }
            if (v != null && !Double.isNaN(v) && (v < 0 || v > 1)) {
                throw new KitException("results of run '" + run + "' (" + constraint + " constraint): " + name
                        + " = " + v + ", expected a fraction in [0, 1] (divide percentages by 100)");
            }
            out.put(name, v);
        }
        return out;
    }

    private static void appendOrMissing(DoubleColumn c, Double v) {
        if (v == null || v.isNaN()) {
            c.appendMissing();
        } else {
            c.append(v);
        }
    }
}
