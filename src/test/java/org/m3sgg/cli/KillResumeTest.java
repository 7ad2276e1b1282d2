package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;
import org.m3sgg.train.Trainer;

/**
 * The resume promise, end to end: a training process killed with SIGKILL mid-epoch and resumed with
 * {@code --resume} ends with bit-for-bit the same parameters and test predictions as an uninterrupted run.
 */
@Tag("slow")
class KillResumeTest {

    private static final List<String> TINY = List.of("model.feature=16", "model.union_in=4", "model.union_out=4",
            "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2", "model.ffn=16",
            "model.dec_layers=1", "model.classifier_hidden=8", "model.pos_embed=4", "train.epochs=3",
            "train.val_fraction=0.2", "train.checkpoint_every=3", "train.warmup_steps=0");

    @Test
    void killedAndResumedRunEqualsAnUninterruptedOne(@TempDir Path tmp) throws Exception {
        WorldConfig cfg = new WorldConfig("tiny", 16, 1, 1, 3, 5, 0.25, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
        Path world = tmp.resolve("world");
        WorldWriter.write(world, cfg, 11, true, false);

        Path straight = tmp.resolve("straight");
        assertEquals(0, train(world, straight, false).waitFor(),
                () -> "uninterrupted run failed: " + read(tmp.resolve("straight.log")));

        Path killed = tmp.resolve("killed");
        Process p = train(world, killed, false);
        Path latest = killed.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LATEST);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(latest) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(p.isAlive(), "the run ended before its first resumable checkpoint; nothing was killed");
        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
        p.waitFor();
        assertFalse(Files.exists(killed.resolve("test.scores.json")), "the killed run must not have finished");

        assertEquals(0, train(world, killed, true).waitFor(),
                () -> "resumed run failed: " + read(tmp.resolve("killed-resume.log")));

        assertEquals(Files.readString(straight.resolve("test.predictions.json")),
                Files.readString(killed.resolve("test.predictions.json")));
        Map<String, NdArray> a = Npz.read(finalParams(straight));
        Map<String, NdArray> b = Npz.read(finalParams(killed));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertEquals(a.get(k), b.get(k), "parameter " + k + " differs after kill -9 and resume");
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path finalParams(Path run) throws Exception {
        return Trainer.latestCheckpoint(run).resolve("params.npz");
    }

    private static Process train(Path world, Path out, boolean resume) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Djava.awt.headless=true", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "train", "--out", out.toString()));
        if (resume) {
            cmd.add("--resume"); // continues with the run's own resolved config
        } else {
            cmd.addAll(List.of("--mode", "predcls", "--data-path", world.toString()));
            for (String s : TINY) {
                cmd.add("--set");
                cmd.add(s);
            }
        }
        Files.createDirectories(out.getParent());
        File log = out.getParent().resolve(out.getFileName() + (resume ? "-resume" : "") + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }
}
