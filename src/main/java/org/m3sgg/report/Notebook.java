package org.m3sgg.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;

/**
 * The one bootstrap every notebook runs in its first cell: {@code org.m3sgg.report.Notebook.setup()}.
 *
 * <p>It makes the JVM headless, quiets ND4J's logging, finds the kit's home folder, reads {@code QUICK} and
 * teaches the kernel (the kit's own, IJava or JJava) to show {@link Html} values (rapaio needs nothing). Calling it
 * again is harmless.
 * No kernel magics are involved: the kit reaches the kernel's class path through the kernel install
 * (environment/setup.sh, or IJAVA_CLASSPATH / JJAVA_CLASSPATH, see environment/README.md).
 */
public final class Notebook {

    private Notebook() {}

    /**
     * What the bootstrap found.
     *
     * @param home the kit's root folder (holds pom.xml, configs/, datasets/)
     * @param quick true when the {@code QUICK} environment variable asks for the tiny configs (CI, smoke runs)
     * @param kernel m3sgg (the kit's kernel), IJava, JJava, rapaio or none
     * @param htmlRenderer whether a Html renderer had to be and was registered (all but rapaio)
     */
    public record Info(Path home, boolean quick, String kernel, boolean htmlRenderer) {
        @Override
        public String toString() {
            return "M3SGG-J notebook: kernel " + kernel + (htmlRenderer ? " (HTML renderer registered)" : "")
                    + ", Java " + System.getProperty("java.version") + ", quick mode " + (quick ? "on" : "off")
                    + ", home " + home;
        }
    }

    private static Info info;

    public static synchronized Info setup() {
        if (info != null) {
            return info;
        }
        // both must be set before AWT and slf4j initialise, i.e. before the first chart or ND4J call
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // ND4J warns at every start about duplicate op mappings and op fields it cannot see: noise in every output
        for (String noisy : new String[] {"org.nd4j.imports.converters.ImportClassMapping",
                "org.nd4j.autodiff.functions.DifferentialFunction"}) {
            String key = "org.slf4j.simpleLogger.log." + noisy;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "error");
            }
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Notebook.class.getClassLoader();
        }
        String kernel = KernelDisplay.detect(loader);
        boolean registered = false;
        if (!kernel.equals("rapaio") && !kernel.equals("none")) {
            registered = KernelDisplay.registerHtml(KernelDisplay.KERNELS, loader) != null;
        }
        info = new Info(home(), quick(), kernel, registered);
        return info;
    }

    /** True when {@code QUICK} is set to 1, true or yes: notebooks then use tiny configs and few steps. */
    public static boolean quick() {
        return parseFlag(System.getenv("QUICK"));
    }

    static boolean parseFlag(String v) {
        if (v == null) {
            return false;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        return s.equals("1") || s.equals("true") || s.equals("yes") || s.equals("on");
    }

    /** The kit's root folder; see {@link KitHome#home()}. */
    public static Path home() {
        return KitHome.home();
    }

    /** A folder under {@code <home>/runs/notebooks/} for a notebook's files (created; git-ignored). */
    public static Path outputDir(String notebook) {
        Path dir = home().resolve("runs").resolve("notebooks").resolve(notebook);
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new KitException("cannot create notebook output folder " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * One line about the ND4J backend: its class, BLAS vendor, cores and OpenMP threads. Loads the native
     * libraries on first call (seconds the first time ND4J runs on a machine).
     */
    public static String backend() {
        var nd4j = org.nd4j.linalg.factory.Nd4j.getBackend();
        Properties env = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
        StringBuilder sb = new StringBuilder(nd4j.getClass().getSimpleName());
        for (String key : new String[] {"blas.vendor", "cores", "omp.threads", "cuda.devicesInformation"}) {
            Object v = env.get(key);
            if (v != null) {
                sb.append(", ").append(key).append('=').append(v);
            }
        }
        return sb.toString();
    }
}
