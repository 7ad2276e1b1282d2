package org.m3sgg.sgdet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.m3sgg.testing.Fixtures;

class SgdetParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"sgdet_head.zip.tar", "sgdet_head.legacy.tar"})
    void everyReferenceOutputIsReproduced(String checkpoint) throws Exception {
        Path dir = Fixtures.dir("sgdet-reference");
        LinkedHashMap<String, Double> r = SgdetParity.compare(dir, dir.resolve(checkpoint));
        TreeSet<String> expected = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.npy")) {
            for (Path p : ds) {
                String n = p.getFileName().toString().replace(".npy", "");
                if (n.startsWith("train_") || n.startsWith("test_") || n.equals("roi_edge_feat")) {
                    expected.add(n);
                }
            }
        }
        for (String k : new String[] {"detector_found_idx", "gt_relations", "supply_relations",
                "detector_found_idx_after_supply", "attention_gt", "spatial_gt", "contacting_gt"}) {
            expected.add("train_assignment." + k);
        }
        assertEquals(expected, new TreeSet<>(r.keySet()));
        for (Map.Entry<String, Double> e : r.entrySet()) {
            assertTrue(e.getValue() <= 1e-6, e.getKey() + " = " + e.getValue());
        }
    }
}
