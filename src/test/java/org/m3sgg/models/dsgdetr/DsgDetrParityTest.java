package org.m3sgg.models.dsgdetr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
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
}
