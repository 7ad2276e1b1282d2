package org.m3sgg.models.sttran;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.testing.Fixtures;

class SttranParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"sttran_predcls.zip.tar", "sttran_predcls.legacy.tar"})
    void javaForwardMatchesPyTorchOnTheReferenceFixture(String checkpoint) {
        Path dir = Fixtures.dir("sttran-reference");
        SttranParity.Result r = SttranParity.run(dir, dir.resolve(checkpoint));
        assertEquals(9, r.pairs());
        assertTrue(r.attention() < 1e-4, "attention " + r.attention());
        assertTrue(r.spatial() < 1e-4, "spatial " + r.spatial());
        assertTrue(r.contacting() < 1e-4, "contacting " + r.contacting());
    }
}
