package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.testing.Fixtures;

/** IEEE half precision against numpy's float32 -> float16 cast (fixture {@code float16-numpy}). */
class HalfTest {

    @TempDir
    Path tmp;

    @Test
    void narrowingMatchesNumpyBitForBit() {
        float[] in = Npy.read(Fixtures.file("float16-numpy/input.npy")).floats();
        NdArray half = Npy.read(Fixtures.file("float16-numpy/half.npy"));
        assertEquals(NdArray.DType.F2, half.dtype());
        short[] want = (short[]) half.data();
        assertEquals(in.length, want.length);
        int nan = 0;
        for (int i = 0; i < in.length; i++) {
            short got = Half.fromFloat(in[i]);
            if (Float.isNaN(in[i])) {
                assertTrue(Float.isNaN(Half.toFloat(got)) && Float.isNaN(Half.toFloat(want[i])), "NaN at " + i);
                nan++;
                continue;
            }
            final int k = i;
            assertEquals(want[i], got, () -> "value " + Float.toHexString(in[k]));
        }
        assertEquals(1, nan);
    }

    @Test
    void everyHalfWidensExactlyAndNarrowsBack() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (Float.isNaN(f)) {
                assertTrue((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0);
                continue;
            }
            assertEquals((short) h, Half.fromFloat(f), "half bits " + Integer.toHexString(h));
        }
        assertEquals(65504f, Half.toFloat((short) 0x7bff));
        assertEquals(0x1p-24f, Half.toFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, Half.toFloat((short) 0xfc00));
    }

    @Test
    void float16ArraysRoundTripThroughNpyAndNpz() throws Exception {
        Path numpyFile = Fixtures.file("float16-numpy/half.npy");
        NdArray half = Npy.read(numpyFile);
        // the writer produces numpy's bytes (same header, same data)
        assertArrayEquals(Files.readAllBytes(numpyFile), Npy.toBytes(half));
        float[] values = {0.5f, -2.25f, 1e-3f, 70000f};
        NdArray a = NdArray.half(values, 2, 2);
        Path npz = tmp.resolve("x.npz");
        Npz.write(npz, Map.of("m", a));
        NdArray back = Npz.read(npz).get("m");
        assertEquals(a, back);
        assertArrayEquals(new float[] {0.5f, -2.25f, Half.toFloat(Half.fromFloat(1e-3f)), Float.POSITIVE_INFINITY},
                back.floats());
        assertArrayEquals(new double[] {0.5, -2.25, Half.toFloat(Half.fromFloat(1e-3f)), Double.POSITIVE_INFINITY},
                back.doubles());
    }
}
