package org.m3sgg.train;

/**
 * The learning rate of every step: the configured schedule (constant, cosine, or reduce-on-plateau, whose state
 * this object owns) and the linear warm-up. The plateau state is saved with every resumable checkpoint.
 */
final class LrSchedule {

    private final TrainConfig train;
    private final int stepsPerEpoch;
    private double plateauLr;
    private double plateauBest;
    private int plateauBad;

    LrSchedule(TrainConfig train, int stepsPerEpoch, double plateauLr, double plateauBest, int plateauBad) {
        this.train = train;
        this.stepsPerEpoch = stepsPerEpoch;
        this.plateauLr = plateauLr;
        this.plateauBest = plateauBest;
        this.plateauBad = plateauBad;
    }

    /** The schedule of a new run: the plateau at the base learning rate, nothing seen yet. */
    static LrSchedule start(TrainConfig train, int stepsPerEpoch) {
        return new LrSchedule(train, stepsPerEpoch, train.lr(), -1, 0);
    }

    /** The schedule where a resumable checkpoint left it. */
    static LrSchedule resume(TrainConfig train, int stepsPerEpoch, TrainerState s) {
        return new LrSchedule(train, stepsPerEpoch, s.plateauLr(), s.plateauBest(), s.plateauBad());
    }

    /** The learning rate of global step {@code g}: the schedule, then the warm-up factor. */
    double lr(long g) {
        double lr = switch (train.schedule()) {
            case CONSTANT -> train.lr();
            case PLATEAU -> plateauLr;
            case COSINE -> {
                long total = (long) train.epochs() * stepsPerEpoch;
                double progress = Math.min(1.0, Math.max(0.0,
                        (double) (g - train.warmupSteps()) / Math.max(1, total - train.warmupSteps())));
                yield train.minLr() + 0.5 * (train.lr() - train.minLr()) * (1 + Math.cos(Math.PI * progress));
            }
        };
        if (g < train.warmupSteps()) {
            lr *= (g + 1.0) / train.warmupSteps();
        }
        return lr;
    }

    /** An epoch's validation metric: the plateau schedule steps (the others ignore it). */
    void afterValidation(double metric) {
        if (train.schedule() != TrainConfig.Schedule.PLATEAU) {
            return;
        }
        // PyTorch ReduceLROnPlateau, mode max, threshold_mode abs, cooldown 0
        if (metric > plateauBest + train.plateauThreshold()) {
            plateauBest = metric;
            plateauBad = 0;
        } else {
            plateauBad++;
        }
        if (plateauBad > train.plateauPatience()) {
            double next = Math.max(plateauLr * train.plateauFactor(), train.minLr());
            if (plateauLr - next > 1e-8) {
                plateauLr = next;
            }
            plateauBad = 0;
        }
    }

    double plateauLr() {
        return plateauLr;
    }

    double plateauBest() {
        return plateauBest;
    }

    int plateauBad() {
        return plateauBad;
    }
}
