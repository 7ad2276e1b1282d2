package org.m3sgg.report;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * The one place the kit talks to the Jupyter kernel it runs in, always through reflection (the kit compiles against
 * no kernel): the kit's own kernel (environment/kernel), IJava 1.3, JJava, or rapaio.
 *
 * <p>{@link #display(Object)} and {@link #updateDisplay(String, Object)} call the kernel's static functions of the
 * same names, which IJava, JJava and the kit's kernel share ({@code <runtime>.Display.display(Object)} returning a
 * display id, {@code updateDisplay(String, Object)}); rapaio has them on its {@code Global}. Outside a kernel they do
 * nothing, so library code (live training charts) can call them unconditionally.
 *
 * <p>{@link #registerHtml} teaches kernels built on jupyter-jvm-basekernel 2.x (the kit's, IJava, JJava) to show
 * {@link Html} values as {@code text/html}: they render an unknown object as {@code text/plain} unless a render
 * function is registered with the kernel's {@code Renderer}: {@code <Kernel>.getKernelInstance().getRenderer()
 * .createRegistration(type).preferring(String...).register(fn)}, where {@code fn} receives
 * {@code (value, RenderContext)} and writes {@code context.getOutputContainer().putData("text/html", html)}. The
 * rapaio kernel needs none of this: it shows {@code toString()} as HTML.
 */
final class KernelDisplay {

    private KernelDisplay() {}

    /** The kit's own kernel (environment/kernel). */
    static final String KIT_KERNEL = "org.m3sgg.kernel.M3sggKernel";

    /** Entry classes of the kernels that need a registration, each with a static getKernelInstance(). */
    static final List<String> KERNELS = List.of(KIT_KERNEL, "io.github.spencerpark.ijava.IJava",
            "org.dflib.jjava.JJava");

    static final String RAPAIO = "org.rapaio.jupyter.kernel.global.Global";

    /** Classes with static {@code String display(Object)} and {@code void updateDisplay(String, Object)}. */
    static final List<String> DISPLAYS = List.of("org.m3sgg.kernel.runtime.Display",
            "io.github.spencerpark.ijava.runtime.Display", "org.dflib.jjava.runtime.Display", RAPAIO);

    /** The name of the kernel this JVM runs in: m3sgg (the kit's), rapaio, IJava, JJava, or none. */
    static String detect(ClassLoader loader) {
        if (present(RAPAIO, loader)) {
            return "rapaio";
        }
        for (String k : KERNELS) {
            if (present(k, loader) && kernelInstance(k, loader) != null) {
                return k.equals(KIT_KERNEL) ? "m3sgg" : k.substring(k.lastIndexOf('.') + 1);
            }
        }
        return "none";
    }

    /**
     * Shows {@code value} below the running cell through the kernel's {@code display(Object)}.
     *
     * @return the display id (for {@link #updateDisplay}), or null outside a kernel or when the kernel refused
     */
    static String display(Object value) {
        return display(DISPLAYS, value, KernelDisplay.class.getClassLoader());
    }

    static String display(List<String> displayClasses, Object value, ClassLoader loader) {
        for (String c : displayClasses) {
            Method m = method(c, loader, "display", Object.class);
            if (m != null) {
                try {
                    return (String) m.invoke(null, value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // the class without a running kernel (e.g. IJava's jar on a test class path): try the next
                }
            }
        }
        return null;
    }

    /** Replaces what {@link #display} showed under {@code id}; false outside a kernel or for a null id. */
    static boolean updateDisplay(String id, Object value) {
        return updateDisplay(DISPLAYS, id, value, KernelDisplay.class.getClassLoader());
    }

    static boolean updateDisplay(List<String> displayClasses, String id, Object value, ClassLoader loader) {
        if (id == null) {
            return false;
        }
        for (String c : displayClasses) {
            Method m = method(c, loader, "updateDisplay", String.class, Object.class);
            if (m != null) {
                try {
                    m.invoke(null, id, value);
                    return true;
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // as in display
                }
            }
        }
        return false;
    }

    private static Method method(String className, ClassLoader loader, String name, Class<?>... params) {
        try {
            return Class.forName(className, true, loader).getMethod(name, params);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /**
     * Registers the {@link Html} renderer with the first kernel among {@code kernelClasses} that is running.
     *
     * @return the entry class used, or null when none is running
     */
    static String registerHtml(List<String> kernelClasses, ClassLoader loader) {
        for (String k : kernelClasses) {
            Object kernel = present(k, loader) ? kernelInstance(k, loader) : null;
            if (kernel == null) {
                continue;
            }
            try {
                Object renderer = kernel.getClass().getMethod("getRenderer").invoke(kernel);
                Object registration = renderer.getClass().getMethod("createRegistration", Class.class)
                        .invoke(renderer, Html.class);
                Method preferring = registration.getClass().getMethod("preferring", String[].class);
                registration = preferring.invoke(registration, (Object) new String[] {"text/html"});
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
                            case "toString" -> "m3sgg Html renderer";
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == args[0];
                            default -> null;
                        };
                    }
                    // render(T value, RenderContext context)
                    Html html = (Html) args[0];
                    Object context = args[1];
                    Object out = context.getClass().getMethod("getOutputContainer").invoke(context);
                    out.getClass().getMethod("putData", String.class, Object.class).invoke(out, "text/html",
                            html.html());
                    return null;
                };
                Object fn = Proxy.newProxyInstance(fnType.getClassLoader(), new Class<?>[] {fnType}, handler);
                register.invoke(registration, fn);
                return k;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // an API this code does not know: HTML values fall back to text, which is still readable
                System.err.println("m3sgg: could not register the HTML renderer with " + k + ": " + e);
                return null;
            }
        }
        return null;
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
