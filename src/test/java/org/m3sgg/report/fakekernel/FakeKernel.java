package org.m3sgg.report.fakekernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in with the shape of IJava's public display API (jupyter-jvm-basekernel 2.x): a static
 * getKernelInstance(), getRenderer(), createRegistration(Class), preferring(String...), register(RenderFunction),
 * and a RenderContext whose getOutputContainer() takes putData(String, Object). Lets the test drive
 * {@code KernelDisplay}'s reflection end to end.
 */
public final class FakeKernel {

    private static final FakeKernel INSTANCE = new FakeKernel();

    public static FakeKernel getKernelInstance() {
        return INSTANCE;
    }

    private final Renderer renderer = new Renderer();

    public Renderer getRenderer() {
        return renderer;
    }

    public interface RenderFunction<T> {
        void render(T data, RenderContext context);
    }

    public static final class DisplayData {
        public final Map<String, Object> data = new LinkedHashMap<>();

        public void putData(String mime, Object value) {
            data.put(mime, value);
        }
    }

    public static final class RenderContext {
        private final DisplayData out = new DisplayData();

        public DisplayData getOutputContainer() {
            return out;
        }
    }

    public static final class Renderer {
        public final List<Object[]> registrations = new ArrayList<>();

        public <T> Registration<T> createRegistration(Class<T> type) {
            return new Registration<>(this, type);
        }

        /** What the kernel does with a cell's value: find the function registered for its class. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        public DisplayData render(Object value) {
            RenderContext ctx = new RenderContext();
            ctx.getOutputContainer().putData("text/plain", String.valueOf(value));
            for (Object[] r : registrations) {
                if (((Class<?>) r[0]).isInstance(value)) {
                    ((RenderFunction) r[2]).render(value, ctx);
                }
            }
            return ctx.getOutputContainer();
        }
    }

    public static final class Registration<T> {
        private final Renderer renderer;
        private final Class<T> type;
        private final List<String> preferred = new ArrayList<>();

        Registration(Renderer renderer, Class<T> type) {
            this.renderer = renderer;
            this.type = type;
        }

        public Registration<T> preferring(String... types) {
            preferred.addAll(List.of(types));
            return this;
        }

        public void register(RenderFunction<T> function) {
            renderer.registrations.add(new Object[] {type, List.copyOf(preferred), function});
        }
    }

    /** The shape of the kernels' static display functions: display(Object) returns an id, updateDisplay(id, value). */
    public static final class Display {
        public static final List<Object[]> CALLS = new ArrayList<>();

        public static String display(Object value) {
            CALLS.add(new Object[] {"display", value});
            return "id-" + CALLS.size();
        }

        public static void updateDisplay(String id, Object value) {
            CALLS.add(new Object[] {"update " + id, value});
        }
    }

    /** Like IJava's Display without a running kernel: every call throws. */
    public static final class NoKernelDisplay {
        public static String display(Object value) {
            throw new IllegalStateException("no kernel");
        }

        public static void updateDisplay(String id, Object value) {
            throw new IllegalStateException("no kernel");
        }
    }
}
