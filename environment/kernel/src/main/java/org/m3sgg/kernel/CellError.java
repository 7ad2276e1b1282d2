package org.m3sgg.kernel;

import java.util.List;

/** A cell that did not complete: its lines for the notebook, and whether an interrupt ended it. */
final class CellError extends Exception {
    private final List<String> lines;
    private final boolean interrupted;

    CellError(List<String> lines, boolean interrupted) {
        super(lines.isEmpty() ? "error" : lines.get(0), null, false, false);
        this.lines = List.copyOf(lines);
        this.interrupted = interrupted;
    }

    CellError(List<String> lines) {
        this(lines, false);
    }

    List<String> lines() {
        return lines;
    }

    boolean interrupted() {
        return interrupted;
    }
}
