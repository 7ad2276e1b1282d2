package org.m3sgg.sgdet;

import java.nio.file.Path;
import org.m3sgg.features.NdArray;
import org.m3sgg.testing.Fixtures;

/** The sgdet-reference fixture as the tests read it (loaded once). */
final class SgdetFixture {

    static final Path DIR = Fixtures.dir("sgdet-reference");
    static final SgdetParity.Inputs IN = SgdetParity.readInputs(DIR);
    static final PooledHead HEAD = PooledHead.load(DIR.resolve("sgdet_head.zip.tar"), SgdetParity.HEAD_STRIDE);

    private SgdetFixture() {}

    static NdArray npy(String name, int rank) {
        return SgdetParity.npy(DIR, name, rank);
    }

    static float[][] rows(String name) {
        return SgdetParity.rows(npy(name, 2));
    }

    static int[] ints(String name, int rank) {
        long[] l = npy(name, rank).longs();
        int[] v = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            v[i] = (int) l[i];
        }
        return v;
    }

    /** Bitwise equality of two float arrays; the index of the first difference, or -1. */
    static int firstBitDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return 0;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) {
                return i;
            }
        }
        return -1;
    }
}
