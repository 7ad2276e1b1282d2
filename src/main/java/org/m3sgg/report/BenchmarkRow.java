package org.m3sgg.report;

/**
 * One model's speed and size measurement. Unmeasured values are {@code NaN} (times, GFLOP/s) or -1 (params).
 *
 * @param model model name as the registry knows it
 * @param widths free text describing the widths, e.g. {@code d=1936 h=8 ff=2048}
 * @param stepSeconds median wall time of one training step
 * @param inferenceSeconds median wall time of one forward pass
 * @param gflops achieved throughput of the training step, GFLOP per second
 * @param params trainable parameter count
 */
public record BenchmarkRow(String model, String widths, double stepSeconds, double inferenceSeconds, double gflops,
        long params) {

    public BenchmarkRow {
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("benchmark row needs a model name");
        }
        widths = widths == null ? "" : widths;
    }
}
