package org.m3sgg.models.tempura;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.models.sttran.SttranParity;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.testing.Fixtures;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class TempuraParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"tempura_predcls.zip.tar", "tempura_predcls.legacy.tar"})
    void javaForwardMatchesPyTorchOnTheReferenceFixture(String checkpoint) {
        Path dir = Fixtures.dir("tempura-reference");
        LinkedHashMap<String, Double> d = TempuraParity.compare(dir, dir.resolve(checkpoint));
        System.out.println("tempura parity " + checkpoint + ": " + d);
        assertEquals(14, d.size(), d.keySet().toString());
        for (Map.Entry<String, Double> e : d.entrySet()) {
            assertTrue(e.getValue() <= 1e-4, e.getKey() + " differs by " + e.getValue());
        }
    }

    @Test
    void stateDictImportIsStrictAboutKeysAndShapes() {
        Path dir = Fixtures.dir("tempura-reference");
        Path ckpt = dir.resolve(TempuraParity.DEFAULT_CHECKPOINT);
        TempuraConfig cfg = TempuraParity.configFromDims(dir.resolve("dims.json"));
        Map<String, TorchTensor> sd = TorchCheckpoint.loadStateDict(ckpt);

        Map<String, TorchTensor> missing = new LinkedHashMap<>(sd);
        missing.remove("glocal_transformer.mem_attention.out_proj.weight");
        assertMessage(missing, "missing state_dict key 'glocal_transformer.mem_attention.out_proj.weight'", cfg);

        Map<String, TorchTensor> extra = new LinkedHashMap<>(sd);
        extra.put("a_rel_compress.heads.mu_7.weight", sd.get("a_rel_compress.heads.mu_1.weight"));
        assertMessage(extra, "unknown state_dict key 'a_rel_compress.heads.mu_7.weight'", cfg);

        Map<String, TorchTensor> shaped = new LinkedHashMap<>(sd);
        shaped.put("object_classifier.decoder_lin.0.bias", sd.get("object_classifier.intermediate.0.bias"));
        assertMessage(shaped, "'object_classifier.decoder_lin.0.bias' has shape [32]", cfg);
    }

    @Test
    void checkpointMemoryBecomesTheModelsMemory() {
        Path dir = Fixtures.dir("tempura-reference");
        TempuraModel model = TempuraModel.build(TempuraParity.configFromDims(dir.resolve("dims.json")), Mode.PREDCLS, 0);
        assertFalse(model.memoryBuilt());
        TempuraCheckpoint.load(model, dir.resolve(TempuraParity.DEFAULT_CHECKPOINT));
        assertTrue(model.memoryBuilt());
        INDArray expected = Nd4j.concat(0, SttranParity.npy(dir, "in_rel_memory_attention.npy"),
                SttranParity.npy(dir, "in_rel_memory_spatial.npy"), SttranParity.npy(dir, "in_rel_memory_contacting.npy"));
        assertEquals(0.0, Transforms.abs(model.memory().castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)))
                .maxNumber().doubleValue(), 0.0);
    }

    private static void assertMessage(Map<String, TorchTensor> sd, String part, TempuraConfig cfg) {
        TempuraModel model = TempuraModel.build(cfg, Mode.PREDCLS, 0);
        KitException e = assertThrows(KitException.class, () -> model.loadStateDict(sd, "test"));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
