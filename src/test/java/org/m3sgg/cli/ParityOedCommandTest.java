package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.m3sgg.testing.Fixtures;

/** {@code m3sgg parity --kind oed} through the CLI: every reference output from the raw frames on within tolerance. */
class ParityOedCommandTest {

    @Test
    void oedKindPassesWithALegacyTemporalCheckpointForBothModels() throws Exception {
        Path dir = Fixtures.dir("oed-reference");
        CliRun r = CliRun.run("parity", "--kind", "oed", "--fixture", dir.toString(), "--checkpoint",
                "oed_sgdet_temporal.legacy.tar");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("OK (<= 1e-4"), r.out());
        assertTrue(r.out().contains("mid_temporal_prm_topk1") && r.out().contains("0 differing"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("mid_spatial_c5 ") && l.endsWith("ok")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.contains("in_temporal_images ") && l.endsWith("ok")), r.out());
        assertTrue(!r.out().contains("not compared"), r.out());
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void oedKindJsonCoversEveryReferenceOutput() throws Exception {
        Path dir = Fixtures.dir("oed-reference");
        CliRun r = CliRun.run("parity", "--kind", "oed", "--fixture", dir.toString(), "--json");
        assertEquals(0, r.code(), r.all());
        JsonNode j = new ObjectMapper().readTree(r.out().trim());
        for (String name : ParityCommand.outputs(dir)) {
            assertTrue(j.has(name) && j.get(name).asDouble() <= 1e-4, name + " in " + r.out());
        }
        assertEquals(0, j.get("mid_temporal_prm_topk3").asLong(), r.out());
    }

    @Test
    void aCheckpointThatIsNotOedsLayoutIsOneLine() {
        Path dir = Fixtures.dir("oed-reference");
        Path sttran = Fixtures.dir("sttran-reference").resolve("sttran_predcls.zip.tar");
        CliRun r = CliRun.run("parity", "--kind", "oed", "--fixture", dir.toString(), "--checkpoint", sttran.toString());
        assertTrue(r.code() != 0, r.all());
        assertTrue(r.err().contains("key 'model'") && r.err().lines().count() == 1, r.err());
    }
}
