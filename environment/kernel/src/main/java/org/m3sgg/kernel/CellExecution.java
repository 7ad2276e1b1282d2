package org.m3sgg.kernel;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import jdk.jshell.spi.SPIResolutionException;

/**
 * Runs snippets in this JVM on one long-lived cell thread (ND4J keeps per-thread state) and keeps each snippet's
 * value as an object, so the kernel can render it (images, HTML) instead of JShell's string of it.
 *
 * <p>Interrupt, in three steps: a cooperative stop flag the kit's long loops check ({@code org.m3sgg.api.Interrupts},
 * when the cell class path has it), {@link Thread#interrupt()} (blocking calls, and the kit's flag reads it too), and
 * if the cell is still running after {@link #STOP_AFTER_MILLIS}, JShell's own remedy, {@link Thread#stop()}, repeated
 * until that snippet ends. A snippet that stops by itself returns normally (a training loop returns its partial
 * result) and the rest of the cell runs, with the flag still set so further loops of the kit stop at once; a snippet
 * that ends with an exception ends the cell. The next cell clears the flag and runs normally with every earlier
 * definition kept.
 */
final class CellExecution extends DirectExecutionControl {

    /** The exception class name an interrupted snippet reports (has spaces, so no real class can have it). */
    static final String INTERRUPTED = "Cell interrupted";

    /** How long a cell may take to stop by itself after an interrupt before it is stopped by force (the kernel's). */
    static final long STOP_AFTER_MILLIS = 10_000;

    /** The kit's cooperative stop flag, set on interrupt and cleared at the next cell when it is on the class path. */
    static final String KIT_FLAG = "org.m3sgg.api.Interrupts";

    private static final Object NULL = new Object();

    private final CellLoaders loaders;
    private final long stopAfterMillis;
    private final Map<String, Object> results = new ConcurrentHashMap<>();
    private final ScheduledExecutorService stopper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
            "m3sgg-cell-stopper"));
    private final Object lock = new Object();
    private ExecutorService worker;   // guarded by lock; replaced after a forced stop
    private Thread running;           // the thread of the snippet in progress, guarded by lock
    private long snippet;             // counts snippets run, guarded by lock: a forced stop aims at one snippet
    private volatile boolean interrupted;
    private boolean cellActive;       // guarded by lock: between beforeCell and afterCell
    private boolean pending;          // guarded by lock: an interrupt that came while no snippet ran (compiling)

    CellExecution(CellLoaders loaders, long stopAfterMillis) {
        super(loaders);
        this.loaders = loaders;
        this.stopAfterMillis = stopAfterMillis;
    }

    /**
     * Redefines snippet classes in place (their static fields, i.e. the notebook's variables, keep their values), as
     * JShell's JDI engine does. Like there, a change the JVM cannot apply in place (a field or method added or
     * removed) is refused, and JShell then loads a replacement class (that variable restarts from its default).
     */
    @Override
    public void redefine(ClassBytecodes[] classes) throws NotImplementedException, ClassInstallException {
        java.lang.instrument.Instrumentation inst = Agent.instrumentation();
        if (inst == null || !inst.isRedefineClassesSupported()) {
            throw new NotImplementedException("in-place redefinition needs the kernel jar as -javaagent");
        }
        java.lang.instrument.ClassDefinition[] defs = new java.lang.instrument.ClassDefinition[classes.length];
        try {
            for (int i = 0; i < classes.length; i++) {
                defs[i] = new java.lang.instrument.ClassDefinition(loaders.findClass(classes[i].name()),
                        classes[i].bytecodes());
            }
            inst.redefineClasses(defs); // all or nothing
        } catch (ClassNotFoundException | java.lang.instrument.UnmodifiableClassException
                | UnsupportedOperationException | LinkageError e) {
            throw new NotImplementedException("cannot redefine in place: " + e);
        }
        loaders.classesRedefined(classes);
    }

    /** Called before every cell: forgets an interrupt of the previous cell. */
    void beforeCell() {
        synchronized (lock) {
            interrupted = false;
            pending = false;
            cellActive = true;
        }
        results.clear();
        callKitFlag("clear");
    }

    /** Called after every cell: an interrupt from now on has nothing to stop. */
    void afterCell() {
        synchronized (lock) {
            cellActive = false;
            pending = false;
        }
    }

    /** The value a snippet left under {@code key} (null when it had none). */
    Object takeResult(String key) {
        Object v = key == null ? null : results.remove(key);
        return v == NULL ? null : v;
    }

    @Override
    protected String invoke(Method doit) throws Exception {
        Future<Object> f;
        synchronized (lock) {
            if (pending) {
                // interrupted while JShell compiled this snippet: it never starts
                pending = false;
                throw interruptedException();
            }
            if (worker == null) {
                worker = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "m3sgg-cell");
                    t.setContextClassLoader(loaders.loader());
                    t.setDaemon(true);
                    return t;
                });
            }
            f = worker.submit(() -> run(doit));
        }
        Object value;
        try {
            value = f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvocationTargetException ite && ite.getCause() != null) {
                cause = ite.getCause();
            }
            if (cause instanceof ThreadDeath) {
                retireWorker();
                throw interruptedException();
            }
            if (cause instanceof SPIResolutionException r) {
                throw new ResolutionException(r.id(), r.getStackTrace());
            }
            if (interrupted && cause instanceof InterruptedException) {
                throw interruptedException();
            }
            throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(),
                    cause.getStackTrace());
        }
        String key = UUID.randomUUID().toString();
        results.put(key, value == null ? NULL : value);
        return key;
    }

    private Object run(Method doit) throws Exception {
        synchronized (lock) {
            running = Thread.currentThread();
            snippet++;
        }
        try {
            return doit.invoke(null);
        } finally {
            synchronized (lock) {
                running = null;
            }
            Thread.interrupted(); // an interrupt that came late must not leak into the next cell
        }
    }

    /**
     * Interrupt the running cell (see the class comment). An interrupt while the cell's next snippet is being
     * compiled stops that snippet before it starts; between cells nothing happens.
     */
    void interrupt() {
        Thread t;
        long target;
        synchronized (lock) {
            t = running;
            if (t == null) {
                if (cellActive) {
                    pending = true;
                    interrupted = true;
                    callKitFlag("request");
                }
                return;
            }
            target = snippet;
            interrupted = true;
        }
        callKitFlag("request");
        t.interrupt();
        stopper.schedule(() -> forceStop(t, target), stopAfterMillis, TimeUnit.MILLISECONDS);
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void forceStop(Thread t, long target) {
        synchronized (lock) {
            if (running != t || snippet != target || !t.isAlive()) {
                return; // that snippet ended
            }
            t.stop();
        }
        // cell code may catch ThreadDeath: stop again until it ends
        stopper.schedule(() -> forceStop(t, target), 1, TimeUnit.SECONDS);
    }

    /** After a forced stop the old thread might take a stray ThreadDeath: the next cell gets a new one. */
    private void retireWorker() {
        synchronized (lock) {
            running = null;
            if (worker != null) {
                worker.shutdown();
                worker = null;
            }
        }
    }

    private UserException interruptedException() {
        return new UserException("the cell was interrupted", INTERRUPTED, new StackTraceElement[0]);
    }

    private void callKitFlag(String method) {
        try {
            Class<?> k = Class.forName(KIT_FLAG, true, loaders.loader());
            k.getMethod(method).invoke(null);
        } catch (ClassNotFoundException e) {
            // not a kit notebook
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            System.err.println("m3sgg kernel: could not " + method + " the kit's stop flag: " + e);
        }
    }

    @Override
    public void stop() {
        interrupt();
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (worker != null) {
                worker.shutdownNow();
            }
        }
        stopper.shutdownNow();
        super.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Hands JShell this control (one kernel, one JShell). */
    static final class Provider implements ExecutionControlProvider {
        private final CellExecution control;

        Provider(CellExecution control) {
            this.control = control;
        }

        @Override
        public String name() {
            return "m3sgg-cells";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}
