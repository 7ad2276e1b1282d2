package org.m3sgg.api;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A cooperative "stop requested" flag for long loops (training, evaluation, feature extraction): they call
 * {@link #requested()} between steps and, when it is true, stop cleanly and return what they have.
 *
 * <p>The kit's Jupyter kernel (environment/kernel) calls {@link #request()} when the user interrupts a cell and
 * {@link #clear()} before the next cell. Under other kernels (IJava, JJava), which interrupt the cell's thread,
 * {@link #requested()} sees that interrupt too. Thread-safe; one flag per JVM.
 */
public final class Interrupts {

    private static final AtomicBoolean REQUESTED = new AtomicBoolean();

    private Interrupts() {}

    /** Asks the running loop to stop at its next check. */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Forgets a request (the kernel calls it before each cell; a CLI run never needs it). */
    public static void clear() {
        REQUESTED.set(false);
    }

    /** True when a stop was requested or the calling thread was interrupted (the interrupt status is kept). */
    public static boolean requested() {
        return REQUESTED.get() || Thread.currentThread().isInterrupted();
    }
}
