package org.m3sgg.bench;

import java.util.Arrays;

/** Small statistics helpers for timings. */
final class Stats {

    private Stats() {}

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
