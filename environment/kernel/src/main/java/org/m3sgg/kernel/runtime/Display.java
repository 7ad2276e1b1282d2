package org.m3sgg.kernel.runtime;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.UUID;
import org.m3sgg.kernel.M3sggKernel;

/**
 * The display functions cells see, statically imported at start, with IJava 1.3's names and signatures
 * ({@code io.github.spencerpark.ijava.runtime.Display}), so a notebook that calls {@code display(x)} and
 * {@code updateDisplay(id, x)} runs unchanged under both kernels.
 */
public final class Display {

    private Display() {}

    /** The notebook's rendering of {@code o} (what a cell ending in {@code o} would show). */
    public static DisplayData render(Object o) {
        return kernel().renderValue(o);
    }

    /** {@code o} rendered as the given MIME types only. */
    public static DisplayData render(Object o, String... as) {
        return kernel().renderValue(o, as);
    }

    /** Shows {@code o} now, below the running cell; returns the id that {@link #updateDisplay} replaces it by. */
    public static String display(Object o) {
        return show(render(o));
    }

    /** Like {@link #display(Object)}, as the given MIME types. */
    public static String display(Object o, String... as) {
        return show(render(o, as));
    }

    /** Replaces what {@link #display} showed under {@code id} with {@code o}. */
    public static void updateDisplay(String id, Object o) {
        kernel().getIO().display.updateDisplay(id, render(o));
    }

    /** Like {@link #updateDisplay(String, Object)}, as the given MIME types. */
    public static void updateDisplay(String id, Object o, String... as) {
        kernel().getIO().display.updateDisplay(id, render(o, as));
    }

    private static String show(DisplayData data) {
        if (data.getDisplayId() == null) {
            data.setDisplayId(UUID.randomUUID().toString());
        }
        kernel().display(data);
        return data.getDisplayId();
    }

    private static M3sggKernel kernel() {
        M3sggKernel k = M3sggKernel.getKernelInstance();
        if (k == null) {
            throw new IllegalStateException("no M3SGG-J kernel is running in this JVM");
        }
        return k;
    }
}
