package org.m3sgg.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.sttran.SttranConfig;
import org.m3sgg.models.sttran.SttranModel;

class ModelRegistryTest {

    private static ConfigTree quick(String... o) {
        return ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"), List.of(o));
    }

    @Test
    void unknownModelListsTheValidOnes() {
        KitException e = assertThrows(KitException.class, () -> ModelRegistry.get("sttrn"));
        // every registered model is listed (other models join the registry over time)
        assertEquals("unknown model 'sttrn'; valid models: " + String.join(", ", ModelRegistry.all().keySet()),
                e.getMessage());
        assertTrue(ModelRegistry.all().containsKey("sttran"));
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

    @Test
    void modelsRegisteredFromOutsideAreBuiltByNameAndReplaceableButBuiltInsAreNot() {
        String name = "registry-test-model";
        try {
            ModelRegistry.register(name, SttranConfig.class, SttranModel::build, "a notebook's model");
            SggModel m = ModelRegistry.build(quick("model.name=" + name), null, Mode.PREDCLS, 0);
            // the factory ran with the bound record (STTran's factory names its models "sttran")
            assertEquals(64, ((SttranConfig) m.config()).feature());
            assertTrue(ModelRegistry.all().containsKey(name));
            // re-running the notebook cell replaces the entry
            ModelRegistry.register(name, SttranConfig.class, SttranModel::build, "the same, redefined");
            assertEquals("the same, redefined", ModelRegistry.get(name).description());
        } finally {
            ModelRegistry.unregister(name);
        }
        assertFalse(ModelRegistry.all().containsKey(name));
        KitException builtIn = assertThrows(KitException.class,
                () -> ModelRegistry.register("sttran", SttranConfig.class, SttranModel::build, "mine"));
        assertTrue(builtIn.getMessage().contains("another name"), builtIn.getMessage());
        assertThrows(KitException.class, () -> ModelRegistry.unregister("sttran"));
        assertThrows(KitException.class,
                () -> ModelRegistry.register("my model", SttranConfig.class, SttranModel::build, "bad name"));
    }
}
