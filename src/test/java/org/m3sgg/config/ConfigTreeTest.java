package org.m3sgg.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;

class ConfigTreeTest {

    record Optim(double lr, double weightDecay) {
        Optim {
            if (lr <= 0) {
                throw new IllegalArgumentException("lr must be > 0, got " + lr);
            }
        }
    }

    record Train(int epochs, Optim optim, Mode mode, List<Integer> ks) {}

    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void mergesBasesThenOverrides() throws Exception {
        write("base/a.yaml", "train:\n  epochs: 10\n  optim: {lr: 1.0e-5, weight_decay: 0.01}\n  mode: predcls\n  ks: [10, 20]\n");
        Path top = write("models/b.yaml", "_base_: ../base/a.yaml\ntrain:\n  optim: {lr: 2.0e-4}\n");
        ConfigTree t = ConfigTree.load(top, List.of("train.epochs=3", "train.mode=SGCLS", "train.ks=[1, 2, 3]"));
        Train train = t.bind("train", Train.class);
        assertEquals(3, train.epochs());
        assertEquals(2.0e-4, train.optim().lr());
        assertEquals(0.01, train.optim().weightDecay());
        assertEquals(Mode.SGCLS, train.mode());
        assertEquals(List.of(1, 2, 3), train.ks());
        // the resolved config round-trips
        Path resolved = dir.resolve("run/config.yaml");
        t.write(resolved);
        assertEquals(train, ConfigTree.load(resolved, List.of()).bind("train", Train.class));
    }

    @Test
    void unknownKeyNamesKeyAndFile() throws Exception {
        write("base/a.yaml", "train:\n  epochs: 10\n  optim: {lr: 1.0e-5, weight_decay: 0.01, momentum: 0.9}\n");
        Path top = write("b.yaml", "_base_: base/a.yaml\n");
        KitException e = assertThrows(KitException.class, () -> ConfigTree.load(top, List.of()).bind("train", Train.class));
        assertTrue(e.getMessage().contains("train.optim.momentum"), e.getMessage());
        assertTrue(e.getMessage().contains("a.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("weight_decay"), e.getMessage());
    }

    @Test
    void overrideOfUnknownKeyNamesTheOverride() throws Exception {
        Path top = write("a.yaml", "train: {epochs: 1, optim: {lr: 1.0, weight_decay: 0}}\n");
        KitException e = assertThrows(KitException.class,
                () -> ConfigTree.load(top, List.of("train.epoch=3")).bind("train", Train.class));
        assertTrue(e.getMessage().contains("train.epoch") && e.getMessage().contains("--set"), e.getMessage());
    }

    @Test
    void validationAndTypeErrorsAreClear() throws Exception {
        Path top = write("a.yaml", "train: {epochs: 1, optim: {lr: -1, weight_decay: 0}}\n");
        KitException e = assertThrows(KitException.class, () -> ConfigTree.load(top, List.of()).bind("train", Train.class));
        assertTrue(e.getMessage().contains("lr must be > 0") && e.getMessage().contains("a.yaml"), e.getMessage());
        KitException t = assertThrows(KitException.class,
                () -> ConfigTree.load(top, List.of("train.epochs=many", "train.optim.lr=1")).bind("train", Train.class));
        assertTrue(t.getMessage().contains("train.epochs") && t.getMessage().contains("integer"), t.getMessage());
        KitException m = assertThrows(KitException.class,
                () -> ConfigTree.load(top, List.of("train.mode=sgdett", "train.optim.lr=1")).bind("train", Train.class));
        assertTrue(m.getMessage().contains("predcls"), m.getMessage());
    }

    @Test
    void baseCyclesAndMissingFilesAreErrors() throws Exception {
        Path a = write("a.yaml", "_base_: b.yaml\n");
        write("b.yaml", "_base_: a.yaml\n");
        assertTrue(assertThrows(KitException.class, () -> ConfigTree.load(a, List.of())).getMessage().contains("itself"));
        Path c = write("c.yaml", "_base_: nope.yaml\n");
        assertTrue(assertThrows(KitException.class, () -> ConfigTree.load(c, List.of())).getMessage().contains("nope.yaml"));
        Path bad = write("d.yaml", "train: [1, 2\n");
        assertTrue(assertThrows(KitException.class, () -> ConfigTree.load(bad, List.of())).getMessage().contains("d.yaml"));
    }

    @Test
    void overridesWorkWithoutAFile() {
        Train t = ConfigTree.empty().with(List.of("epochs=2", "optim.lr=0.5", "optim.weight_decay=0")).bind("", Train.class);
        assertEquals(2, t.epochs());
        assertEquals(0.5, t.optim().lr());
    }

    @Test
    void duplicateKeysAreRefused() throws Exception {
        Path top = write("dup.yaml", "train:\n  epochs: 1\ntrain:\n  epochs: 9\n");
        KitException e = assertThrows(KitException.class, () -> ConfigTree.load(top, List.of()));
        assertTrue(e.getMessage().contains("dup.yaml") && e.getMessage().contains("train"), e.getMessage());
        Path inner = write("dup2.yaml", "train:\n  epochs: 1\n  epochs: 9\n");
        assertThrows(KitException.class, () -> ConfigTree.load(inner, List.of()));
    }

    @Test
    void fractionalIntegerIsRefused() throws Exception {
        Path top = write("a.yaml", "train: {epochs: 1.5, optim: {lr: 1.0, weight_decay: 0}}\n");
        KitException e = assertThrows(KitException.class, () -> ConfigTree.load(top, List.of()).bind("train", Train.class));
        assertTrue(e.getMessage().contains("train.epochs") && e.getMessage().contains("an integer"), e.getMessage());
    }

    @Test
    void nonFiniteNumbersAreRefused() throws Exception {
        Path top = write("a.yaml", "train: {epochs: 1, optim: {lr: 1.0, weight_decay: 0}}\n");
        for (String v : List.of(".inf", "-.inf", ".nan", "Infinity", "NaN", "-Infinity")) {
            KitException e = assertThrows(KitException.class,
                    () -> ConfigTree.load(top, List.of("train.optim.weight_decay=" + v)).bind("train", Train.class), v);
            // YAML's .inf/.nan fail as malformed numbers; the spelled-out forms are read, then refused as not finite
            assertTrue(e.getMessage().contains("train.optim.weight_decay"), e.getMessage());
            assertTrue(v.startsWith(".") || v.startsWith("-.") || e.getMessage().contains("finite"), e.getMessage());
        }
        assertEquals(1.0e-4, ConfigTree.load(top, List.of("train.optim.lr=1.0e-4")).bind("train", Train.class)
                .optim().lr());
    }

    @Test
    void unknownSectionIsRefused() throws Exception {
        Path top = write("a.yaml", "train: {epochs: 1}\n");
        ConfigTree t = ConfigTree.load(top, List.of("trian.epochs=1"));
        KitException e = assertThrows(KitException.class, () -> t.requireSections(ConfigTree.SECTIONS));
        assertTrue(e.getMessage().contains("unknown config section 'trian'") && e.getMessage().contains("--set"),
                e.getMessage());
        ConfigTree.load(top, List.of("train.epochs=2")).requireSections(ConfigTree.SECTIONS);
    }
}
