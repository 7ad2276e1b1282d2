package org.m3sgg.models.dsgdetr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.testing.Fixtures;

class DsgDetrParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"dsgdetr.zip.tar", "dsgdetr.legacy.tar"})
    void predclsMatchesPyTorchOnTheReferenceFixture(String checkpoint) {
        Path dir = Fixtures.dir("dsgdetr-reference");
        Map<String, Double> r = DsgDetrParity.compare(dir, dir.resolve(checkpoint));
        System.out.println(checkpoint + " " + r);
        assertEquals(0.0, r.get("indices"), "indices " + r);
        assertEquals(0.0, r.get("indices_lengths"), "indices_lengths " + r);
        for (String k : new String[] {"features", "attention_distribution", "spatial_distribution",
                "contacting_distribution"}) {
            assertTrue(r.get(k) <= 1e-4, k + " " + r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dsgdetr.zip.tar", "dsgdetr.legacy.tar"})
    void sgclsMatchesPyTorchOnTheReferenceFixture(String checkpoint) {
        Path dir = Fixtures.dir("dsgdetr-reference");
        Map<String, Double> r = DsgDetrParity.compare(dir, dir.resolve(checkpoint));
        for (Map.Entry<String, Double> e : r.entrySet()) {
            assertTrue(e.getValue() <= 1e-4, e.getKey() + " " + r);
        }
    }

    @Test
    void importerNamesUnknownMissingMisshapenKeysAndForeignPositionTables() {
        Path dir = Fixtures.dir("dsgdetr-reference");
        Map<String, TorchTensor> sd = TorchCheckpoint.loadStateDict(dir.resolve("dsgdetr.legacy.tar"));
        DsgDetrConfig cfg = DsgDetrParity.configFromDims(dir.resolve("dims.json"));
        DsgDetrModel model = DsgDetrModel.build(cfg, Mode.SGCLS, 1);

        Map<String, TorchTensor> missing = new LinkedHashMap<>(sd);
        missing.remove("object_classifier.decoder_lin.3.bias");
        KitException e1 = assertThrows(KitException.class, () -> model.loadStateDict(missing, "ck.pth"));
        assertTrue(e1.getMessage().contains("missing state_dict key 'object_classifier.decoder_lin.3.bias'")
                && e1.getMessage().contains("[37]"), e1.getMessage());

        Map<String, TorchTensor> extra = new LinkedHashMap<>(sd);
        extra.put("object_classifier.extra.weight", sd.get("vr_fc.bias"));
        KitException e2 = assertThrows(KitException.class, () -> model.loadStateDict(extra, "ck.pth"));
        assertTrue(e2.getMessage().contains("unknown state_dict key 'object_classifier.extra.weight'"), e2.getMessage());

        Map<String, TorchTensor> misshapen = new LinkedHashMap<>(sd);
        misshapen.put("subj_fc.weight", sd.get("obj_fc.bias"));
        KitException e3 = assertThrows(KitException.class, () -> model.loadStateDict(misshapen, "ck.pth"));
        assertTrue(e3.getMessage().contains("'subj_fc.weight' has shape [32] but the model expects [32, 96]"),
                e3.getMessage());

        Map<String, TorchTensor> swappedTables = new LinkedHashMap<>(sd);
        swappedTables.put("object_classifier.positional_encoder.pe", sd.get("object_classifier.positional_encoder.pe"));
        swappedTables.put("positional_encoder.pe", sd.get("object_classifier.positional_encoder.pe"));
        KitException e4 = assertThrows(KitException.class, () -> model.loadStateDict(swappedTables, "ck.pth"));
        assertTrue(e4.getMessage().contains("'positional_encoder.pe' has shape [1, 400, 96] but the model expects "
                + "[1, 400, 128]"), e4.getMessage());
    }
}
