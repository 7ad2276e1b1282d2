package org.m3sgg.bench;

/**
 * Repeated measurements of one operation: wall seconds and process CPU seconds (all threads) per run.
 * CPU / wall near the thread count means the cores were ours; well below it means waiting or a loaded machine.
 */
public record Timing(double[] wall, double[] cpu) {

    public Timing {
        wall = wall.clone();
        cpu = cpu.clone();
    }

    public double wallMedian() {
        return Stats.median(wall);
    }

    public double cpuMedian() {
        return Stats.median(cpu);
    }

    public double wallMin() {
        return java.util.Arrays.stream(wall).min().orElse(Double.NaN);
    }

    @Override
    public double[] wall() {
        return wall.clone();
    }

    @Override
    public double[] cpu() {
        return cpu.clone();
    }

    /** Runs {@code op} {@code warmup} times untimed, then {@code repeats} times timed. */
    public static Timing measure(int warmup, int repeats, Runnable op) {
        for (int i = 0; i < warmup; i++) {
            op.run();
        }
        double[] wall = new double[repeats];
        double[] cpu = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            double c0 = ProcessStats.cpuSeconds();
            long t0 = System.nanoTime();
            op.run();
            wall[i] = (System.nanoTime() - t0) / 1e9;
            cpu[i] = ProcessStats.cpuSeconds() - c0;
        }
        return new Timing(wall, cpu);
    }
}
