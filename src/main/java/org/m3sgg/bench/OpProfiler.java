package org.m3sgg.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * A SameDiff listener that times every executed op between {@code preOpExecution} and {@code opExecution} and
 * sums the time per op kind and per (kind, input shapes). What it does not see (time between ops: SameDiff's
 * scheduling, array bookkeeping, the updater outside the graph) is the wall time minus the total it reports.
 */
public final class OpProfiler extends BaseListener {

    /** Total seconds and calls of one key. */
    public record Entry(String key, double seconds, long calls) {}

    private final Map<String, double[]> byKind = new HashMap<>();
    private final Map<String, double[]> byShape = new HashMap<>();
    private long start;

    @Override
    public boolean isActive(Operation operation) {
        return true;
    }

    @Override
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
        start = System.nanoTime();
    }

    @Override
    public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx,
            INDArray[] outputs) {
        double s = (System.nanoTime() - start) / 1e9;
        String kind = op.getOp().opName();
        add(byKind, kind, s);
        StringBuilder shapes = new StringBuilder(kind);
        if (ctx != null) {
            for (INDArray in : ctx.getInputArrays()) {
                shapes.append(' ').append(in == null ? "-" : Arrays.toString(in.shape()) + in.ordering());
            }
        }
        add(byShape, shapes.toString(), s);
    }

    private static void add(Map<String, double[]> m, String key, double s) {
        double[] v = m.computeIfAbsent(key, k -> new double[2]);
        v[0] += s;
        v[1] += 1;
    }

    public void reset() {
        byKind.clear();
        byShape.clear();
    }

    public double totalSeconds() {
        return byKind.values().stream().mapToDouble(v -> v[0]).sum();
    }

    public List<Entry> topKinds(int k) {
        return top(byKind, k);
    }

    public List<Entry> topShapes(int k) {
        return top(byShape, k);
    }

    private static List<Entry> top(Map<String, double[]> m, int k) {
        List<Entry> all = new ArrayList<>();
        m.forEach((key, v) -> all.add(new Entry(key, v[0], (long) v[1])));
        all.sort(Comparator.comparingDouble(Entry::seconds).reversed());
        return all.subList(0, Math.min(k, all.size()));
    }
}
