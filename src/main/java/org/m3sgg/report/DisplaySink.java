package org.m3sgg.report;

import java.io.PrintStream;

/**
 * Where a live view goes: a value is shown once and then replaced in place as it changes (Jupyter's display and
 * update-display messages with a display id). {@link KernelDisplay#sink} finds the running kernel's; tests and
 * consoles use {@link #none()}, {@link #text} or their own.
 */
public interface DisplaySink {

    /** Shows {@code value} in a new output; returns the id {@link #update} takes, or null if it cannot update. */
    String show(Rich value);

    /** Replaces the output {@code id} with {@code value}. */
    void update(String id, Rich value);

    /** Shows nothing (outside a notebook, where {@code ConsoleProgress} or a log does the job). */
    static DisplaySink none() {
        return new DisplaySink() {
            @Override
            public String show(Rich value) {
                return null;
            }

            @Override
            public void update(String id, Rich value) {}
        };
    }

    /** Prints the text/plain form of every value shown or updated, one block per call. */
    static DisplaySink text(PrintStream out) {
        return new DisplaySink() {
            @Override
            public String show(Rich value) {
                out.println(value.mimeBundle().get("text/plain"));
                return "text";
            }

            @Override
            public void update(String id, Rich value) {
                out.println(value.mimeBundle().get("text/plain"));
            }
        };
    }
}
