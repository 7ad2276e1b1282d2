package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;

class TrainerTest {

    @Test
    void interruptedAndResumedRunEndsWithTheSameBitsAsAStraightRun(@TempDir Path tmp) {
        // checkpoint every step; stop after 3 steps (mid-epoch), resume in a new Trainer and a new model object
        var cfg = TinyWorld.config("train.checkpoint_every=1", "train.epochs=2");
        TrainingResult straight = Trainer.fromConfig(tmp.resolve("a"), cfg, null, Mode.PREDCLS).run();
        TrainingResult stopped = Trainer.fromConfig(tmp.resolve("b"), cfg, null, Mode.PREDCLS).stopAfter(3).run();
        assertTrue(stopped.interrupted());
        assertEquals(3, stopped.globalStep());
        assertNull(stopped.test());
        Path mid = Trainer.latestCheckpoint(tmp.resolve("b"));
        assertEquals(3, Checkpoint.readMeta(mid).globalStep());
        TrainingResult resumed = Trainer.fromConfig(tmp.resolve("b"), cfg, null, Mode.PREDCLS).resume();

        Map<String, NdArray> a = Npz.read(Trainer.latestCheckpoint(tmp.resolve("a")).resolve(Checkpoint.PARAMS));
        Map<String, NdArray> b = Npz.read(Trainer.latestCheckpoint(tmp.resolve("b")).resolve(Checkpoint.PARAMS));
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).floats(), b.get(k).floats(), 0f, k);
        }
        Map<String, NdArray> oa = Npz.read(Trainer.latestCheckpoint(tmp.resolve("a")).resolve(Checkpoint.OPTIMIZER));
        Map<String, NdArray> ob = Npz.read(Trainer.latestCheckpoint(tmp.resolve("b")).resolve(Checkpoint.OPTIMIZER));
        for (String k : oa.keySet()) {
            assertArrayEquals(oa.get(k).floats(), ob.get(k).floats(), 0f, k);
        }
        assertEquals(straight.test(), resumed.test());
        assertEquals(straight.bestEpoch(), resumed.bestEpoch());
        // the step log of the resumed run is the straight run's
        assertEquals(straight.history().size(), resumed.history().size());
        for (int i = 0; i < straight.history().size(); i++) {
            assertEquals(straight.history().get(i).trainLoss(), resumed.history().get(i).trainLoss(), 0.0);
        }
    }

    @Test
    void withDropoutTwoRunsWithTheSameSeedAndAResumedRunAgreeBitForBit(@TempDir Path tmp) {
        // dropout 0.3 in the relation model, and SGCLS (whose position embedding always has dropout 0.1)
        for (Mode mode : List.of(Mode.PREDCLS, Mode.SGCLS)) {
            var cfg = TinyWorld.config("model.dropout=0.3", "train.checkpoint_every=1", "train.epochs=1");
            Path a = tmp.resolve(mode + "-a");
            Path b = tmp.resolve(mode + "-b");
            Path c = tmp.resolve(mode + "-c");
            Trainer.fromConfig(a, cfg, null, mode).run();
            Trainer.fromConfig(b, cfg, null, mode).run();
            assertTrue(Trainer.fromConfig(c, cfg, null, mode).stopAfter(2).run().interrupted());
            Trainer.fromConfig(c, cfg, null, mode).resume();
            Map<String, NdArray> pa = Npz.read(Trainer.latestCheckpoint(a).resolve(Checkpoint.PARAMS));
            for (Path other : List.of(b, c)) {
                Map<String, NdArray> po = Npz.read(Trainer.latestCheckpoint(other).resolve(Checkpoint.PARAMS));
                for (String k : pa.keySet()) {
                    assertArrayEquals(pa.get(k).floats(), po.get(k).floats(), 0f, mode + " " + other + " " + k);
                }
            }
        }
        // and the masks matter: another seed trains to other parameters
        var other = TinyWorld.config("model.dropout=0.3", "train.epochs=1", "train.seed=5");
        Trainer.fromConfig(tmp.resolve("d"), other, null, Mode.PREDCLS).run();
        Map<String, NdArray> pa = Npz.read(Trainer.latestCheckpoint(tmp.resolve(Mode.PREDCLS + "-a"))
                .resolve(Checkpoint.PARAMS));
        Map<String, NdArray> pd = Npz.read(Trainer.latestCheckpoint(tmp.resolve("d")).resolve(Checkpoint.PARAMS));
        assertTrue(pa.keySet().stream().anyMatch(k -> !java.util.Arrays.equals(pa.get(k).floats(),
                pd.get(k).floats())));
    }

    @Test
    void lossDecreasesAndTheRunFolderHoldsEverything(@TempDir Path tmp) throws Exception {
        var cfg = TinyWorld.config("train.epochs=4", "train.lr=3e-3");
        List<Double> losses = new ArrayList<>();
        Trainer t = Trainer.fromConfig(tmp, cfg, "sttran", Mode.PREDCLS);
        t.addListener(new TrainingListener() {
            @Override
            public void onEpoch(Epoch e) {
                losses.add(e.meanLoss());
            }
        });
        TrainingResult r = t.run();
        assertEquals(4, losses.size());
        assertTrue(losses.get(3) < losses.get(0) - 0.05, "epoch losses " + losses);
        for (String f : List.of("config.yaml", "provenance.json", "history.json", "history.csv", "steps.csv",
                "test.scores.json", "test.predictions.json", Trainer.BEST)) {
            assertTrue(Files.isRegularFile(tmp.resolve(f)), f);
        }
        assertTrue(Files.isRegularFile(r.bestCheckpoint().resolve(Checkpoint.PARAMS)));
        assertEquals(5, Files.readAllLines(tmp.resolve("history.csv")).size());
        Checkpoint.Meta meta = Checkpoint.readMeta(r.bestCheckpoint());
        assertEquals("sttran", meta.model());
        assertEquals("predcls", meta.mode());
        assertEquals(t.data().fingerprint(), meta.datasetFingerprint());
        // the run folder is not reused by accident
        KitException again = assertThrows(KitException.class,
                () -> Trainer.fromConfig(tmp, cfg, "sttran", Mode.PREDCLS).run());
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingVideoAndStep(@TempDir Path tmp) {
        var cfg = TinyWorld.config("train.lr=1e30", "train.clip_norm=0", "train.weight_decay=0",
                "train.checkpoint_every=1");
        KitException e = assertThrows(KitException.class,
                () -> Trainer.fromConfig(tmp, cfg, null, Mode.PREDCLS).run());
        assertTrue(e.getMessage().matches("(?s)training stopped: the loss is (NaN|Infinity|-Infinity) at epoch \\d+, "
                + "step \\d+ \\(global step \\d+\\), video \\w+\\.mp4; the last good checkpoint is .*"), e.getMessage());
        // the newest checkpoint on disk predates the bad step and holds finite numbers
        Path last = Trainer.latestCheckpoint(tmp);
        for (NdArray a : Npz.read(last.resolve(Checkpoint.PARAMS)).values()) {
            for (float x : a.floats()) {
                assertTrue(Float.isFinite(x));
            }
        }
    }

    @Test
    void sgclsTrainsAndScoresWithRelabelling(@TempDir Path tmp) {
        var cfg = TinyWorld.config("train.epochs=1");
        TrainingResult r = Trainer.fromConfig(tmp, cfg, null, Mode.SGCLS).run();
        assertEquals(Mode.SGCLS, r.model().mode());
        assertTrue(r.test().frames() > 0);
    }

    @Test
    void aStopRequestedThroughInterruptsEndsTheRunAtTheNextStepWithItsCheckpoint(@TempDir Path tmp) {
        var cfg = TinyWorld.config("train.checkpoint_every=1", "train.epochs=2", "data.max_train_videos=5",
                "data.max_test_videos=1");
        TrainingResult r;
        try {
            // as a notebook's interrupt does while the first step's checkpoint is being written
            r = Trainer.fromConfig(tmp, cfg, null, Mode.PREDCLS).addListener(new TrainingListener() {
                @Override
                public void onCheckpoint(Path dir, boolean best) {
                    org.m3sgg.api.Interrupts.request();
                }
            }).run();
        } finally {
            org.m3sgg.api.Interrupts.clear();
        }
        assertTrue(r.interrupted());
        assertEquals(1, r.globalStep());
        assertNull(r.test());
        assertTrue(Files.isDirectory(Trainer.latestCheckpoint(tmp)));
    }

    @Test
    void anInterruptedThreadReturnsAnInterruptedResultThatResumes(@TempDir Path tmp) {
        var cfg = TinyWorld.config("train.epochs=1", "data.max_train_videos=5", "data.max_test_videos=1");
        TrainingResult r;
        Thread.currentThread().interrupt();
        try {
            r = Trainer.fromConfig(tmp, cfg, null, Mode.PREDCLS).run();
        } finally {
            Thread.interrupted();
        }
        assertTrue(r.interrupted());
        assertEquals(0, r.globalStep());
        assertNull(r.test());
        assertNull(r.bestCheckpoint());
        assertTrue(r.history().isEmpty());
        // nothing to resume yet (no checkpoint): a new run in another folder finishes
        TrainingResult done = Trainer.fromConfig(tmp.resolve("again"), cfg, null, Mode.PREDCLS).run();
        assertTrue(done.finished());
        assertEquals(done.history().get(0).globalStep(), done.globalStep());
    }

    @Test
    void schedules(@TempDir Path tmp) {
        Trainer cos = Trainer.fromConfig(tmp, TinyWorld.config("train.schedule=cosine", "train.warmup_steps=4",
                "train.min_lr=0"), null, Mode.PREDCLS);
        int spe = cos.stepsPerEpoch();
        LrSchedule s = LrSchedule.start(cos.trainConfig(), spe);
        assertEquals(0.25e-3, s.lr(0), 1e-12);
        assertEquals(1e-3, s.lr(4), 1e-12);
        assertEquals(0.0, s.lr(2L * spe), 1e-12);
        assertEquals(0.5e-3, s.lr(4 + (2L * spe - 4) / 2), 1e-4);
        // the video order is a seeded permutation, different per epoch
        assertEquals(cos.order(1), cos.order(1));
        assertTrue(!cos.order(0).equals(cos.order(1)) || cos.data().train().size() < 3);
    }
}
