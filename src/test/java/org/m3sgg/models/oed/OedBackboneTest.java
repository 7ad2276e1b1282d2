package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.testing.Fixtures;
import org.nd4j.linalg.api.buffer.DataType;

/** The backbone loads {@code backbone.0.body.*} strictly and reads its depth and widths from the tensors. */
class OedBackboneTest {

    private static OedCheckpoint fixture() {
        return OedCheckpoint.load(Fixtures.dir("oed-reference").resolve("oed_sgdet_spatial.zip.tar"));
    }

    private static OedCheckpoint edited(OedCheckpoint ck, java.util.function.Consumer<Map<String, TorchTensor>> f) {
        Map<String, TorchTensor> sd = new LinkedHashMap<>(ck.stateDict());
        f.accept(sd);
        return new OedCheckpoint(sd, ck.args(), "edited.tar");
    }

    @Test
    void widthsComeFromTheStateDict() {
        OedBackbone b = OedBackbone.fromCheckpoint(fixture(), DataType.FLOAT);
        assertEquals(128, b.c5Channels());
    }

    @Test
    void unknownAndMissingKeysAreRefused() {
        OedCheckpoint ck = fixture();
        KitException extra = assertThrows(KitException.class, () -> OedBackbone.fromCheckpoint(edited(ck,
                sd -> sd.put("backbone.0.body.fc.weight", sd.get("backbone.0.body.conv1.weight"))), DataType.FLOAT));
        assertTrue(extra.getMessage().contains("fc.weight"), extra.getMessage());
        KitException missing = assertThrows(KitException.class, () -> OedBackbone.fromCheckpoint(edited(ck,
                sd -> sd.remove("backbone.0.body.layer2.0.bn2.running_var")), DataType.FLOAT));
        assertTrue(missing.getMessage().contains("layer2.0.bn2.running_var"), missing.getMessage());
        KitException none = assertThrows(KitException.class, () -> OedBackbone.fromCheckpoint(edited(ck,
                sd -> sd.keySet().removeIf(k -> k.startsWith("backbone."))), DataType.FLOAT));
        assertTrue(none.getMessage().contains("backbone.0.body"), none.getMessage());
    }
}
