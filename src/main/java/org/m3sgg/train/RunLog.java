package org.m3sgg.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.m3sgg.api.AtomicFiles;

/**
 * The run's record of what happened: one row per step ({@code steps.csv}), one per finished epoch
 * ({@code history.json}, {@code history.csv}), and the running loss sum of the epoch in progress.
 */
final class RunLog {

    private final Path runDir;
    private final List<TrainerState.StepRecord> steps;
    private final List<TrainerState.EpochRecord> history;
    private double epochLossSum;

    private RunLog(Path runDir, List<TrainerState.StepRecord> steps, List<TrainerState.EpochRecord> history,
            double epochLossSum) {
        this.runDir = runDir;
        this.steps = steps;
        this.history = history;
        this.epochLossSum = epochLossSum;
    }

    /** The log where a resumable checkpoint left it (empty for a new run). */
    static RunLog resume(Path runDir, TrainerState s) {
        return new RunLog(runDir, new ArrayList<>(s.steps()), new ArrayList<>(s.history()), s.epochLossSum());
    }

    void step(TrainerState.StepRecord r) {
        epochLossSum += r.loss();
        steps.add(r);
    }

    double meanLoss(int stepsPerEpoch) {
        return epochLossSum / stepsPerEpoch;
    }

    /** Closes an epoch: its record is appended and the loss sum starts again. */
    void endEpoch(TrainerState.EpochRecord r) {
        history.add(r);
        epochLossSum = 0;
    }

    double epochLossSum() {
        return epochLossSum;
    }

    /** The live lists (saved as they are with a checkpoint). */
    List<TrainerState.StepRecord> steps() {
        return steps;
    }

    List<TrainerState.EpochRecord> history() {
        return history;
    }

    /** Writes {@code history.json}, {@code history.csv} and {@code steps.csv}. */
    void write() {
        Trainer.writeJson(runDir.resolve("history.json"), history);
        StringBuilder csv = new StringBuilder("epoch,global_step,train_loss,lr,seconds");
        List<String> keys = history.isEmpty() ? List.of() : List.copyOf(history.get(0).validation().keySet());
        keys.forEach(k -> csv.append(",val_").append(k.replace('/', '_')));
        csv.append('\n');
        for (TrainerState.EpochRecord r : history) {
            csv.append(r.epoch()).append(',').append(r.globalStep()).append(',').append(r.trainLoss()).append(',')
                    .append(r.lr()).append(',').append(String.format(Locale.ROOT, "%.2f", r.seconds()));
            keys.forEach(k -> csv.append(',').append(r.validation().get(k)));
            csv.append('\n');
        }
        AtomicFiles.writeString(runDir.resolve("history.csv"), csv.toString());
        StringBuilder sc = new StringBuilder("global_step,epoch,video,loss,lr\n");
        for (TrainerState.StepRecord r : steps) {
            sc.append(r.globalStep()).append(',').append(r.epoch()).append(',').append(r.video()).append(',')
                    .append(r.loss()).append(',').append(r.lr()).append('\n');
        }
        AtomicFiles.writeString(runDir.resolve("steps.csv"), sc.toString());
    }
}
