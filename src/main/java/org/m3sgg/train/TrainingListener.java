package org.m3sgg.train;

import java.nio.file.Path;
import org.m3sgg.eval.EvaluationResult;

/**
 * Hooks into a training run, for progress bars, notebooks drawing live curves, or early inspection. Every method
 * has an empty default; listeners run on the training thread, so they should return quickly.
 */
public interface TrainingListener {

    /**
     * @param epochs        epochs of the run
     * @param stepsPerEpoch optimiser updates per epoch
     * @param startEpoch    first epoch this call runs (more than 0 when resuming)
     * @param startStep     steps of that epoch already done
     * @param parameters    trainable scalars
     */
    record Plan(String model, String mode, int epochs, int stepsPerEpoch, int startEpoch, int startStep,
            int trainVideos, int valVideos, int testVideos, long parameters, Path runDir) {}

    /** One optimiser update. {@code video} is the first video of the step. */
    record Step(int epoch, int stepInEpoch, int stepsPerEpoch, long globalStep, String video, double loss, double lr,
            double seconds) {}

    /** The end of an epoch's training pass. */
    record Epoch(int epoch, double meanLoss, double lr, double seconds) {}

    /** The validation pass after an epoch; {@code metric} is the selection metric, {@code best} whether it improved. */
    record Validation(int epoch, EvaluationResult result, String metricName, double metric, boolean best,
            double nextLr) {}

    default void onStart(Plan plan) {}

    default void onStep(Step step) {}

    default void onEpoch(Epoch epoch) {}

    default void onValidation(Validation validation) {}

    /** A checkpoint was written ({@code best}: the selected-model checkpoint, else a resumable one). */
    default void onCheckpoint(Path dir, boolean best) {}

    default void onFinish(TrainingResult result) {}
}
