package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;

class RunSpecTest {

    private static ConfigTree quick(String model, String... overrides) {
        return ConfigTree.load(KitHome.home().resolve("configs/quick/" + model + ".yaml"), List.of(overrides));
    }

    @Test
    void resolvesModelModeSeedAndFolderFromTheConfigThenTheCommandLine() {
        RunSpec d = RunSpec.resolve(quick("tempura"), null, null, null);
        assertEquals(new RunSpec("tempura", Mode.PREDCLS, 0, Path.of("runs", "tempura-predcls")), d);

        RunSpec c = RunSpec.resolve(quick("tempura", "run.mode=sgcls", "run.out=elsewhere", "train.seed=7"), null,
                null, null);
        assertEquals(new RunSpec("tempura", Mode.SGCLS, 7, Path.of("elsewhere")), c);

        RunSpec cli = RunSpec.resolve(quick("tempura", "run.mode=sgcls", "run.out=elsewhere"), "tempura",
                Mode.PREDCLS, Path.of("x"));
        assertEquals(new RunSpec("tempura", Mode.PREDCLS, 0, Path.of("x")), cli);
        // the default folder follows the resolved mode
        assertEquals(Path.of("runs", "sttran-sgcls"),
                RunSpec.resolve(quick("sttran"), null, Mode.SGCLS, null).runDir());

        KitException clash = assertThrows(KitException.class, () -> RunSpec.resolve(quick("tempura"), "sttran", null,
                null));
        assertTrue(clash.getMessage().contains("model.name is 'tempura'"), clash.getMessage());
        KitException badMode = assertThrows(KitException.class, () -> RunSpec.resolve(quick("sttran",
                "run.mode=sgdett"), null, null, null));
        assertTrue(badMode.getMessage().contains("run.mode"), badMode.getMessage());
        assertThrows(KitException.class, () -> RunSpec.resolve(quick("sttran", "run.moed=sgcls"), null, null, null));
    }

    @Test
    void theRecordIsWrittenIntoTheConfigAndReadBackFromARunFolder(@TempDir Path tmp) {
        ConfigTree base = ConfigTree.load(KitHome.home().resolve("configs/quick/custom-model.yaml"), List.of());
        assertNull(base.getText("model.name", null));
        RunSpec spec = new RunSpec("sttran", Mode.SGCLS, 11, tmp.resolve("it's a run"));
        ConfigTree applied = spec.applyTo(base);
        assertEquals("sttran", applied.getText("model.name", null));
        assertEquals("sgcls", applied.getText("run.mode", null));
        assertEquals(spec.runDir().toString(), applied.getText("run.out", null));
        assertEquals(11, applied.bind("train", TrainConfig.class).seed());
        assertEquals(spec, RunSpec.resolve(applied, null, null, null));

        Path dir = tmp.resolve("moved");
        applied.write(dir.resolve(Checkpoint.CONFIG));
        // read back: the folder is where the run is now
        assertEquals(new RunSpec("sttran", Mode.SGCLS, 11, dir), RunSpec.ofRun(dir));
        assertEquals(RunSpec.ofRun(dir), RunSpec.ofRun(dir).check(null, null));
        assertEquals(RunSpec.ofRun(dir), RunSpec.ofRun(dir).check("sttran", Mode.SGCLS));
        KitException mode = assertThrows(KitException.class, () -> RunSpec.ofRun(dir).check(null, Mode.PREDCLS));
        assertTrue(mode.getMessage().contains("was trained in sgcls mode"), mode.getMessage());
        assertThrows(KitException.class, () -> RunSpec.ofRun(dir).check("tempura", null));
        KitException none = assertThrows(KitException.class, () -> RunSpec.ofRun(tmp.resolve("nothing")));
        assertTrue(none.getMessage().contains("nothing to resume"), none.getMessage());
    }

    @Test
    void theTrainerWritesTheRecordAndItsDataMatchesRunData(@TempDir Path tmp) {
        var cfg = TinyWorld.config("train.epochs=1", "run.mode=sgcls");
        Trainer t = Trainer.fromConfig(tmp.resolve("r"), cfg, null, null);
        assertEquals(Mode.SGCLS, t.spec().mode());
        assertEquals("sttran", t.spec().model());
        assertEquals(tmp.resolve("r").toString(), t.config().getText("run.out", null));
        RunData data = RunData.of(cfg, Mode.SGCLS);
        assertEquals(data.fingerprint(), t.data().fingerprint());
        for (int e = 0; e < 3; e++) {
            assertEquals(t.order(e), data.epochOrder(0, e));
        }
        assertEquals(t.stepsPerEpoch(), data.stepsPerEpoch(1));
    }
}
