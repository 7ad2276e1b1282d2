package org.m3sgg.data.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.testing.Fixtures;

class PickleIOTest {

    @TempDir
    Path tmp;

    private static Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bbox", NumpyArray.ofFloats(new float[] {24.29774f, 71.443954f, 259.23602f, 268.20288f}, 1, 4));
        m.put("empty", NumpyArray.ofFloats(new float[0], 0, 4));
        m.put("size", new Object[] {480, 270});
        m.put("mode", "xyxy");
        m.put("list", List.of(1.5, -2, 3_000_000_000L, true, false));
        m.put("none", null);
        m.put("text", "sofa/couch é");
        return m;
    }

    @Test
    void roundTripsOwnPickles() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        PickleWriter.write(bos, sample());
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) PickleIO.read(new ByteArrayInputStream(bos.toByteArray()), "x");
        assertEquals(sample().get("bbox"), back.get("bbox"));
        assertArrayEquals(new int[] {0, 4}, ((NumpyArray) back.get("empty")).shape());
        assertArrayEquals(new Object[] {480, 270}, (Object[]) back.get("size"));
        assertEquals("sofa/couch é", back.get("text"));
        assertEquals(List.of(1.5, -2, 3_000_000_000L, true, false), back.get("list"));
        assertNull(back.get("none"));
        assertEquals(List.copyOf(sample().keySet()), List.copyOf(back.keySet()));
    }

    @Test
    void readsTheFixturePersonBoxes() {
        Object o = PickleIO.read(Fixtures.path("ag-format/annotations/person_bbox.pkl"));
        Map<?, ?> m = assertInstanceOf(Map.class, o);
        assertTrue(m.size() > 100);
        Map<?, ?> first = (Map<?, ?>) m.values().iterator().next();
        NumpyArray bbox = assertInstanceOf(NumpyArray.class, first.get("bbox"));
        assertEquals("<f4", bbox.dtype());
        assertEquals(4, bbox.shape()[bbox.rank() - 1]);
    }

    @Test
    void truncatedPickleIsAClearError() throws Exception {
        byte[] all = Files.readAllBytes(Fixtures.path("ag-format/annotations/person_bbox.pkl"));
        Path cut = tmp.resolve("person_bbox.pkl");
        Files.write(cut, Arrays.copyOf(all, all.length / 2));
        KitException e = assertThrows(KitException.class, () -> PickleIO.read(cut));
        assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingFileNamesIt() {
        KitException e = assertThrows(KitException.class, () -> PickleIO.read(tmp.resolve("nope.pkl")));
        assertTrue(e.getMessage().contains("nope.pkl"));
    }

    /** Interoperability with real Python + numpy, when this machine has them (CI's does). */
    @Test
    void pythonReadsOursAndWeReadPythonsAtProtocols2To5() throws Exception {
        org.m3sgg.testing.Python.require("numpy");
        Path ours = tmp.resolve("ours.pkl");
        PickleWriter.write(ours, sample());
        String check = "import pickle,numpy as np\n"
                + "d=pickle.load(open(r'" + ours + "','rb'))\n"
                + "assert d['bbox'].dtype==np.float32 and d['bbox'].shape==(1,4), d['bbox']\n"
                + "assert abs(float(d['bbox'][0,2])-259.23602)<1e-4\n"
                + "assert d['empty'].shape==(0,4) and d['size']==(480,270) and d['none'] is None\n"
                + "assert d['list']==[1.5,-2,3000000000,True,False] and d['text']=='sofa/couch \\u00e9'\n";
        assertEquals(0, python(check), "python could not read our pickle");
        for (int proto = 2; proto <= 5; proto++) {
            Path theirs = tmp.resolve("theirs" + proto + ".pkl");
            String make = "import pickle,numpy as np\n"
                    + "d={'a':np.arange(12,dtype=np.float32).reshape(3,4),'f':np.asfortranarray(np.arange(6.).reshape(2,3)),"
                    + "'i':np.array([1,2],dtype=np.int64),'b':np.array([True,False]),'s':np.float32(2.5),'t':(1.0,None)}\n"
                    + "pickle.dump(d,open(r'" + theirs + "','wb'),protocol=" + proto + ")\n";
            assertEquals(0, python(make));
            Map<?, ?> d = (Map<?, ?>) PickleIO.read(theirs);
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, ((NumpyArray) d.get("a")).toDoubles());
            assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, ((NumpyArray) d.get("f")).toDoubles(), "proto " + proto);
            assertArrayEquals(new double[] {1, 2}, ((NumpyArray) d.get("i")).toDoubles());
            assertArrayEquals(new double[] {1, 0}, ((NumpyArray) d.get("b")).toDoubles());
            assertEquals(2.5, ((Number) d.get("s")).doubleValue());
        }
    }

    /**
     * Python memoises every object and refers back with BINGET; an array used twice must come back as the same
     * finished array (not a placeholder). Bytes of {@code pickle.dumps({'x': a, 'y': a, 'l': l, 'm': l,
     * 'k': 'ab' * 20}, protocol=p)} with {@code a = np.array([[1.5, 2.5]], dtype=np.float32)}, {@code l = ['x', 'y']},
     * made once with Python 3.11 and numpy 2.
     */
    @Test
    void memoisedArraysAndListsComeBackShared() {
        String p2 = "80027d7100285801000000787101636e756d70792e5f636f72652e6d756c746961727261790a5f7265636f6e737472"
                + "7563740a7102636e756d70790a6e6461727261790a71034b00857104635f636f646563730a656e636f64650a71055801"
                + "00000062710658060000006c6174696e31710786710852710987710a52710b284b014b014b0286710c636e756d70790a"
                + "64747970650a710d58020000006634710e898887710f527110284b0358010000003c71114e4e4e4affffffff4affffff"
                + "ff4b007471126289680558090000000000c3803f0000204071136807867114527115747116625801000000797117680b"
                + "58010000006c71185d711928680168176558010000006d711a681958010000006b711b58280000006162616261626162"
                + "6162616261626162616261626162616261626162616261626162616261626162711c752e";
        String p4 = "800495e2000000000000007d94288c0178948c166e756d70792e5f636f72652e6d756c74696172726179948c0c5f7265"
                + "636f6e7374727563749493948c056e756d7079948c076e6461727261799493944b0085944301629487945294284b014b"
                + "014b02869468058c0564747970659493948c02663494898887945294284b038c013c944e4e4e4affffffff4affffffff"
                + "4b007494628943080000c03f00002040947494628c017994680b8c016c945d942868016816658c016d9468188c016b94"
                + "8c286162616261626162616261626162616261626162616261626162616261626162616261626162616294752e";
        for (String hex : List.of(p2, p4)) {
            Map<?, ?> d = (Map<?, ?>) PickleIO.read(new ByteArrayInputStream(java.util.HexFormat.of().parseHex(hex)),
                    "memo");
            NumpyArray a = assertInstanceOf(NumpyArray.class, d.get("x"));
            assertTrue(a == d.get("y"), "the memoised array is shared");
            assertArrayEquals(new double[] {1.5, 2.5}, a.toDoubles());
            assertEquals(List.of("x", "y"), d.get("l"));
            assertTrue(d.get("l") == d.get("m"));
            assertEquals("ab".repeat(20), d.get("k"));
            assertEquals(List.of("x", "y", "l", "m", "k"), List.copyOf(d.keySet()));
        }
    }

    @Test
    void longAndNonAsciiStringsAcrossBufferEdges() throws Exception {
        // longer than the 64 KiB read buffer, multi-byte characters, and many short repeated strings
        List<Object> values = new java.util.ArrayList<>();
        values.add("é€".repeat(40_000));
        for (int i = 0; i < 20_000; i++) {
            values.add(i % 3 == 0 ? "looking_at" : i % 3 == 1 ? "sofa/couch é" : "k" + i);
        }
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        PickleWriter.write(bos, values);
        Object back = PickleIO.read(new ByteArrayInputStream(bos.toByteArray()), "strings");
        assertEquals(values, back);
    }

    private static int python(String code) throws Exception {
        try {
            Process p = new ProcessBuilder("python3", "-c", code).inheritIO().start();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
