package org.m3sgg.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.Mode;

/** End to end at quick widths on a small video: every figure is present, finite and consistent. */
class SttranBenchmarkTest {

    @Test
    void quickWidthsProduceATableAndJson() throws Exception {
        SttranBenchmark.Options o = new SttranBenchmark.Options(12, 3, Mode.PREDCLS, 0, 2, true);
        SttranBenchmark.Result r = SttranBenchmark.run(SttranBenchmark.Widths.QUICK, o);
        assertEquals(12, r.shape().pairs());
        assertEquals(2, r.train().wall().length);
        assertTrue(r.train().wallMedian() > 0 && r.forward().wallMedian() > 0);
        assertTrue(r.trainGflops() > 0 && Double.isFinite(r.trainFraction()));
        assertTrue(r.gemm().weightedGflops() > 0);
        assertTrue(r.peakRssBytes() > 0, "VmHWM read from /proc/self/status");
        assertTrue(r.trainProfile().opSeconds() > 0 && !r.trainProfile().kinds().isEmpty());
        // the profiler saw the backward ops of the training step
        assertTrue(r.trainProfile().kinds().stream().anyMatch(e -> e.key().endsWith("_bp")));

        String table = BenchReport.table(List.of(r));
        assertTrue(table.contains("training / gemm") && table.contains("peak RSS"), table);
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(
                BenchReport.json(List.of(r))));
        JsonNode row = json.get("results").get(0);
        assertEquals("quick", row.get("widths").asText());
        assertEquals(r.parameters(), row.get("parameters").asLong());
        assertEquals(r.flops().trainingStep() / 1e9, row.get("gflop_training_step").asDouble(), 1e-9);
        assertTrue(row.get("profile_training_step").get("op_kinds_s").size() > 0);
    }
}
