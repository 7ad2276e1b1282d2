package org.m3sgg.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM the benchmark measures in: a child of the CLI's JVM started with the flags and environment that
 * paper-width training needs, so the figures do not depend on how the caller's JVM happened to be set up. The
 * same settings are what {@code docs/PERFORMANCE.md} recommends for training runs.
 */
public final class BenchJvm {

    private BenchJvm() {}

    /**
     * JVM flags. ND4J's tensors live off-heap and are freed when the garbage collector finds their Java wrappers
     * dead: a small heap makes collections frequent, so dead tensors do not pile up; javacpp's maxbytes bounds the
     * off-heap memory it tracks (beyond it, it forces a collection before allocating) and maxphysicalbytes bounds
     * the whole resident set.
     */
    public static final List<String> FLAGS = List.of("-Xmx1g", "-Xss4m", "-Djava.awt.headless=true",
            "-Dorg.bytedeco.javacpp.maxbytes=5G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=7G",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");

    /**
     * Environment. libgomp's default wait policy spins at every barrier; on 2 cores shared with other work the
     * spinning threads take the CPU from the ones doing the work (about 30% of all samples in a perf profile of a
     * training step). Passive waiting gave 30-50% lower CPU time per step. OpenBLAS's own worker threads keep
     * polling (with {@code sched_yield}) for 2^28 cycles after each product by default; 2^4 lets them sleep at
     * once, which took about 0.1-0.2 s off a 2.6 s paper-width training step (the caller's value is kept if set).
     */
    public static final Map<String, String> ENV = Map.of("OMP_WAIT_POLICY", "PASSIVE",
            "OPENBLAS_THREAD_TIMEOUT", System.getenv().getOrDefault("OPENBLAS_THREAD_TIMEOUT", "4"));

    /** Runs {@code org.m3sgg.cli.Main args} in a child JVM with {@link #FLAGS} and {@link #ENV}; returns its exit code. */
    public static int runChild(List<String> args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(FLAGS);
        String home = System.getProperty("m3sgg.home");
        if (home != null) {
            cmd.add("-Dm3sgg.home=" + home);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.m3sgg.cli.Main");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().putAll(ENV);
        return pb.start().waitFor();
    }
}
