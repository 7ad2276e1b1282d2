package org.m3sgg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

/** Predictions files that tripped the reader and writer (issue 14, defects 7, 9 and 13). */
class HostilePredictionsTest {

    @TempDir
    Path tmp;

    private static final String FRAME = """
            {"video": "v.mp4", "frame": "000007.png",
              "gt": {"person_box": [0, 0, 99, 99],
                     "objects": [{"box": [100, 100, 199, 199], "label": 5, "attention": [0], "spatial": [2],
                                  "contacting": [5, 8]}]},
              "pred": {"boxes": [[0, 0, 99, 99], [100, 100, 199, 199]], "labels": [1, 5], "scores": [1.0, 0.5],
                       "pairs": [[0, 1]], "attention": [[0.8, 0.1, 0.1]],
                       "spatial": [[0.05, 0.05, 0.95, 0.1, 0.1, 0.1]],
                       "contacting": [[0.1, 0.1, 0.1, 0.1, 0.1, 0.92, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
                                       0.1, 0.1]]}}""";

    private String refused(String json) throws Exception {
        Path f = tmp.resolve("predictions.json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        KitException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(KitException.class, () -> PredictionsFile.read(f)));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void twoFramesKeysAreRefusedNotBothScored() throws Exception {
        String m = refused("{\"frames\": [" + FRAME + "], \"frames\": [" + FRAME + "]}");
        assertTrue(m.contains("Duplicate") && m.contains("frames"), m);
        assertTrue(refused("{\"frames\": [" + FRAME.replace("\"video\": \"v.mp4\",",
                "\"video\": \"v.mp4\", \"video\": \"w.mp4\",") + "]}").contains("video"));
    }

    @Test
    void streamLimitsAreNamedWithAPosition() throws Exception {
        String deep = "{\"note\": " + "[".repeat(2000) + "]".repeat(2000) + ", \"frames\": []}";
        assertTrue(refused(deep).contains("line 1"));
        String digits = FRAME.replace("\"label\": 5", "\"label\": 5" + "1".repeat(5000));
        assertTrue(refused("{\"frames\": [" + digits + "]}").contains("line"));
        String big = FRAME.replace("\"v.mp4\"", "\"" + "x".repeat(30 << 20) + "\"");
        assertTrue(refused("{\"frames\": [" + big + "]}").contains("line"));
    }

    @Test
    void unwritableTargetIsOneLineAndLeavesNoTemporaryFile() throws Exception {
        KitException e = assertThrows(KitException.class,
                () -> PredictionsFile.writer(Path.of("/proc/m3sgg-no-such/x.json")));
        assertTrue(e.getMessage().contains("/proc/m3sgg-no-such/x.json"), e.getMessage());

        // the target is a folder: every frame is written, then publishing fails; nothing is left behind
        Path dir = Files.createDirectories(tmp.resolve("out.json"));
        Files.writeString(dir.resolve("keep"), "x");
        List<PredictionsFile.Entry> entries = PredictionsFile.read(write("ok.json", "{\"frames\": [" + FRAME + "]}"));
        assertThrows(KitException.class, () -> PredictionsFile.write(dir, entries));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
        assertTrue(Files.isRegularFile(dir.resolve("keep")));
    }

    @Test
    void aKilledWritersTemporaryIsRemovedByTheNextWriter() throws Exception {
        Path stale = Files.writeString(tmp.resolve(".out.json.8812.tmp"), "{\"frames\": [");
        Path other = Files.writeString(tmp.resolve(".other.json.1.tmp"), "x");
        List<PredictionsFile.Entry> entries = PredictionsFile.read(write("ok.json", "{\"frames\": [" + FRAME + "]}"));
        PredictionsFile.write(tmp.resolve("out.json"), entries);
        assertTrue(Files.notExists(stale));
        assertTrue(Files.exists(other), "only the same target's temporaries go");
        assertEquals(1, PredictionsFile.read(tmp.resolve("out.json")).size());
    }

    private Path write(String name, String json) throws Exception {
        return Files.writeString(tmp.resolve(name), json, StandardCharsets.UTF_8);
    }
}
