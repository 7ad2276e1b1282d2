package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.m3sgg.testing.Fixtures;

/** {@code bin/m3sgg parity --kind faster-rcnn} on the detector fixture, through the CLI. */
class FasterRcnnParityCliTest {

    @Test
    void tableEndsOkWithTheLegacyCheckpoint() {
        CliRun r = CliRun.run("parity", "--kind", "faster-rcnn", "--fixture",
                Fixtures.dir("detector-reference").toString(), "--checkpoint", "faster_rcnn_ag.legacy.tar");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("final_boxes"), r.out());
        assertTrue(r.out().contains("/side"), r.out());
        assertTrue(r.out().trim().endsWith("OK (<= 1e-4, integer outputs equal)"), r.out());
        assertEquals("", r.err(), r.err());
    }

    @Test
    void jsonHasEveryOutputOfTheFixture() throws Exception {
        CliRun r = CliRun.run("parity", "--kind", "faster-rcnn", "--fixture",
                Fixtures.dir("detector-reference").toString(), "--json");
        assertEquals(0, r.code(), r.all());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals(19, j.size(), r.out()); // every out_*.npy of the fixture
        assertEquals(0, j.get("final_labels").asLong(), r.out());
        assertEquals(0, j.get("pred_labels").asLong(), r.out());
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) j::fields) {
            assertTrue(e.getValue().isNumber() && e.getValue().asDouble() <= 1e-4, e.getKey() + " = " + e.getValue());
        }
    }

    @Test
    void anotherArchitecturesCheckpointIsOneLineError() {
        CliRun r = CliRun.run("parity", "--kind", "faster-rcnn", "--fixture",
                Fixtures.dir("detector-reference").toString(), "--checkpoint",
                Fixtures.file("sttran-reference/sttran_predcls.zip.tar").toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("sttran_predcls.zip.tar: not a Faster R-CNN checkpoint: no state_dict key "
                + "starts with 'RCNN_'"), r.err());
        assertEquals(1, r.err().trim().lines().count(), r.err());
    }

    @Test
    void benchRejectsAnotherArchitecturesCheckpointInOneLine() {
        CliRun r = CliRun.run("bench", "--kind", "detector", "--in-process", "--checkpoint",
                Fixtures.file("oed-reference/oed_sgdet_spatial.zip.tar").toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("oed_sgdet_spatial.zip.tar: not a Faster R-CNN checkpoint"), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("error:")).count(), r.err());
        assertTrue(!r.all().contains("Exception"), r.all());
    }

    @Test
    void benchCheckpointIsForTheDetectorOnly() {
        CliRun r = CliRun.run("bench", "--checkpoint",
                Fixtures.file("detector-reference/faster_rcnn_ag.zip.tar").toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("is for --kind detector"), r.err());
    }
}
