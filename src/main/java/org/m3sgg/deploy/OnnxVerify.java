package org.m3sgg.deploy;

import java.util.List;
import java.util.Map;
import org.m3sgg.data.AgVideo;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.train.RunData;
import org.m3sgg.models.GraphModel;
import org.m3sgg.models.SggModel;
import org.m3sgg.train.Inference;

/**
 * The check behind {@code export onnx --verify}: the videos are scored twice with the full protocol, once by the
 * kit (SameDiff) and once with every graph pass answered by ONNX Runtime from the exported files (the kit's
 * host-side steps unchanged). Every output of every pass is compared to SameDiff's, and every metric (R@K, mR@K,
 * mR_frame@K for the three constraints) of the two scorings.
 */
public final class OnnxVerify {

    /** Largest output difference that passes. */
    public static final double OUTPUT_TOLERANCE = 1e-4;
    /** Largest metric difference that passes. */
    public static final double METRIC_TOLERANCE = 1e-6;

    /**
     * @param maxOutputDiff largest absolute difference per output name, over all passes of all videos
     * @param maxMetricDiff largest absolute difference of any metric of any constraint
     */
    public record Report(Map<String, Double> maxOutputDiff, EvaluationResult kit, EvaluationResult onnx,
            double maxMetricDiff, int videos, double kitSeconds, double onnxSeconds) {

        public double maxOutput() {
            return maxOutputDiff.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        }

        public boolean passed() {
            return maxOutput() <= OUTPUT_TOLERANCE && maxMetricDiff <= METRIC_TOLERANCE;
        }
    }

    private OnnxVerify() {}

    public static Report verify(SggModel model, OnnxExport.Exported exported, List<AgVideo> videos,
            RunData data, EvaluatorConfig config) {
        GraphModel<?> g = (GraphModel<?>) model;
        long t0 = System.nanoTime();
        EvaluationResult kit = Inference.score(model, videos, data, config, null).result();
        double kitSeconds = (System.nanoTime() - t0) / 1e9;
        EvaluationResult onnx;
        Map<String, Double> diffs;
        double onnxSeconds;
        try (OrtEngine engine = new OrtEngine(exported, true)) {
            g.setEngine(engine);
            onnx = Inference.score(model, videos, data, config, null).result();
            diffs = Map.copyOf(engine.maxDifferences());
            onnxSeconds = engine.ortSeconds();
        } finally {
            g.setEngine(null);
        }
        double worst = 0;
        for (Constraint c : Constraint.values()) {
            Map<String, Double> a = kit.get(c).metrics();
            Map<String, Double> b = onnx.get(c).metrics();
            for (Map.Entry<String, Double> e : a.entrySet()) {
                worst = Math.max(worst, Math.abs(e.getValue() - b.get(e.getKey())));
            }
        }
        return new Report(new java.util.TreeMap<>(diffs), kit, onnx, worst, videos.size(), kitSeconds, onnxSeconds);
    }
}
