package org.m3sgg.kernel;

import java.lang.instrument.Instrumentation;

/**
 * The kernel jar is also a Java agent ({@code -javaagent:m3sgg-kernel.jar} in the kernel spec's argv), for one
 * thing: redefining a snippet's class in place, as JShell's default (remote) engine does through JDI. Without it,
 * a later cell whose imports make JShell recompile earlier snippets would load fresh copies of their classes and
 * silently reset every variable they hold to null (what IJava and JJava do).
 */
public final class Agent {

    private static volatile Instrumentation instrumentation;

    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    /** Null when the JVM was started without the agent. */
    static Instrumentation instrumentation() {
        return instrumentation;
    }
}
