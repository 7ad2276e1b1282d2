package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.m3sgg.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.RunSpec;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingResult;

/**
 * The run's identity (model, mode, seed, folder) is resolved once and read back: a config without --model names
 * the folder after its own model, and an SGCLS run resumes and evaluates without --mode.
 */
class RunIdentityTest {

    @TempDir
    static Path shared;

    private static Path world;

    /** Tiny widths for the 16-d world, for any of the STTran-family models. */
    private static final List<String> TINY = List.of("model.feature=16", "model.union_in=4", "model.union_out=4",
            "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2", "model.ffn=16",
            "model.dec_layers=1", "model.classifier_hidden=8", "model.pos_embed=4", "model.dropout=0.0",
            "train.epochs=1", "train.val_fraction=0.2", "train.warmup_steps=0", "train.log_every=1",
            "data.max_train_videos=6", "data.max_test_videos=2");


    @BeforeAll
    static void writeWorld() {
        WorldConfig cfg = new WorldConfig("tiny", 12, 1, 1, 3, 4, 0.25, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
        world = shared.resolve("world");
        WorldWriter.write(world, cfg, 9, true, false);
    }


    private static List<String> sets(List<String> overrides) {
        List<String> a = new ArrayList<>();
        for (String s : overrides) {
            a.add("--set");
            a.add(s);
        }
        return a;
    }

    @Test
    void aConfigWithoutModelNamesTheRunAfterItsOwnModel(@TempDir Path tmp) throws Exception {
        Path tempura = KitHome.home().resolve("configs/quick/tempura.yaml");
        // the default folder is resolved after the model: runs/tempura-predcls, not runs/sttran-predcls
        RunSpec spec = RunSpec.resolve(ConfigTree.load(tempura, List.of()), null, null, null);
        assertEquals(Path.of("runs", "tempura-predcls"), spec.runDir());
        assertEquals("tempura", spec.model());
        assertEquals(Mode.PREDCLS, spec.mode());

        // end to end, with the folder chosen by the config (run.out) rather than the command line
        Path chosen = tmp.resolve("chosen");
        List<String> args = new ArrayList<>(List.of("train", "--config", tempura.toString(), "--data-path",
                world.toString()));
        args.addAll(sets(TINY));
        args.addAll(sets(List.of("model.k=2", "model.obj_heads=2", "model.obj_ffn=8", "run.out=" + chosen)));
        CliRun r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("training tempura (predcls"), r.out());
        String best = Files.readString(chosen.resolve(Trainer.BEST)).trim();
        assertEquals("tempura", Checkpoint.readMeta(chosen.resolve(best)).model());
        ConfigTree saved = ConfigTree.load(chosen.resolve("config.yaml"), List.of());
        assertEquals("tempura", saved.getText("model.name", null));
        assertEquals("predcls", saved.getText("run.mode", null));
        assertEquals(chosen.toString(), saved.getText("run.out", null));
    }

    @Test
    void anSgclsRunResumesAndEvaluatesWithoutRepeatingTheMode(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("sg");
        // an SGCLS run stopped after two steps (as a killed one would be)
        List<String> o = new ArrayList<>(TINY);
        o.addAll(List.of("train.checkpoint_every=1", "data.path=" + world));
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), o);
        TrainingResult stopped = Trainer.fromConfig(dir, cfg, null, Mode.SGCLS).stopAfter(2).run();
        assertTrue(stopped.interrupted());
        assertEquals("sgcls", ConfigTree.load(dir.resolve("config.yaml"), List.of()).getText("run.mode", null));

        // --mode given again must agree with the run's own
        CliRun wrong = run("train", "--resume", "--out", dir.toString(), "--mode", "predcls");
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("was trained in sgcls mode"), wrong.err());

        CliRun resumed = run("train", "--resume", "--out", dir.toString());
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        assertTrue(resumed.out().contains("training sttran (sgcls"), resumed.out());
        assertTrue(Files.isRegularFile(dir.resolve(Trainer.OBJECT_STATS)));

        CliRun e = run("eval", "--checkpoint", dir.toString(), "--out", tmp.resolve("eval.json").toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("sttran (sgcls)"), e.out());
        assertEquals(Files.readString(dir.resolve("test.predictions.json")),
                Files.readString(tmp.resolve("eval.json")));
    }
}
