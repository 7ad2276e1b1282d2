package org.m3sgg.report.fakekernel;

import io.github.spencerpark.jupyter.kernel.display.Renderer;

/**
 * A "kernel" whose renderer is jupyter-jvm-basekernel 2.3.0's own {@link Renderer}, the one IJava 1.3, JJava and
 * the kit's kernel use: the kit's reflective registration runs against the real API.
 */
public final class BaseKernelRenderer {

    private static final BaseKernelRenderer INSTANCE = new BaseKernelRenderer();

    private final Renderer renderer = new Renderer();

    public static BaseKernelRenderer getKernelInstance() {
        return INSTANCE;
    }

    public Renderer getRenderer() {
        return renderer;
    }
}
