package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

class NpyTest {

    @TempDir
    Path tmp;

    private static Path resource(String name) throws Exception {
        return Path.of(NpyTest.class.getResource("/features/" + name).toURI());
    }

    @Test
    void headerIsByteIdenticalToNumpy() {
        // np.save of np.zeros((2, 3), np.float32): 128-byte header, then 24 zero bytes
        byte[] b = Npy.toBytes(NdArray.of(new float[6], 2, 3));
        assertEquals(152, b.length);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        String header = new String(b, 10, 118, StandardCharsets.ISO_8859_1);
        assertEquals(dict + " ".repeat(118 - dict.length() - 1) + "\n", header);
        assertEquals(0x76, b[8]);
        byte[] one = Npy.toBytes(NdArray.of(new long[5], 5));
        assertTrue(new String(one, 10, 118, StandardCharsets.ISO_8859_1).startsWith(
                "{'descr': '<i8', 'fortran_order': False, 'shape': (5,), }"));
    }

    @Test
    void roundTripsEveryType() throws Exception {
        List<NdArray> arrays = List.of(
                NdArray.of(new float[] {1.5f, -2f, Float.NaN, 3e-8f, 0f, 7f}, 3, 2),
                NdArray.of(new double[] {Math.PI, -1e300}, 2),
                NdArray.of(new long[] {Long.MIN_VALUE, 5, 7, Long.MAX_VALUE}, 2, 1, 2),
                NdArray.of(new int[] {-3, 4}, 1, 2),
                NdArray.of(new boolean[] {true, false, true}, 3),
                NdArray.of(new float[0], 0, 4),
                NdArray.of(new double[] {2.5}));
        for (NdArray a : arrays) {
            NdArray back = Npy.read(new ByteArrayInputStream(Npy.toBytes(a)), "mem");
            assertEquals(a, back, a.toString());
        }
        Path f = tmp.resolve("x.npy");
        Npy.write(f, arrays.get(0));
        assertEquals(arrays.get(0), Npy.read(f));
    }

    @Test
    void readsNumpyArchivesStoredAndDeflatedIncludingFortranOrder() throws Exception {
        for (String name : List.of("numpy_savez.npz", "numpy_savez_compressed.npz")) {
            Map<String, NdArray> z = Npz.read(resource(name));
            assertEquals(List.of("index", "fortran", "fortran3", "flags", "small"), List.copyOf(z.keySet()));
            assertArrayEquals(new long[] {3, 1, 3, 8, 7, 1}, z.get("index").longs());
            assertArrayEquals(new int[] {3, 2}, z.get("index").shape());
            // Fortran-order files come back in C order: element [i][j] = (4i + j) * 0.5
            float[] f = z.get("fortran").floats();
            assertArrayEquals(new int[] {3, 4}, z.get("fortran").shape());
            for (int i = 0; i < 12; i++) {
                assertEquals(i * 0.5f, f[i]);
            }
            double[] d = (double[]) z.get("fortran3").data();
            for (int i = 0; i < 24; i++) {
                assertEquals(i, d[i]);
            }
            assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) z.get("flags").data());
            assertArrayEquals(new int[] {-1, 2, 3, -4}, (int[]) z.get("small").data());
        }
    }

    @Test
    void handMadeFortranFileIsTransposed() throws Exception {
        // [[1, 2, 3], [4, 5, 6]] stored column by column
        String dict = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(128 + 48).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
            b.putDouble(v);
        }
        NdArray a = Npy.read(new ByteArrayInputStream(b.array()), "hand");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, (double[]) a.data());
    }

    @Test
    void refusesWhatItCannotReadCorrectly() throws Exception {
        KitException big = assertThrows(KitException.class, () -> Npy.read(resource("big_endian.npy")));
        assertTrue(big.getMessage().contains("big_endian.npy") && big.getMessage().contains("big-endian"),
                big.getMessage());
        byte[] good = Npy.toBytes(NdArray.of(new float[] {1, 2, 3, 4}, 4));
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        KitException trunc = assertThrows(KitException.class,
                () -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"));
        assertTrue(trunc.getMessage().startsWith("cut.npy: truncated"), trunc.getMessage());
        String u2 = new String(good, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<u2'");
        KitException type = assertThrows(KitException.class, () -> Npy.read(
                new ByteArrayInputStream(u2.getBytes(StandardCharsets.ISO_8859_1)), "u2.npy"));
        assertTrue(type.getMessage().contains("unsupported array type '<u2'"), type.getMessage());
        Path notZip = tmp.resolve("bad.npz");
        Files.writeString(notZip, "hello");
        KitException zip = assertThrows(KitException.class, () -> Npz.read(notZip));
        assertTrue(zip.getMessage().contains("bad.npz"), zip.getMessage());
    }

    @Test
    void npzWriterIsDeterministicAndReadable() throws Exception {
        Map<String, NdArray> m = new java.util.LinkedHashMap<>();
        m.put("a", NdArray.of(new float[] {1, 2, 3}, 3));
        m.put("b", NdArray.of(new long[] {9, 8}, 1, 2));
        Path one = tmp.resolve("one.npz");
        Path two = tmp.resolve("two.npz");
        Npz.write(one, m);
        Thread.sleep(1100); // a writer stamping the clock would differ now
        Npz.write(two, m);
        assertArrayEquals(Files.readAllBytes(one), Files.readAllBytes(two));
        assertEquals(m, Npz.read(one));
    }

    @Test
    void numpyReadsWhatTheKitWrites() throws Exception {
        org.m3sgg.testing.Python.require("numpy");
        Map<String, NdArray> m = new java.util.LinkedHashMap<>();
        m.put("f", NdArray.of(new float[] {0.5f, -1.25f, 3f, 4f, 5f, 6f}, 2, 3));
        m.put("i", NdArray.of(new long[] {1, 2, 3}, 3));
        m.put("b", NdArray.of(new boolean[] {false, true}, 2));
        Path f = tmp.resolve("k.npz");
        Npz.write(f, m);
        Process p = new ProcessBuilder("python3", "-c", "import numpy as np,sys; z=np.load(sys.argv[1]);"
                + "assert z['f'].dtype==np.float32 and z['f'].shape==(2,3) and z['f'][0,1]==-1.25 and z['f'][1,2]==6;"
                + "assert z['i'].dtype==np.int64 and list(z['i'])==[1,2,3];"
                + "assert z['b'].dtype==np.bool_ and list(z['b'])==[False,True]; print('ok')", f.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertEquals("ok", out.trim());
    }
}
