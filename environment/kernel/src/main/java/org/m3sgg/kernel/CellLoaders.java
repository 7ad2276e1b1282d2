package org.m3sgg.kernel;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl.ClassBytecodes;
import jdk.jshell.spi.ExecutionControl.ClassInstallException;
import jdk.jshell.spi.ExecutionControl.InternalException;

/**
 * The class loaders of cell code. Snippet classes and the cell class path ({@code IJAVA_CLASSPATH}, {@code %jars},
 * {@code %classpath}, {@code %maven}) live in one {@link CellClassLoader}; its parent shows the JDK plus only the
 * kernel's public runtime ({@code org.m3sgg.kernel.*}, the base kernel's {@code io.github.spencerpark.jupyter.*}),
 * never the kernel's own libraries (ZeroMQ, Gson, the Maven resolver, slf4j), so a notebook's class path decides
 * which versions of those its code sees.
 */
final class CellLoaders implements LoaderDelegate {

    /** Packages of the kernel that cell code may see (the display functions, the kernel instance, DisplayData). */
    static final String[] VISIBLE = {"org.m3sgg.kernel.", "io.github.spencerpark.jupyter."};

    private final CellClassLoader loader;
    private final Map<String, Class<?>> snippetClasses = new ConcurrentHashMap<>();

    CellLoaders(ClassLoader kernelLoader) {
        this.loader = new CellClassLoader(new KernelRuntimeOnly(kernelLoader));
    }

    ClassLoader loader() {
        return loader;
    }

    @Override
    public void load(ClassBytecodes[] classes) throws ClassInstallException {
        boolean[] loaded = new boolean[classes.length];
        try {
            for (ClassBytecodes c : classes) {
                loader.declare(c.name(), c.bytecodes());
            }
            for (int i = 0; i < classes.length; i++) {
                Class<?> k = loader.loadClass(classes[i].name());
                snippetClasses.put(classes[i].name(), k);
                loaded[i] = true;
                k.getDeclaredMethods(); // links the class now, so a bad class fails here and not mid-cell
            }
        } catch (Throwable e) {
            throw new ClassInstallException("could not load a snippet class: " + e, loaded);
        }
    }

    @Override
    public void classesRedefined(ClassBytecodes[] classes) {
        for (ClassBytecodes c : classes) {
            loader.declare(c.name(), c.bytecodes());
        }
    }

    @Override
    public void addToClasspath(String path) throws InternalException {
        for (String entry : path.split(java.io.File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            try {
                loader.add(Path.of(entry).toAbsolutePath().toUri().toURL());
            } catch (MalformedURLException | RuntimeException e) {
                throw new InternalException("bad class path entry '" + entry + "': " + e.getMessage());
            }
        }
    }

    @Override
    public Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> k = snippetClasses.get(name);
        if (k == null) {
            throw new ClassNotFoundException(name + " is not a snippet class");
        }
        return k;
    }

    /** Snippet classes from their bytes, everything else from the cell class path (after the parent). */
    static final class CellClassLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

        CellClassLoader(ClassLoader parent) {
            super("m3sgg-cells", new URL[0], parent);
        }

        void declare(String name, byte[] bytes) {
            declared.put(name, bytes);
        }

        void add(URL url) {
            addURL(url);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] b = declared.get(name);
            if (b != null) {
                return defineClass(name, b, 0, b.length);
            }
            return super.findClass(name);
        }
    }

    /** The JDK (platform loader) plus the kernel's {@link #VISIBLE} packages. */
    static final class KernelRuntimeOnly extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final ClassLoader kernel;

        KernelRuntimeOnly(ClassLoader kernel) {
            super("m3sgg-kernel-runtime", ClassLoader.getPlatformClassLoader());
            this.kernel = kernel;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            for (String p : VISIBLE) {
                if (name.startsWith(p)) {
                    return kernel.loadClass(name);
                }
            }
            throw new ClassNotFoundException(name);
        }
    }
}
