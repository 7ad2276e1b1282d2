package org.m3sgg.train;

import java.nio.file.Path;
import java.util.List;
import org.m3sgg.models.SggModel;
import org.m3sgg.eval.EvaluationResult;

/**
 * What a run hands back: a finished run (the test split scored with the selected parameters), or one interrupted
 * before its end ({@link Trainer#stopAfter}, or the training thread interrupted), which {@code --resume} continues
 * from its newest checkpoint.
 *
 * @param runDir          the run folder
 * @param model           finished: the model with the selected (best validation) parameters loaded; interrupted:
 *                        the model as training left it
 * @param bestEpoch       the epoch whose parameters were selected (-1: none validated yet)
 * @param bestMetric      its validation metric (-1: none yet)
 * @param bestCheckpoint  the checkpoint folder of those parameters (null: none yet)
 * @param test            the test split scored once with the selected parameters (all three constraints); null
 *                        when interrupted
 * @param history         one record per finished epoch
 * @param interrupted     whether the run stopped before its last epoch
 * @param globalStep      optimiser updates taken when it returned
 */
public record TrainingResult(Path runDir, SggModel model, int bestEpoch, double bestMetric, Path bestCheckpoint,
        EvaluationResult test, List<TrainerState.EpochRecord> history, boolean interrupted, long globalStep) {

    /** Whether the run ran to its end and scored the test split. */
    public boolean finished() {
        return !interrupted;
    }
}
