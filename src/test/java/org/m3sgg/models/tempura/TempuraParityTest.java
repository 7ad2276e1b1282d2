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

    @Test
    void checkpointImportIsStrictAboutTheMemories() {
        Path dir = Fixtures.dir("tempura-reference");
        Path ckpt = dir.resolve(TempuraParity.DEFAULT_CHECKPOINT);
        TempuraConfig cfg = TempuraParity.configFromDims(dir.resolve("dims.json"));
        Map<?, ?> top = (Map<?, ?>) TorchCheckpoint.load(ckpt);
        Map<?, ?> rel = (Map<?, ?>) top.get("rel_memory");

        Map<Object, Object> extra = new LinkedHashMap<>(top);
        extra.put("optimizer", rel.get("attention"));
        assertTopMessage(extra, "unknown top-level key 'optimizer'", cfg);

        Map<Object, Object> noObj = new LinkedHashMap<>(top);
        noObj.remove("object_memory");
        assertTopMessage(noObj, "missing top-level key 'object_memory'", cfg);

        Map<Object, Object> relMissing = new LinkedHashMap<>(rel);
        relMissing.remove("spatial");
        Map<Object, Object> t1 = new LinkedHashMap<>(top);
        t1.put("rel_memory", relMissing);
        assertTopMessage(t1, "missing key 'rel_memory.spatial'", cfg);

        Map<Object, Object> relShape = new LinkedHashMap<>(rel);
        relShape.put("contacting", rel.get("attention"));
        Map<Object, Object> t2 = new LinkedHashMap<>(top);
        t2.put("rel_memory", relShape);
        assertTopMessage(t2, "'rel_memory.contacting' has shape [3, 128]", cfg);

        Map<Object, Object> relExtra = new LinkedHashMap<>(rel);
        relExtra.put("objects", rel.get("attention"));
        Map<Object, Object> t3 = new LinkedHashMap<>(top);
        t3.put("rel_memory", relExtra);
        assertTopMessage(t3, "unknown key 'rel_memory.objects'", cfg);

        TorchTensor c = (TorchTensor) rel.get("contacting");
        Map<Object, Object> t4 = new LinkedHashMap<>(top);
        t4.put("object_memory", new TorchTensor(c.dtype(), new long[] {36, 32}, new long[] {32, 1}, 0, c.storage()));
        assertTopMessage(t4, "'object_memory' is not zero", cfg);

        Map<Object, Object> t5 = new LinkedHashMap<>(top);
        t5.put("object_memory", rel.get("attention"));
        assertTopMessage(t5, "'object_memory' has shape [3, 128] but the model expects [36, 32]", cfg);

        // train.py stores an empty rel_memory before the first memory computation: the model's memory is emptied
        TempuraModel model = TempuraModel.build(cfg, Mode.PREDCLS, 0);
        TempuraCheckpoint.load(model, top, "full");
        assertTrue(model.memoryBuilt());
        Map<Object, Object> t6 = new LinkedHashMap<>(top);
        t6.put("rel_memory", new LinkedHashMap<>());
        TempuraCheckpoint.load(model, t6, "empty");
        assertFalse(model.memoryBuilt());
        assertEquals(0.0, model.memory().amaxNumber().doubleValue(), 0.0);
    }

    private static void assertTopMessage(Map<Object, Object> top, String part, TempuraConfig cfg) {
        TempuraModel model = TempuraModel.build(cfg, Mode.PREDCLS, 0);
        KitException e = assertThrows(KitException.class, () -> TempuraCheckpoint.load(model, top, "test"));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    private static void assertMessage(Map<String, TorchTensor> sd, String part, TempuraConfig cfg) {
        TempuraModel model = TempuraModel.build(cfg, Mode.PREDCLS, 0);
        KitException e = assertThrows(KitException.class, () -> model.loadStateDict(sd, "test"));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
