package org.m3sgg.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.JvmOptions;

/**
 * The JVM the benchmark measures in: a child of the CLI's JVM started with the flags and environment that
 * paper-width training needs, so the figures do not depend on how the caller's JVM happened to be set up. The
 * same settings are what {@code docs/PERFORMANCE.md} recommends for training runs.
 */
public final class BenchJvm {

    private BenchJvm() {}

    /**
     * The benchmark's own heap, set after the kit's flags ({@code environment/jvm.options}, whose {@code -Xmx2g} it
     * overrides). ND4J's tensors live off-heap and are freed when the garbage collector finds their Java wrappers
     * dead: a small heap makes collections frequent, so dead tensors do not pile up; the figures of
     * {@code docs/PERFORMANCE.md} were measured with it.
     */
    public static final String HEAP = "-Xmx1g";

    /** javacpp's choice of native build ({@code -onednn} for libnd4j with oneDNN), passed on to the child. */
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";

    /**
     * The child's JVM flags: the kit's ({@link JvmOptions}), then {@link #HEAP}; javacpp's platform extension is the
     * caller's (the native build the caller runs is the one measured: none for bin/m3sgg's plain and cuda profiles,
     * which drop the kit's flag).
     */
    public static List<String> flags() {
        List<String> flags = new ArrayList<>(JvmOptions.load().flags());
        String prefix = "-D" + PLATFORM_EXTENSION + "=";
        String ext = System.getProperty(PLATFORM_EXTENSION);
        if (ext == null) {
            flags.removeIf(f -> f.startsWith(prefix));
        } else if (!flags.contains(prefix + ext)) {
            flags.removeIf(f -> f.startsWith(prefix));
            flags.add(prefix + ext);
        }
        flags.add(HEAP);
        return flags;
    }

    /**
     * The child's environment: the kit's ({@link JvmOptions}: libgomp's passive wait policy and OpenBLAS's short
     * thread timeout, measured in {@code docs/PERFORMANCE.md}), a value already set in the caller's environment
     * kept.
     */
    public static Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(JvmOptions.load().env());
        env.replaceAll((k, v) -> System.getenv().getOrDefault(k, v));
        return env;
    }

    /** Runs {@code org.m3sgg.cli.Main args} in a child JVM with {@link #flags()} and {@link #env()}; returns its exit code. */
    public static int runChild(List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(flags());
        String home = System.getProperty("m3sgg.home");
        if (home != null) {
            cmd.add("-Dm3sgg.home=" + home);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.m3sgg.cli.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(env());
        return pb.start().waitFor();
    }
}
