package org.m3sgg.models;

import java.util.List;
import java.util.function.Function;
import org.m3sgg.data.AgVideo;

/**
 * A model that learns from the training split outside its gradient steps: STKET's spatial and temporal priors
 * (counted before training), TEMPURA's predicate memory (rebuilt from training features after each epoch). The
 * trainer calls these hooks with the training videos only, never validation or test. Whatever the hooks compute
 * must be part of the model's {@code state()} so that checkpoints and resumed runs carry it.
 */
public interface TrainingAware {

    /** One collated training video, as the trainer feeds it to {@code trainStep}. */
    record Example(AgVideo video, RelationInputs inputs, RelationTargets targets) {}

    /** Called once before the first step of a run, and again when a run resumes (it must be deterministic). */
    default void beforeTraining(List<AgVideo> train, Function<AgVideo, Example> collate) {}

    /** Called after epoch {@code epoch}'s last step, before validation. */
    default void afterEpoch(int epoch, List<AgVideo> train, Function<AgVideo, Example> collate) {}
}
