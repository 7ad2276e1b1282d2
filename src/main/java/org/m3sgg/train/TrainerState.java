package org.m3sgg.train;

import java.util.List;
import java.util.Map;

/**
 * Where a run stands, saved with every resumable checkpoint: with the parameters, the optimiser moments and the
 * seed it determines the rest of the run (the video order of an epoch and the dropout masks of a step are drawn
 * from seeds derived from {@code train.seed}, the epoch and the global step, so no generator state is needed).
 *
 * @param epoch          the epoch in progress (0-based)
 * @param stepInEpoch    steps of it already taken
 * @param globalStep     optimiser updates so far
 * @param plateauLr      the reduce-on-plateau learning rate
 * @param plateauBest    its best metric so far (-1 before the first validation)
 * @param plateauBad     epochs since it improved
 * @param epochLossSum   sum of this epoch's step losses so far
 * @param bestMetric     best validation metric (-1 before the first validation)
 * @param bestEpoch      its epoch (-1 before)
 * @param bestCheckpoint folder name of the best checkpoint under the run folder, or null
 * @param history        one record per finished epoch
 * @param steps          one record per step
 */
public record TrainerState(int epoch, int stepInEpoch, long globalStep, double plateauLr, double plateauBest,
        int plateauBad, double epochLossSum, double bestMetric, int bestEpoch, String bestCheckpoint,
        List<EpochRecord> history, List<StepRecord> steps) {

    /** One finished epoch: its mean training loss, the lr it ended with and its validation metrics. */
    public record EpochRecord(int epoch, long globalStep, double trainLoss, double lr, double seconds,
            Map<String, Double> validation) {}

    /** One step. */
    public record StepRecord(long globalStep, int epoch, String video, double loss, double lr) {}
}
