package org.m3sgg.report;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * Teaches an IJava or JJava kernel to show {@link Html} values as {@code text/html}.
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
