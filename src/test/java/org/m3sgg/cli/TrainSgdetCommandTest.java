package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code m3sgg train --mode sgdet}: the quick STTran on the bundled world's detections, end to end (a few videos). */
class TrainSgdetCommandTest {

    @Test
    void trainsScoresAndNamesTheDetectorsCeiling(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        CliRun r = CliRun.run("train", "--mode", "sgdet", "--out", run.toString(), "--set", "train.epochs=1",
                "--set", "data.max_train_videos=4", "--set", "data.max_test_videos=2", "--set",
                "train.val_fraction=0.25", "--set", "train.checkpoint_every=0");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("== test split (sgdet, 2 videos"), r.out());
        assertTrue(r.out().contains("frequency  with") && r.out().contains("sttran     with"), r.out());
        assertTrue(r.out().contains("the ceiling of recall with constraint"), r.out());
        assertTrue(Files.isRegularFile(run.resolve("test.scores.json")));
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("mode: sgdet"));
        // the checkpoint scores again through eval, in its own mode
        CliRun e = CliRun.run("eval", "--checkpoint", run.toString());
        assertEquals(0, e.code(), e.all());
        assertTrue(e.out().contains("(sgdet)"), e.out());
    }

    @Test
    void aRealDataFolderWithoutDetectionsIsNamed(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.run("train", "--mode", "sgdet", "--out", tmp.resolve("run").toString(), "--set",
                "data.detections=nosuchfolder");
        assertEquals(2, r.code(), r.all()); // caught before any data loads, as every config error
        assertTrue(r.err().contains("data.detections: no detections folder at") && r.err().contains("nosuchfolder"),
                r.err());
    }
}
