package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.testing.Fixtures;
import picocli.CommandLine;

class ParityCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"sttran_predcls.zip.tar", "sttran_predcls.legacy.tar"})
    void parityJsonIsBelowTolerance(String checkpoint) throws Exception {
        Path dir = Fixtures.dir("sttran-reference");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute("parity", "--fixture", dir.toString(), "--checkpoint", checkpoint, "--json");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8).trim();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        JsonNode j = new ObjectMapper().readTree(last);
        assertEquals(0, code, out);
        for (String k : new String[] {"attention_distribution", "spatial_distribution",
                "contacting_distribution"}) {
            assertTrue(j.get(k).asDouble() < 1e-4, k + " = " + j.get(k));
        }
    }

    @Test
    void dsgDetrKindReportsEveryOutputOfBothModesBelowTolerance() throws Exception {
        Path dir = Fixtures.dir("dsgdetr-reference");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            code = Main.commandLine().execute("parity", "--kind", "dsg-detr", "--fixture", dir.toString(), "--json");
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8).trim();
        JsonNode j = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
        assertEquals(ParityCommand.outputs(dir).size(), j.size(), out);
        assertEquals(0, j.get("indices").asLong(), out);
        for (String k : new String[] {"features", "attention_distribution", "spatial_distribution",
                "contacting_distribution"}) {
            assertTrue(j.get(k).asDouble() < 1e-4, k + " = " + j.get(k));
        }
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) j::fields) {
            assertTrue(e.getValue().isNumber() && e.getValue().asDouble() <= 1e-4, e.getKey() + " = " + e.getValue());
        }
        assertEquals(0, code, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sgdet_head.zip.tar", "sgdet_head.legacy.tar"})
    void sgdetKindReportsEveryReferenceOutput(String checkpoint) throws Exception {
        Path dir = Fixtures.dir("sgdet-reference");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("parity", "--kind", "sgdet",
                "--fixture", dir.toString(), "--json"));
        if (!checkpoint.isEmpty()) {
            args.add("--checkpoint");
            args.add(checkpoint);
        }
        CliRun r = CliRun.run(args);
        assertEquals(0, r.code(), r.all());
        JsonNode j = new ObjectMapper().readTree(r.out().trim());
        int npy = 0;
        try (var ds = java.nio.file.Files.newDirectoryStream(dir, "*.npy")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith("train_") || n.startsWith("test_") || n.equals("roi_edge_feat.npy")) {
                    npy++;
                    String key = n.substring(0, n.length() - 4);
                    assertTrue(j.has(key), key + " missing in " + r.out());
                }
            }
        }
        assertEquals(npy + 7, j.size(), r.out()); // + the seven train_assignment.json lists
        assertEquals(0, j.get("train_pair_idx").asLong(), r.out());
        assertEquals(0, j.get("train_assignment.gt_relations").asLong(), r.out());
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) j::fields) {
            assertTrue(e.getValue().isNumber() && e.getValue().asDouble() <= 1e-6, e.getKey() + " = " + e.getValue());
        }
    }

    @Test
    void sgdetKindTableEndsOk() {
        CliRun r = CliRun.run("parity", "--kind", "sgdet", "--fixture", Fixtures.dir("sgdet-reference").toString());
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("train_assignment.detector_found_idx_after_supply"), r.out());
        assertTrue(r.out().trim().endsWith("OK (<= 1e-4, integer outputs equal)"), r.out());
    }

    @Test
    void sgdetKindWithAnotherKindsCheckpointIsOneLineError() {
        CliRun r = CliRun.run("parity", "--kind", "sgdet", "--fixture", Fixtures.dir("sgdet-reference").toString(),
                "--checkpoint", Fixtures.file("sttran-reference/sttran_predcls.zip.tar").toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("RCNN_top.0.weight' missing"), r.err());
        assertEquals(1, r.err().trim().lines().count(), r.err());
    }

    @Test
    void unknownKindIsOneLineError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("parity", "--kind", "nope", "--fixture", Fixtures.dir("sttran-reference").toString());
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("error: Invalid value for option '--kind': unknown kind 'nope'"),
                err.toString());
    }

    @Test
    void missingFixtureIsOneLineError() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("parity", "--fixture", "/nonexistent/fixture");
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("error: Invalid value for option '--fixture': '/nonexistent/fixture': "
                + "does not exist"), err.toString());
    }
}
