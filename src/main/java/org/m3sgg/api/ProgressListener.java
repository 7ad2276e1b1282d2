package org.m3sgg.api;

/**
 * Progress of a long task that is not training (scoring a split, extracting features): a total, then advances.
 * Every method has an empty default; listeners run on the working thread and should return quickly.
 */
public interface ProgressListener {

    /** The task starts; {@code total} units (videos, frames) are to be done, 0 or less when not known ahead. */
    default void onStart(String task, long total) {}

    /** {@code done} units are finished; {@code item} names the last one (a video id), or null. */
    default void onAdvance(long done, String item) {}

    /** The task ended (normally or not). */
    default void onFinish() {}

    /** A listener that does nothing. */
    static ProgressListener none() {
        return new ProgressListener() {};
    }
}
