package org.m3sgg.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench results as a text table or as a JSON-ready map. */
public final class BenchReport {

    private BenchReport() {}

    public static String table(List<SttranBenchmark.Result> results) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-34s" + "%16s".repeat(results.size()) + "%n";
        List<Object> head = new ArrayList<>(List.of(""));
        results.forEach(r -> head.add(r.widths()));
        sb.append(String.format(Locale.ROOT, fmt, head.toArray()));
        row(sb, fmt, "mode", results, r -> r.mode().name().toLowerCase(Locale.ROOT));
        row(sb, fmt, "parameters", results, r -> String.format(Locale.ROOT, "%,d", r.parameters()));
        row(sb, fmt, "pairs / frames / boxes / window rows", results, r -> r.shape().pairs() + "/" + r.shape().frames()
                + "/" + r.shape().boxes() + "/" + r.shape().windowRows());
        row(sb, fmt, "GFLOP forward (model)", results, r -> f(r.flops().forward() / 1e9, 2));
        row(sb, fmt, "GFLOP one-hot/diagonal (extra)", results, r -> f(r.flops().selection() / 1e9, 2));
        row(sb, fmt, "GFLOP training step (3x fwd)", results, r -> f(r.flops().trainingStep() / 1e9, 2));
        row(sb, fmt, "graph build s", results, r -> f(r.buildSeconds(), 2));
        row(sb, fmt, "first training step s", results, r -> f(r.firstStepSeconds(), 2));
        row(sb, fmt, "forward s (median wall)", results, r -> f(r.forward().wallMedian(), 3));
        row(sb, fmt, "forward CPU s (median)", results, r -> f(r.forward().cpuMedian(), 3));
        row(sb, fmt, "training step s (median wall)", results, r -> f(r.train().wallMedian(), 3));
        row(sb, fmt, "training step CPU s (median)", results, r -> f(r.train().cpuMedian(), 3));
        row(sb, fmt, "training step s (min wall)", results, r -> f(r.train().wallMin(), 3));
        row(sb, fmt, "forward GFLOP/s", results, r -> f(r.forwardGflops(), 1));
        row(sb, fmt, "training GFLOP/s", results, r -> f(r.trainGflops(), 1));
        row(sb, fmt, "Nd4j.gemm GFLOP/s (same shapes)", results, r -> f(r.gemm().weightedGflops(), 1));
        row(sb, fmt, "forward / gemm", results, r -> pct(r.forwardFraction()));
        row(sb, fmt, "training / gemm", results, r -> pct(r.trainFraction()));
        row(sb, fmt, "peak RSS GB (VmHWM, process)", results, r -> f(r.peakRssBytes() / 1e9, 2));
        for (SttranBenchmark.Result r : results) {
            profile(sb, r.widths() + " forward", r.forwardProfile());
            profile(sb, r.widths() + " training step", r.trainProfile());
        }
        return sb.toString();
    }

    private static void profile(StringBuilder sb, String title, SttranBenchmark.Profile p) {
        if (p == null) {
            return;
        }
        sb.append(String.format(Locale.ROOT, "%nprofile, %s: %.3f s wall, %.3f s inside ops, %.3f s between ops%n",
                title, p.wallSeconds(), p.opSeconds(), p.wallSeconds() - p.opSeconds()));
        for (OpProfiler.Entry e : p.kinds()) {
            sb.append(String.format(Locale.ROOT, "  %-28s %8.3f s %5.1f%% %6d calls%n", e.key(), e.seconds(),
                    100 * e.seconds() / p.wallSeconds(), e.calls()));
        }
        sb.append("  heaviest (op, input shapes):\n");
        for (OpProfiler.Entry e : p.shapes()) {
            sb.append(String.format(Locale.ROOT, "  %8.3f s %4d x  %s%n", e.seconds(), e.calls(), e.key()));
        }
    }

    private interface Cell {
        String of(SttranBenchmark.Result r);
    }

    private static void row(StringBuilder sb, String fmt, String name, List<SttranBenchmark.Result> rs, Cell c) {
        List<Object> cells = new ArrayList<>(List.of(name));
        rs.forEach(r -> cells.add(c.of(r)));
        sb.append(String.format(Locale.ROOT, fmt, cells.toArray()));
    }

    private static String f(double v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    /** A JSON-ready map (numbers as numbers, seconds and GFLOP as doubles, bytes as longs). */
    public static Map<String, Object> json(List<SttranBenchmark.Result> results) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        for (SttranBenchmark.Result r : results) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("widths", r.widths());
            m.put("mode", r.mode().name().toLowerCase(Locale.ROOT));
            m.put("parameters", r.parameters());
            m.put("pairs", r.shape().pairs());
            m.put("frames", r.shape().frames());
            m.put("boxes", r.shape().boxes());
            m.put("window_rows", r.shape().windowRows());
            m.put("gflop_forward", r.flops().forward() / 1e9);
            m.put("gflop_forward_terms", scaled(r.flops().terms()));
            m.put("gflop_selection", r.flops().selection() / 1e9);
            m.put("gflop_training_step", r.flops().trainingStep() / 1e9);
            m.put("build_s", r.buildSeconds());
            m.put("first_training_step_s", r.firstStepSeconds());
            m.put("forward_wall_s", r.forward().wall());
            m.put("forward_cpu_s", r.forward().cpu());
            m.put("forward_wall_median_s", r.forward().wallMedian());
            m.put("training_step_wall_s", r.train().wall());
            m.put("training_step_cpu_s", r.train().cpu());
            m.put("training_step_wall_median_s", r.train().wallMedian());
            m.put("forward_gflops", r.forwardGflops());
            m.put("training_gflops", r.trainGflops());
            m.put("gemm_gflops", r.gemm().weightedGflops());
            List<Object> shapes = new ArrayList<>();
            for (GemmProbe.Measured g : r.gemm().shapes()) {
                shapes.add(Map.of("name", g.shape().name(), "m", g.shape().m(), "k", g.shape().k(), "n",
                        g.shape().n(), "count", g.shape().count(), "gflops", g.gflops()));
            }
            m.put("gemm_shapes", shapes);
            m.put("forward_fraction_of_gemm", r.forwardFraction());
            m.put("training_fraction_of_gemm", r.trainFraction());
            m.put("peak_rss_bytes", r.peakRssBytes());
            m.put("rss_bytes", r.rssBytes());
            if (r.trainProfile() != null) {
                m.put("profile_forward", profileMap(r.forwardProfile()));
                m.put("profile_training_step", profileMap(r.trainProfile()));
            }
            rows.add(m);
        }
        out.put("results", rows);
        return out;
    }

    private static Map<String, Double> scaled(Map<String, Double> terms) {
        Map<String, Double> m = new LinkedHashMap<>();
        terms.forEach((k, v) -> m.put(k, v / 1e9));
        return m;
    }

    private static Map<String, Object> profileMap(SttranBenchmark.Profile p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("wall_s", p.wallSeconds());
        m.put("in_ops_s", p.opSeconds());
        Map<String, Double> kinds = new LinkedHashMap<>();
        p.kinds().forEach(e -> kinds.put(e.key(), e.seconds()));
        m.put("op_kinds_s", kinds);
        return m;
    }
}
