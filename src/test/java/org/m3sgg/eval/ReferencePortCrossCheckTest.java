package org.m3sgg.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.testing.Fixtures;
import org.m3sgg.testing.Python;

/**
 * Cross-check on random data: the numpy port of the reference loop (src/test/python/reference_eval.py, itself
 * checked against the fixture's reference_scores.json) and the Java evaluator must agree to 1e-9 on 400 synthetic
 * frames. Needs python3 with numpy (org.m3sgg.testing.Python: required in CI, skipped elsewhere).
 */
class ReferencePortCrossCheckTest {

    @Test
    void javaAgreesWithTheNumpyPortOnSyntheticFrames(@TempDir Path dir) throws Exception {
        Python.require("numpy");
        List<PredictionsFile.Entry> frames = SyntheticPredictions.generate(400, 20240607L);
        Path file = dir.resolve("synthetic.json");
        PredictionsFile.write(file, frames);

        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        for (PredictionsFile.Entry e : frames) {
            ev.process(e.gt(), e.prediction());
        }
        EvaluationResult java = ev.summarize();

        Path script = Fixtures.repoRoot().resolve("src/test/python/reference_eval.py");
        String out = run("python3", script.toString(), file.toString(), "--json");
        JsonNode py = new ObjectMapper().readTree(out);
        for (Constraint c : Constraint.values()) {
            for (Map.Entry<String, Double> m : java.get(c).metrics().entrySet()) {
                assertEquals(py.get(c.key()).get(m.getKey()).asDouble(), m.getValue(), 1e-9,
                        c.key() + " " + m.getKey());
            }
        }
        // the synthetic data should exercise the metrics, not sit at 0 or 1
        double r20 = java.metric(Constraint.WITH, "R@20");
        org.junit.jupiter.api.Assertions.assertTrue(r20 > 0.1 && r20 < 0.9, "R@20 = " + r20);
    }

    @Test
    void theNumpyPortReproducesTheFixtureScores() throws Exception {
        Python.require("numpy");
        Path script = Fixtures.repoRoot().resolve("src/test/python/reference_eval.py");
        // exits non-zero when any of the 36 numbers differs by more than 1e-9
        run("python3", script.toString(), Fixtures.file("evaluator/frames.json").toString(), "--check",
                Fixtures.file("evaluator/reference_scores.json").toString());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] stdout = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroy();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        assertEquals(0, p.exitValue(), "exit status of " + String.join(" ", command));
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
