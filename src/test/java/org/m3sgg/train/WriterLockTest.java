package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.WriterLock;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.testing.Python;

/** One writer per run folder (issue 14, defect 1), and no temporaries left by a killed run (defect 12). */
class WriterLockTest {

    @TempDir
    Path tmp;

    @Test
    void aSecondTrainingOfTheSameFolderIsRefused() {
        Path run = tmp.resolve("run");
        try (WriterLock held = WriterLock.acquire(run)) {
            KitException e = assertThrows(KitException.class,
                    () -> Trainer.fromConfig(run, TinyWorld.config("train.epochs=1"), null, Mode.PREDCLS).run());
            assertTrue(e.getMessage().contains("is in use by another training run")
                    && e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertFalse(Files.exists(run.resolve("config.yaml")), "the refused run wrote nothing");
        }
        // released: the same folder trains
        TrainingResult r = Trainer.fromConfig(run, TinyWorld.config("train.epochs=1"), null, Mode.PREDCLS)
                .stopAfter(1).run();
        assertTrue(r.interrupted());
    }

    @Test
    void aKilledHolderLeavesNoStaleLock() throws Exception {
        Python.require("fcntl");
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path lockFile = run.resolve(WriterLock.FILE);
        // another process takes the same POSIX lock the JVM takes, then is killed with SIGKILL
        Process p = new ProcessBuilder("python3", "-c", "import fcntl,sys,time\n"
                + "f=open(sys.argv[1],'a+'); fcntl.lockf(f, fcntl.LOCK_EX); f.write('pid other'); f.flush()\n"
                + "print('locked', flush=True); time.sleep(60)", lockFile.toString()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("locked", out.readLine());
            KitException e = assertThrows(KitException.class, () -> WriterLock.acquire(run));
            assertTrue(e.getMessage().contains("in use by another training run"), e.getMessage());
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
        WriterLock.acquire(run).close(); // the kernel dropped the lock with the process
    }

    @Test
    void temporariesOfAKilledRunAreRemovedAndNothingElse() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path ckpts = Files.createDirectories(run.resolve("checkpoints"));
        Files.createDirectories(ckpts.resolve(".epoch-0003.tmp8812/x"));
        Files.writeString(ckpts.resolve(".epoch-0003.tmp8812/x/params.npz"), "half");
        Files.writeString(run.resolve(".test.predictions.json.123.tmp"), "half");
        Files.writeString(run.resolve(".history.csv.9.tmp"), "half");
        Files.createDirectories(ckpts.resolve("epoch-0002"));
        Files.writeString(run.resolve("history.csv"), "kept");
        Files.writeString(run.resolve(WriterLock.FILE), "kept");
        assertEquals(3, AtomicFiles.removeTemporaries(run));
        try (var s = Files.walk(run)) {
            assertEquals(5, s.count(), "run, checkpoints, epoch-0002, history.csv, .lock remain");
        }
    }
}
