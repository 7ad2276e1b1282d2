package org.m3sgg.eval;

import org.m3sgg.testing.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 120 fixture frames scored by the published Python evaluators (src/test/resources/reference/evaluator): every R@K, mR@K
 * and mR_frame@K of every constraint must agree to 1e-9.
 */
class ReferenceParityTest {

    private static final double TOL = 1e-9;

    @Test
    void allMetricsMatchThePythonReference() throws IOException {
        List<PredictionsFile.Entry> frames = PredictionsFile.read(Fixtures.file("evaluator/frames.json"));
        assertEquals(120, frames.size());
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        for (PredictionsFile.Entry e : frames) {
            ev.process(e.gt(), e.prediction());
        }
        assertMatchesReference(ev.summarize());
    }

    @Test
    void videoAtATimeGivesTheSameScores() throws IOException {
        List<PredictionsFile.Entry> frames = PredictionsFile.read(Fixtures.file("evaluator/frames.json"));
        SceneGraphEvaluator perFrame = new SceneGraphEvaluator();
        SceneGraphEvaluator perVideo = new SceneGraphEvaluator();
        int start = 0;
        while (start < frames.size()) {
            int end = start;
            List<GroundTruthFrame> gt = new ArrayList<>();
            List<FramePrediction> pred = new ArrayList<>();
            while (end < frames.size() && frames.get(end).gt().video().equals(frames.get(start).gt().video())) {
                gt.add(frames.get(end).gt());
                pred.add(frames.get(end).prediction());
                perFrame.process(frames.get(end).gt(), frames.get(end).prediction());
                end++;
            }
            perVideo.processVideo(gt, pred);
            start = end;
        }
        assertEquals(perFrame.summarize(), perVideo.summarize());
        assertMatchesReference(perVideo.summarize());
    }

    static void assertMatchesReference(EvaluationResult result) throws IOException {
        JsonNode ref = new ObjectMapper().readTree(Fixtures.file("evaluator/reference_scores.json").toFile());
        int compared = 0;
        for (Constraint c : Constraint.values()) {
            JsonNode node = ref.get(c.key());
            Map<String, Double> ours = result.get(c).metrics();
            assertEquals(12, ours.size());
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                assertEquals(m.getValue().asDouble(), ours.get(m.getKey()), TOL, c.key() + " " + m.getKey());
                compared++;
            }
        }
        assertEquals(36, compared, "reference_scores.json should hold 12 metrics for each of 3 constraints");
    }
}
