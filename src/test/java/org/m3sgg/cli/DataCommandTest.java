package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.AnnotationWriter;
import org.m3sgg.testing.Fixtures;

class DataCommandTest {

    @TempDir
    Path tmp;

    /** Runs the CLI, returning {exit code, stdout, stderr}. */
    private static Object[] run(String... args) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            var cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
            int rc = cl.execute(args);
            cl.getOut().flush();
            return new Object[] {rc, buf.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void statsJsonEqualsTheReferenceCounts() throws Exception {
        Path folder = Fixtures.path("ag-format");
        Object[] r = run("data", "stats", "--data-path", folder.toString(), "--json");
        assertEquals(0, r[0], (String) r[2]);
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(folder.resolve("reference_counts.json").toFile());
        assertEquals(expected, json.readTree((String) r[1]));
    }

    @Test
    void statsTableHasOneColumnPerSplit() {
        Object[] r = run("data", "stats", "--data-path", Fixtures.path("ag-format").toString());
        String[] lines = ((String) r[1]).split("\n");
        assertTrue(lines[0].matches("counter\\s+train\\s+train_filtersmall\\s+test\\s+test_filtersmall"), lines[0]);
        assertTrue(lines[1].matches("videos\\s+24\\s+22\\s+7\\s+4"), lines[1]);
    }

    @Test
    void validateExitsNonZeroAndListsEveryProblem() throws Exception {
        Object[] ok = run("data", "validate", "--data-path", Fixtures.path("ag-format").toString());
        assertEquals(0, ok[0]);
        assertTrue(((String) ok[1]).startsWith("OK: 6 files, 259 frames"), (String) ok[1]);

        AnnotationWriter.write(tmp, java.util.List.of());
        Files.delete(tmp.resolve("annotations").resolve(ActionGenome.PERSON_FILE));
        Files.writeString(tmp.resolve("annotations").resolve("frame_list.txt"), "bad key\n");
        Object[] bad = run("data", "validate", "--data-path", tmp.toString());
        assertEquals(1, bad[0]);
        String out = (String) bad[1];
        assertTrue(out.contains("problem: " + tmp.resolve("annotations").resolve(ActionGenome.PERSON_FILE)
                + ": missing file"), out);
        assertTrue(out.contains("frame_list.txt, line 1: 'bad key' is not of the form"), out);
        assertTrue(out.strip().endsWith("FAILED: 2 problems (1 missing_file, 1 bad_key) in 6 files, 0 frames"), out);
    }

    @Test
    void loadErrorsAreOneLineWithoutStackTrace() {
        Object[] r = run("data", "stats", "--data-path", tmp.resolve("nowhere").toString());
        assertEquals(2, r[0]);
        // a folder that does not exist is a wrong --data-path: one error line naming it, and the help hint
        assertTrue(((String) r[2]).startsWith("error: Invalid value for option '--data-path': '"
                + tmp.resolve("nowhere") + "': does not exist"), (String) r[2]);
        assertEquals(List.of("(see m3sgg data stats --help)"), ((String) r[2]).strip().lines().skip(1).toList());
    }
}
