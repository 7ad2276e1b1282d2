package org.m3sgg.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.testing.Fixtures;

/** The whole detector against the reference fixture, from both torch serialisations of its checkpoint. */
class FasterRcnnParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"faster_rcnn_ag.zip.tar", "faster_rcnn_ag.legacy.tar"})
    void everyOutputMatchesTheReference(String checkpoint) {
        Path dir = Fixtures.dir("detector-reference");
        Map<String, Double> r = FasterRcnnParity.compare(dir, dir.resolve(checkpoint));
        assertEquals(19, r.size());
        for (Map.Entry<String, Double> e : r.entrySet()) {
            boolean integer = e.getKey().endsWith("labels");
            assertTrue(integer ? e.getValue() == 0 : e.getValue() <= 1e-4, e.getKey() + ": " + e.getValue());
        }
    }
}
