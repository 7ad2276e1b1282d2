package org.m3sgg.data.pickle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        assumeTrue(python("import numpy") == 0, "python3 with numpy not available");
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

    private static int python(String code) throws Exception {
        try {
            Process p = new ProcessBuilder("python3", "-c", code).inheritIO().start();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
