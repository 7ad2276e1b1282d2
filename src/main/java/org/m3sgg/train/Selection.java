package org.m3sgg.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;

/**
 * Validation and model selection: scores the validation videos after an epoch and keeps the parameters of the
 * best epoch so far as the run's {@code best-eNNN/} checkpoint (named in the run folder's {@code best} file).
 */
final class Selection {

    /** One epoch's validation: the scores, the selection metric, whether it beat every earlier epoch. */
    record Validated(EvaluationResult result, double metric, boolean best, Map<String, Double> metrics) {}

    private final Path runDir;
    private final TrainConfig train;
    private final EvaluatorConfig evalConfig;
    private double bestMetric;
    private int bestEpoch;
    private String bestCheckpoint;

    private Selection(Path runDir, TrainConfig train, EvaluatorConfig evalConfig, double bestMetric, int bestEpoch,
            String bestCheckpoint) {
        this.runDir = runDir;
        this.train = train;
        this.evalConfig = evalConfig;
        this.bestMetric = bestMetric;
        this.bestEpoch = bestEpoch;
        this.bestCheckpoint = bestCheckpoint;
    }

    /** Where a resumable checkpoint left the selection (a new run's state: nothing selected). */
    static Selection resume(Path runDir, TrainConfig train, EvaluatorConfig evalConfig, TrainerState s) {
        return new Selection(runDir, train, evalConfig, s.bestMetric(), s.bestEpoch(), s.bestCheckpoint());
    }

    /** Scores the validation videos with the model as it is. */
    Validated validate(SggModel model, RunData data) {
        EvaluationResult val = Inference.score(model, data.val(), data, evalConfig, null).result();
        double metric = val.metric(train.constraint(), train.valMetric());
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Constraint k : Constraint.values()) {
            for (String name : List.of("R@10", "R@20", "R@50", "mR@10", "mR@20", "mR@50")) {
                metrics.put(k.key() + "/" + name, val.metric(k, name));
            }
        }
        return new Validated(val, metric, metric > bestMetric, metrics);
    }

    /** Keeps {@code model} as the selected one of {@code epoch}: writes its checkpoint, drops the previous one. */
    Path select(int epoch, double metric, SggModel model, Checkpoint.Meta meta, ConfigTree config) {
        bestMetric = metric;
        bestEpoch = epoch;
        String name = String.format("%s-e%03d", Trainer.BEST, epoch);
        Path dir = Checkpoint.write(runDir, name, meta, config, model, null, null);
        if (bestCheckpoint != null && !bestCheckpoint.equals(name)) {
            try {
                Checkpoint.deleteTree(runDir.resolve(bestCheckpoint));
            } catch (IOException e) {
                // a stale folder costs disk space only
            }
        }
        bestCheckpoint = name;
        AtomicFiles.writeString(runDir.resolve(Trainer.BEST), name + "\n");
        return dir;
    }

    /** The selection metric's name, e.g. {@code with R@20}. */
    String metricName() {
        return train.constraint().key() + " " + train.valMetric();
    }

    double bestMetric() {
        return bestMetric;
    }

    int bestEpoch() {
        return bestEpoch;
    }

    /** Folder name of the selected checkpoint under the run folder, or null before the first validation. */
    String bestCheckpoint() {
        return bestCheckpoint;
    }
}
