package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataGenerateCommandTest {

    @TempDir
    Path tmp;

    private static int run(StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return cl.execute(args);
    }

    @Test
    void writesTheWorldAndRefusesToOverwriteWithoutForce() throws Exception {
        Path out = tmp.resolve("world");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "data", "generate", "--out", out.toString(), "--no-features", "--seed", "5"));
        assertTrue(Files.isRegularFile(out.resolve("annotations/person_bbox.pkl")));
        assertTrue(Files.isRegularFile(out.resolve("annotations/object_bbox_and_relationship_filtersmall.pkl")));
        assertTrue(Files.readString(out.resolve("world.json")).contains("\"seed\" : 5"));
        assertFalse(Files.exists(out.resolve("features")));

        assertEquals(2, run(err, "data", "generate", "--out", out.toString()));
        assertTrue(err.toString().contains("already exists"), err.toString());
        assertFalse(Files.exists(out.resolve("features")), "a refused run leaves the folder alone");

        assertEquals(0, run(err, "data", "generate", "--out", out.toString(), "--force", "--seed", "5"));
        assertTrue(Files.isRegularFile(out.resolve("features/meta.json")));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary folders left behind");
        }
    }

    @Test
    void detectionsFolderIsWrittenAndReadBack() throws Exception {
        Path out = tmp.resolve("det-world");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "data", "generate", "--out", out.toString(), "--no-features", "--detections",
                "--seed", "5", "--set", "world.videos=6", "--set", "world.max_frames=7"), err.toString());
        org.m3sgg.features.DetectionFolder folder = org.m3sgg.features.DetectionFolder.open(out.resolve("detections"));
        org.m3sgg.synth.WorldDetections fly = org.m3sgg.synth.WorldDetections.open(out);
        assertTrue(folder.head() != null);
        for (var v : fly.world().videos()) {
            assertEquals(fly.video(v.id()).arrays(fly.meta()), folder.video(v.id()).arrays(folder.meta()));
        }
        // --force may replace a world that has a detections folder
        assertEquals(0, run(err, "data", "generate", "--out", out.toString(), "--no-features", "--force",
                "--seed", "5", "--set", "world.videos=6"), err.toString());
        assertFalse(Files.exists(out.resolve("detections")));
    }

    @Test
    void forceReplacesOnlyAGeneratedWorld() throws Exception {
        // a folder of the user's, a file, a world with something of the user's added: all refused, all untouched
        Path home = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(home.resolve("thesis.tex"), "x");
        Path file = Files.writeString(tmp.resolve("notes.txt"), "x");
        Path world = tmp.resolve("world");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "data", "generate", "--out", world.toString(), "--no-features", "--seed", "5"));
        Files.writeString(world.resolve("my-labels.csv"), "x");
        for (Path p : new Path[] {home, file, world}) {
            StringWriter e = new StringWriter();
            assertEquals(2, run(e, "data", "generate", "--out", p.toString(), "--force", "--no-features"));
            assertTrue(e.toString().contains("is not a world written by 'm3sgg data generate'")
                    || p == file && e.toString().contains("exists and is not a folder"), e.toString());
            assertEquals(1, e.toString().lines().filter(l -> l.startsWith("error")).count(), e.toString());
        }
        assertTrue(Files.isRegularFile(home.resolve("thesis.tex")));
        assertEquals("x", Files.readString(file));
        assertTrue(Files.isRegularFile(world.resolve("my-labels.csv")));
    }

    @Test
    void nonFiniteOrMisspelledSettingsAreRefusedBeforeWriting() {
        Path out = tmp.resolve("nan-world");
        StringWriter err = new StringWriter();
        assertTrue(run(err, "data", "generate", "--out", out.toString(), "--set", "world.label_noise=NaN") != 0);
        assertTrue(err.toString().contains("world.label_noise") && err.toString().contains("finite"), err.toString());
        StringWriter err2 = new StringWriter();
        assertTrue(run(err2, "data", "generate", "--out", out.toString(), "--set", "wrold.videos=3") != 0);
        assertTrue(err2.toString().contains("'wrold.videos'"), err2.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void leftoversOfAKilledRunAreRemovedAtTheNextStart() throws Exception {
        Path out = tmp.resolve("world");
        Files.createDirectories(tmp.resolve(".world.tmp-123/annotations"));
        Files.createDirectories(tmp.resolve(".world.old-456"));
        Files.writeString(tmp.resolve(".other.tmp-1"), "not ours");
        StringWriter err = new StringWriter();
        assertEquals(0, run(err, "data", "generate", "--out", out.toString(), "--no-features", "--seed", "5"));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of(".other.tmp-1", "world"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void unknownPresetIsAUserError() {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "data", "generate", "--out", tmp.resolve("x").toString(), "--preset", "huge"));
        assertTrue(err.toString().contains("unknown preset 'huge'"), err.toString());
    }
}
