package org.m3sgg.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.testing.Fixtures;

/** The YAML presets under configs/data are the generator's presets, and overrides work on them. */
class WorldConfigYamlTest {

    private static Path config(String name) {
        return Fixtures.repoRoot().resolve("configs/data").resolve(name);
    }

    @Test
    void yamlPresetsEqualTheCodePresets() {
        assertEquals(WorldConfig.small(),
                ConfigTree.load(config("synthetic-small.yaml"), List.of()).bind("world", WorldConfig.class));
        assertEquals(WorldConfig.agScale(),
                ConfigTree.load(config("synthetic-ag-scale.yaml"), List.of()).bind("world", WorldConfig.class));
    }

    @Test
    void overridesAndErrorsOnThePreset() {
        ConfigTree t = ConfigTree.of("world", WorldConfig.small(), "preset small");
        assertEquals(200, t.with(List.of("world.videos=200")).bind("world", WorldConfig.class).videos());
        KitException e = assertThrows(KitException.class,
                () -> t.with(List.of("world.vidoes=200")).bind("world", WorldConfig.class));
        assertTrue(e.getMessage().contains("world.vidoes") && e.getMessage().contains("--set"), e.getMessage());
        KitException v = assertThrows(KitException.class,
                () -> t.with(List.of("world.min_frames=1")).bind("world", WorldConfig.class));
        assertTrue(v.getMessage().contains("minFrames") || v.getMessage().contains("min"), v.getMessage());
    }
}
