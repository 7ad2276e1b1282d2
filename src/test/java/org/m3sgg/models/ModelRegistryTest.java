package org.m3sgg.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.api.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.sttran.SttranConfig;

class ModelRegistryTest {

    private static ConfigTree quick(String... o) {
        return ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), List.of(o));
    }

    @Test
    void unknownModelListsTheValidOnes() {
        KitException e = assertThrows(KitException.class, () -> ModelRegistry.get("sttrn"));
        assertTrue(e.getMessage().startsWith("unknown model 'sttrn'; valid models: sttran"), e.getMessage());
        assertThrows(KitException.class, () -> ModelRegistry.build(quick(), "nope", Mode.PREDCLS, 0));
    }

    @Test
    void theModelSectionBindsOntoTheRegisteredRecord() {
        SggModel m = ModelRegistry.build(quick(), null, Mode.PREDCLS, 0);
        assertEquals("sttran", m.name());
        SttranConfig c = (SttranConfig) m.config();
        assertEquals(64, c.feature());
        assertEquals(128, c.dModel());
        SttranConfig paper = (SttranConfig) ModelRegistry.get("sttran")
                .bindConfig(ConfigTree.load(KitHome.home().resolve("configs/models/sttran.yaml"), List.of()));
        assertEquals(SttranConfig.paper(), paper);
    }

    @Test
    void unknownKeysAndNameClashesFailNamingKeyAndFile() {
        KitException e = assertThrows(KitException.class,
                () -> ModelRegistry.build(quick("model.widht=3"), null, Mode.PREDCLS, 0));
        assertTrue(e.getMessage().contains("unknown config key 'model.widht'"), e.getMessage());
        KitException clash = assertThrows(KitException.class,
                () -> ModelRegistry.resolveName(quick(), "tempura"));
        assertTrue(clash.getMessage().contains("model.name is 'sttran'"), clash.getMessage());
        assertTrue(clash.getMessage().contains(Path.of("configs", "models", "sttran.yaml").toString()),
                clash.getMessage());
    }
}
