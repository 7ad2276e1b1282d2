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
