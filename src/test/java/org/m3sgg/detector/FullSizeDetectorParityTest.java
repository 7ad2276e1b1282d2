package org.m3sgg.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The published-size detector (ResNet-101 [3, 4, 23, 3], published widths, two 600 x 1067 frames, seeded random
 * weights) against a fixture written by {@code tools/torch-reference/detector_reference.py --full}. That fixture
 * is about 420 MB (two copies of a 190 MB checkpoint) and is not in the repository: this test runs only when
 * {@value #ENV} names a folder the script wrote (slow tier, about a minute), and says so when it skips.
 */
@Tag("slow")
class FullSizeDetectorParityTest {

    static final String ENV = "M3SGG_DETECTOR_FULL_FIXTURE";

    @Test
    void everyOutputMatchesTheFullSizeReference() throws IOException {
        String dir = System.getenv(ENV);
        Assumptions.assumeTrue(dir != null && !dir.isBlank(), "skipped: " + ENV + " is not set (make the folder "
                + "with tools/torch-reference/detector_reference.py --full --out DIR, then set " + ENV + "=DIR)");
        Path fixture = Path.of(dir);
        Assumptions.assumeTrue(Files.isRegularFile(fixture.resolve("dims.json")), "skipped: " + ENV + "=" + dir
                + " has no dims.json (not a folder written by detector_reference.py)");
        JsonNode dims = new ObjectMapper().readTree(fixture.resolve("dims.json").toFile());
        assertTrue(dims.path("full").asBoolean(), fixture + ": dims.json says full=false (a --reduced folder)");
        assertEquals("[3,4,23,3]", dims.path("blocks").toString());
        Map<String, Double> r = FasterRcnnParity.compare(fixture, null);
        assertEquals(19, r.size());
        for (Map.Entry<String, Double> e : r.entrySet()) {
            boolean integer = e.getKey().endsWith("labels");
            assertTrue(integer ? e.getValue() == 0 : e.getValue() <= 1e-4, e.getKey() + ": " + e.getValue());
        }
    }
}
