package org.m3sgg.train;

import org.m3sgg.api.KitException;
import org.m3sgg.eval.Constraint;

/**
 * The {@code train:} section of a run's config. The defaults in {@code configs/base/train.yaml} are STTran's
 * schedule: AdamW (betas 0.9 / 0.999, eps 1e-8, decoupled weight decay 1e-2), lr 1e-5, 10 epochs, one video per
 * step, gradient L2 clipping at 5, reduce-on-plateau (max of validation R@20 with constraint, patience 1, factor
 * 0.5, threshold 1e-4 absolute, min 1e-7).
 *
 * @param epochs            passes over the training videos
 * @param lr                base learning rate
 * @param schedule          {@code plateau} (STTran), {@code cosine} (per step, after the warm-up) or {@code constant}
 * @param warmupSteps       linear warm-up from lr / warmupSteps to lr over the first steps (0: none); any schedule
 * @param minLr             floor of the plateau and cosine schedules
 * @param plateauFactor     lr multiplier on a plateau
 * @param plateauPatience   epochs without improvement tolerated before the lr drops
 * @param plateauThreshold  absolute improvement that counts (PyTorch's threshold_mode 'abs')
 * @param weightDecay       decoupled weight decay
 * @param clipNorm          global gradient L2 norm clip (0: off)
 * @param beta1             Adam beta 1
 * @param beta2             Adam beta 2
 * @param eps               Adam epsilon
 * @param videosPerStep     videos whose gradients are averaged into one update (the reference: 1)
 * @param seed              model initialisation, video order and dropout masks
 * @param valFraction       share of the training videos held out for model selection
 * @param valSeed           the seed of that split (kept apart from {@code seed} so runs with several seeds select on
 *                          the same videos)
 * @param valMetric         the selection metric, e.g. {@code R@20} or {@code mR@20}
 * @param valConstraint     its constraint: {@code with}, {@code semi} or {@code no}
 * @param checkpointEvery   write a resumable checkpoint every this many steps (and at every epoch end); 0: epoch ends only
 * @param keepCheckpoints   step checkpoints kept on disk (older ones are deleted; the best one is kept apart)
 * @param logEvery          plain-text progress line every this many steps (when the output is not a terminal)
 */
public record TrainConfig(int epochs, double lr, Schedule schedule, int warmupSteps, double minLr, double plateauFactor,
        int plateauPatience, double plateauThreshold, double weightDecay, double clipNorm, double beta1, double beta2,
        double eps, int videosPerStep, long seed, double valFraction, long valSeed, String valMetric,
        String valConstraint, int checkpointEvery, int keepCheckpoints, int logEvery) {

    /** Learning-rate schedules. */
    public enum Schedule { PLATEAU, COSINE, CONSTANT }

    public TrainConfig {
        check(epochs >= 1, "epochs must be at least 1, got " + epochs);
        check(lr > 0 && Double.isFinite(lr), "lr must be positive, got " + lr);
        check(schedule != null, "schedule is required: plateau, cosine or constant");
        check(warmupSteps >= 0, "warmup_steps must be >= 0, got " + warmupSteps);
        check(minLr >= 0 && minLr <= lr, "min_lr must be in [0, lr], got " + minLr);
        check(plateauFactor > 0 && plateauFactor < 1, "plateau_factor must be in (0, 1), got " + plateauFactor);
        check(plateauPatience >= 0, "plateau_patience must be >= 0, got " + plateauPatience);
        check(plateauThreshold >= 0, "plateau_threshold must be >= 0, got " + plateauThreshold);
        check(weightDecay >= 0, "weight_decay must be >= 0, got " + weightDecay);
        check(clipNorm >= 0, "clip_norm must be >= 0 (0 = off), got " + clipNorm);
        check(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1, "beta1 and beta2 must be in [0, 1)");
        check(eps > 0, "eps must be positive, got " + eps);
        check(videosPerStep >= 1, "videos_per_step must be at least 1, got " + videosPerStep);
        check(valFraction > 0 && valFraction < 1, "val_fraction must be in (0, 1), got " + valFraction);
        check(valMetric != null && valMetric.matches("(R|mR|mR_frame)@(10|20|50|100)"),
                "val_metric must be R@K, mR@K or mR_frame@K with K in 10, 20, 50, 100, got " + valMetric);
        check(valConstraint != null, "val_constraint is required: with, semi or no");
        Constraint.parse(valConstraint);
        check(checkpointEvery >= 0, "checkpoint_every must be >= 0, got " + checkpointEvery);
        check(keepCheckpoints >= 1, "keep_checkpoints must be at least 1, got " + keepCheckpoints);
        check(logEvery >= 1, "log_every must be at least 1, got " + logEvery);
    }

    public Constraint constraint() {
        return Constraint.parse(valConstraint);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new KitException("train config: " + message);
        }
    }
}
