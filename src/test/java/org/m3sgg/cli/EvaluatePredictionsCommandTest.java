package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.m3sgg.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.testing.Fixtures;

class EvaluatePredictionsCommandTest {



    private static Path fixtures() {
        return Fixtures.dir("evaluator");
    }

    @Test
    void jsonOutputMatchesTheReferenceScores() throws Exception {
        CliRun r = run("evaluate-predictions", fixtures().resolve("frames.json").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        ObjectMapper om = new ObjectMapper();
        JsonNode ours = om.readTree(r.out());
        JsonNode ref = om.readTree(fixtures().resolve("reference_scores.json").toFile());
        int compared = 0;
        for (Iterator<Map.Entry<String, JsonNode>> cs = ref.fields(); cs.hasNext(); ) {
            Map.Entry<String, JsonNode> c = cs.next();
            assertEquals(12, ours.get(c.getKey()).size());
            for (Iterator<Map.Entry<String, JsonNode>> ms = c.getValue().fields(); ms.hasNext(); ) {
                Map.Entry<String, JsonNode> m = ms.next();
                assertEquals(m.getValue().asDouble(), ours.get(c.getKey()).get(m.getKey()).asDouble(), 1e-9,
                        c.getKey() + " " + m.getKey());
                compared++;
            }
        }
        assertEquals(36, compared);
    }

    @Test
    void tableOutputIsInPercent() {
        CliRun r = run("evaluate-predictions", fixtures().resolve("frames.json").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("120 frames"), r.out());
        // with R@20 = 0.235911... -> 23.59; no R@100 = 0.611135... -> 61.11
        assertTrue(r.out().matches("(?s).*\\nR@20 +23\\.59 +25\\.96 +27\\.63\\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\nR@100 +24\\.04 +34\\.68 +61\\.11\\n.*"), r.out());
        assertTrue(r.out().contains("mR_frame@50"), r.out());
    }

    @Test
    void perPredicateTable() {
        CliRun r = run("evaluate-predictions", fixtures().resolve("frames.json").toString(), "--per-predicate");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("per-predicate recall, semi constraint"), r.out());
        assertTrue(r.out().contains("have_it_on_the_back"), r.out());
    }

    @Test
    void malformedFileIsOneErrorLine(@TempDir Path dir) throws Exception {
        String json = Files.readString(fixtures().resolve("frames.json"));
        // break the first pair index of the first frame
        int at = json.indexOf("\"pairs\": [[0, 1]");
        assertTrue(at > 0);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, json.substring(0, at) + "\"pairs\": [[0, 99]" + json.substring(at + 16));
        CliRun r = run("evaluate-predictions", bad.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + bad + ": frames[0] (V0000.mp4/000000.png) pred.pairs[0][1] = 99"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("", r.out());
    }

    @Test
    void missingAndEmptyFiles(@TempDir Path dir) throws Exception {
        CliRun missing = run("evaluate-predictions", dir.resolve("nope.json").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "{\"frames\": []}");
        CliRun none = run("evaluate-predictions", empty.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("nothing to score"), none.err());
    }

    @Test
    void oedProtocolPrintsItsTableAndJson() throws Exception {
        CliRun r = run("evaluate-predictions", fixtures().resolve("frames.json").toString(), "--protocol", "oed");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("OED's protocol") && r.out().contains("mR@100"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("with "))
                && r.out().lines().anyMatch(l -> l.startsWith("no ")), r.out());
        CliRun j = run("evaluate-predictions", fixtures().resolve("frames.json").toString(), "--protocol", "oed-nms",
                "--image-size", "480x270", "--json");
        assertEquals(0, j.code(), j.all());
        com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(j.out());
        assertTrue(n.path("nms_filter").asBoolean() && n.path("with").has("R@100") && n.path("no").has("mR@10"),
                j.out());
    }

    @Test
    void oedNmsWithoutImageSizeIsOneLine() {
        CliRun r = run("evaluate-predictions", fixtures().resolve("frames.json").toString(), "--protocol", "oed-nms");
        assertTrue(r.code() != 0, r.all());
        assertTrue(r.err().contains("--image-size") && r.err().lines().count() == 1, r.err());
    }
}
