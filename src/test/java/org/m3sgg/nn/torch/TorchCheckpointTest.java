package org.m3sgg.nn.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.testing.Fixtures;

class TorchCheckpointTest {

    private static final Path DIR = Fixtures.dir("sttran-reference");

    @Test
    void bothSerialisationsGiveTheKeysAndShapesOfDimsJson() throws IOException {
        JsonNode keys = new ObjectMapper().readTree(DIR.resolve("dims.json").toFile()).get("state_dict_keys");
        for (String name : List.of("sttran_predcls.zip.tar", "sttran_predcls.legacy.tar")) {
            Map<String, TorchTensor> sd = TorchCheckpoint.loadStateDict(DIR.resolve(name));
            List<String> expected = new ArrayList<>();
            keys.fieldNames().forEachRemaining(expected::add);
            // Pyrolite's SETITEMS goes through a HashMap, so the pickled key order is not kept
            assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(sd.keySet()), name);
            for (Iterator<Map.Entry<String, JsonNode>> it = keys.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                long[] shape = new long[e.getValue().size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = e.getValue().get(i).asLong();
                }
                assertArrayEquals(shape, sd.get(e.getKey()).shape(), e.getKey());
            }
            assertEquals(TorchDType.INT64, sd.get("conv.2.num_batches_tracked").dtype());
            assertEquals(TorchDType.FLOAT32, sd.get("subj_fc.weight").dtype());
        }
    }

    @Test
    void zipAndLegacyHoldIdenticalValues() {
        Map<String, TorchTensor> a = TorchCheckpoint.loadStateDict(DIR.resolve("sttran_predcls.zip.tar"));
        Map<String, TorchTensor> b = TorchCheckpoint.loadStateDict(DIR.resolve("sttran_predcls.legacy.tar"));
        long total = 0;
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toDoubles(), b.get(k).toDoubles(), 0.0, k);
            if (a.get(k).dtype() == TorchDType.FLOAT32) {
                total += a.get(k).numel();
            }
        }
        // dims.json's parameter count excludes buffers (running stats); check the float total is consistent
        assertTrue(total >= 377583, "float elements " + total);
    }

    @Test
    void nonCheckpointFilesAreRejectedWithTheFileName(@TempDir Path tmp) throws IOException {
        Path junk = tmp.resolve("junk.tar");
        Files.write(junk, new byte[] {(byte) 0x80, 2, 'K', 5, '.'});
        KitException e = assertThrows(KitException.class, () -> TorchCheckpoint.loadStateDict(junk));
        assertTrue(e.getMessage().contains("junk.tar"), e.getMessage());
        KitException missing = assertThrows(KitException.class,
                () -> TorchCheckpoint.loadStateDict(tmp.resolve("absent.pth")));
        assertTrue(missing.getMessage().contains("absent.pth"));
    }
}
