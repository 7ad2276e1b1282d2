package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitHome;

/**
 * The committed notebooks: they render on a code host only as committed, so their stored outputs must come from a
 * clean run (no error outputs), carry no machine-specific paths, and every notebook starts with the one bootstrap.
 */
class NotebooksTest {

    /** Absolute paths of this or another machine, object identity hashes: nothing a reader's copy would share. */
    private static final Pattern MACHINE_SPECIFIC = Pattern.compile(
            "(/work/|/root/|/home/|/tmp/|/Users/|C:\\\\\\\\|@[0-9a-f]{6,8}\\b)");

    private static List<Path> notebooks() throws IOException {
        try (Stream<Path> s = Files.list(KitHome.home().resolve("notebooks"))) {
            return s.filter(p -> p.getFileName().toString().matches("\\d\\d_.*\\.ipynb")).sorted().toList();
        }
    }

    private static String text(JsonNode n) {
        if (n == null) {
            return "";
        }
        if (n.isArray()) {
            StringBuilder sb = new StringBuilder();
            n.forEach(x -> sb.append(x.asText()));
            return sb.toString();
        }
        return n.asText();
    }

    @Test
    void committedNotebooksRanCleanlyAndHoldNoMachineSpecificStrings() throws IOException {
        List<Path> all = notebooks();
        assertTrue(all.size() >= 2, "numbered notebooks in notebooks/: " + all);
        ObjectMapper json = new ObjectMapper();
        for (Path nb : all) {
            JsonNode root = json.readTree(nb.toFile());
            assertEquals("m3sgg-java", root.at("/metadata/kernelspec/name").asText(), nb + ": kernel");
            List<JsonNode> code = new ArrayList<>();
            root.get("cells").forEach(c -> {
                if (c.get("cell_type").asText().equals("code")) {
                    code.add(c);
                }
            });
            assertTrue(text(code.get(0).get("source")).contains("Notebook.setup()"), nb + ": first code cell");
            for (JsonNode c : code) {
                String src = text(c.get("source"));
                assertFalse(src.lines().anyMatch(l -> l.startsWith("%")), nb + ": kernel magic in " + src);
                assertFalse(c.get("execution_count").isNull(), nb + ": cell not executed (commit the output of "
                        + "environment/run-notebooks.sh --inplace): " + src);
                for (JsonNode o : c.get("outputs")) {
                    assertFalse(o.get("output_type").asText().equals("error"), nb + ": error output in " + src);
                    String out = text(o.get("text")) + text(o.at("/data/text~1plain")) + text(o.at("/data/text~1html"));
                    var m = MACHINE_SPECIFIC.matcher(out);
                    if (m.find()) {
                        throw new AssertionError(nb + ": machine-specific '" + m.group() + "' in the output of " + src);
                    }
                }
            }
        }
    }
}
