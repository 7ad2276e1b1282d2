package org.m3sgg.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's resident memory and CPU time. ND4J keeps tensors off-heap and computes on native OpenMP threads, so
 * only process-wide figures mean anything: VmHWM (peak resident set) from /proc/self/status and the process CPU
 * time of all threads.
 */
public final class ProcessStats {

    private ProcessStats() {}

    /** Peak resident set in bytes (VmHWM), or -1 where /proc is not available. */
    public static long peakRss() {
        return statusBytes("VmHWM:");
    }

    /** Current resident set in bytes (VmRSS), or -1. */
    public static long rss() {
        return statusBytes("VmRSS:");
    }

    /** CPU seconds used by every thread of this process so far, or NaN if the JVM does not say. */
    public static double cpuSeconds() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            long ns = sun.getProcessCpuTime();
            return ns < 0 ? Double.NaN : ns / 1e9;
        }
        return Double.NaN;
    }

    private static long statusBytes(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    String[] f = line.substring(key.length()).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024L;   // reported in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
