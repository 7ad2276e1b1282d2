package org.m3sgg.train;

import java.nio.file.Path;
import java.util.List;
import org.m3sgg.models.SggModel;
import org.m3sgg.eval.EvaluationResult;

/**
 * What a finished run hands back.
 *
 * @param runDir          the run folder
 * @param model           the model with the selected (best validation) parameters loaded
 * @param bestEpoch       the epoch whose parameters were selected
 * @param bestMetric      its validation metric
 * @param bestCheckpoint  the checkpoint folder of those parameters
 * @param test            the test split scored once with the selected parameters (all three constraints)
 * @param history         one record per epoch
 */
public record TrainingResult(Path runDir, SggModel model, int bestEpoch, double bestMetric, Path bestCheckpoint,
        EvaluationResult test, List<TrainerState.EpochRecord> history) {}
