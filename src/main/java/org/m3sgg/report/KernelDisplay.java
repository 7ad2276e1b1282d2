package org.m3sgg.report;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * The one place that talks to a notebook kernel: teaches an IJava or JJava kernel to show the kit's values richly
 * ({@link Rich} bundles: {@link Html}, {@link Figure}, and through {@link Display#rich} tables and results), and
 * finds the kernel's display / update-display functions for live views ({@link #sink}).
 *
 * <p>Both kernels (IJava 1.3 with jupyter-jvm-basekernel 2.x, and its fork JJava) render an unknown object as
 * {@code text/plain} unless a render function is registered with the kernel's {@code Renderer}. The kit does not
 * compile against either kernel (neither is on Maven Central), so the registration goes through reflection on
 * their public API: {@code <Kernel>.getKernelInstance().getRenderer().createRegistration(type)
 * .preferring(String...).register(fn)}, where {@code fn} receives {@code (value, RenderContext)} and writes
 * {@code context.getOutputContainer().putData("text/html", html)}. The rapaio kernel needs none of this: it shows
 * {@code toString()} as HTML.
 */
final class KernelDisplay {

    private KernelDisplay() {}

    /** Entry classes of the kernels that need a registration, each with a static getKernelInstance(). */
    static final List<String> KERNELS = List.of("io.github.spencerpark.ijava.IJava", "org.dflib.jjava.JJava");

    static final String RAPAIO = "org.rapaio.jupyter.kernel.global.Global";

    /** The name of the kernel this JVM runs in: rapaio, IJava, JJava, or none. */
    static String detect(ClassLoader loader) {
        if (present(RAPAIO, loader)) {
            return "rapaio";
        }
        for (String k : KERNELS) {
            if (present(k, loader) && kernelInstance(k, loader) != null) {
                return k.substring(k.lastIndexOf('.') + 1);
            }
        }
        return "none";
    }

    /**
     * Registers a renderer for each of {@link Display#RICH_TYPES} with the first kernel among {@code kernelClasses}
     * that is running: the value's {@link Display#rich} bundle, every MIME type with its metadata.
     *
     * @return the entry class used, or null when none is running
     */
    static String registerRenderers(List<String> kernelClasses, ClassLoader loader) {
        for (String k : kernelClasses) {
            Object kernel = present(k, loader) ? kernelInstance(k, loader) : null;
            if (kernel == null) {
                continue;
            }
            try {
                Object renderer = kernel.getClass().getMethod("getRenderer").invoke(kernel);
                for (Class<?> type : Display.RICH_TYPES) {
                    register(renderer, type);
                }
                return k;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // an API this code does not know: values fall back to their text, which is still readable
                System.err.println("m3sgg: could not register the rich-display renderers with " + k + ": " + e);
                return null;
            }
        }
        return null;
    }

    private static void register(Object renderer, Class<?> type) throws ReflectiveOperationException {
        Object registration = renderer.getClass().getMethod("createRegistration", Class.class)
                .invoke(renderer, type);
        Method preferring = registration.getClass().getMethod("preferring", String[].class);
        registration = preferring.invoke(registration, (Object) new String[] {"text/html", "image/png"});
        Method register = null;
        for (Method m : registration.getClass().getMethods()) {
            if (m.getName().equals("register") && m.getParameterCount() == 1
                    && m.getParameterTypes()[0].isInterface()) {
                register = m;
            }
        }
        if (register == null) {
            throw new IllegalStateException("no register(RenderFunction) on " + registration.getClass());
        }
        Class<?> fnType = register.getParameterTypes()[0];
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "toString" -> "m3sgg renderer for " + type.getSimpleName();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                };
            }
            // render(T value, RenderContext context)
            Rich rich = Display.rich(args[0]);
            Object out = args[1].getClass().getMethod("getOutputContainer").invoke(args[1]);
            Method putData = out.getClass().getMethod("putData", String.class, Object.class);
            for (var e : rich.mimeBundle().entrySet()) {
                putData.invoke(out, e.getKey(), e.getValue());
            }
            Method putMeta = metadataMethod(out.getClass());
            if (putMeta != null) {
                for (var e : rich.mimeMetadata().entrySet()) {
                    putMeta.invoke(out, e.getKey(), e.getValue());
                }
            }
            return null;
        };
        Object fn = Proxy.newProxyInstance(fnType.getClassLoader(), new Class<?>[] {fnType}, handler);
        register.invoke(registration, fn);
    }

    /** {@code putMetaData(String, Object)} where the kernel's display data has it (basekernel 2.x does). */
    private static Method metadataMethod(Class<?> type) {
        try {
            return type.getMethod("putMetaData", String.class, Object.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    // ---- live views -----------------------------------------------------------------------------------------

    /**
     * Classes with IJava's runtime display API (IJava 1.3 and JJava have the same one): static
     * {@code String display(Object)} (shows a value, returns its display id) and
     * {@code void updateDisplay(String, Object)} (replaces it). A kernel that ships its own adds its class here.
     */
    static final List<String> DISPLAY_CLASSES = List.of("io.github.spencerpark.ijava.runtime.Display",
            "org.dflib.jjava.runtime.Display");

    /** The running kernel's display functions as a sink, or {@link DisplaySink#none()} outside a kernel. */
    static DisplaySink sink(ClassLoader loader) {
        return sink(DISPLAY_CLASSES, loader);
    }

    static DisplaySink sink(List<String> displayClasses, ClassLoader loader) {
        for (String name : displayClasses) {
            try {
                Class<?> c = Class.forName(name, true, loader);
                Method display = c.getMethod("display", Object.class);
                Method update = c.getMethod("updateDisplay", String.class, Object.class);
                return new DisplaySink() {
                    @Override
                    public String show(Rich value) {
                        try {
                            return (String) display.invoke(null, value);
                        } catch (ReflectiveOperationException | RuntimeException e) {
                            return null;   // no kernel running behind the class: nothing to show
                        }
                    }

                    @Override
                    public void update(String id, Rich value) {
                        try {
                            update.invoke(null, id, value);
                        } catch (ReflectiveOperationException | RuntimeException e) {
                            // the output is gone (cell cleared, kernel stopping): a live view just stops
                        }
                    }
                };
            } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
                // not this kernel
            }
        }
        return DisplaySink.none();
    }

    private static boolean present(String name, ClassLoader loader) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static Object kernelInstance(String name, ClassLoader loader) {
        try {
            return Class.forName(name, true, loader).getMethod("getKernelInstance").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }
}
