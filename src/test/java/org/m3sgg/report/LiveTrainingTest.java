package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.ConstraintResult;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.train.TrainingListener;
import org.m3sgg.train.TrainingResult;

/** The live views without a kernel: a recording sink and a hand-driven clock. */
class LiveTrainingTest {

    /** Records what a kernel would receive. */
    static final class Recorder implements DisplaySink {
        final List<String> calls = new ArrayList<>();
        final List<Rich> values = new ArrayList<>();

        @Override
        public String show(Rich value) {
            calls.add("show");
            values.add(value);
            return "id-1";
        }

        @Override
        public void update(String id, Rich value) {
            calls.add("update " + id);
            values.add(value);
        }

        String lastText() {
            return values.get(values.size() - 1).mimeBundle().get("text/plain");
        }

        String lastHtml() {
            return values.get(values.size() - 1).mimeBundle().get("text/html");
        }
    }

    private static final long MS = 1_000_000L;

    @Test
    void atMostOneViewPerSecondAndTheFirstAndLastAlwaysGoOut() {
        Recorder sink = new Recorder();
        long[] now = {0};
        LiveTraining live = new LiveTraining(sink, 1.0, () -> now[0]);
        live.onStart(new TrainingListener.Plan("sttran", "predcls", 2, 50, 0, 0, 14, 2, 8, 343_871L, Path.of("r")));
        assertEquals(List.of("show"), sink.calls);
        assertTrue(sink.lastText().contains("sttran, 2 epochs x 50 steps, 343,871 parameters"), sink.lastText());
        // 100 steps, 45 ms apart: 4.5 s of training
        for (int i = 1; i <= 100; i++) {
            now[0] += 45 * MS;
            int epoch = (i - 1) / 50;
            live.onStep(new TrainingListener.Step(epoch, (i - 1) % 50 + 1, 50, i, "v", 2.0 / i, 1e-4, 0.045));
            if (i % 50 == 0) {
                live.onEpoch(new TrainingListener.Epoch(epoch, 1.0 / (epoch + 1), 1e-4, 2.25));
                live.onValidation(new TrainingListener.Validation(epoch, result(0.4 + 0.1 * epoch), "R@20 (with)",
                        0.4 + 0.1 * epoch, true, 1e-4));
            }
        }
        int during = sink.calls.size();
        // 4.5 s: the first view plus one per full second at most
        assertTrue(during >= 4 && during <= 5, "views during training: " + sink.calls);
        for (int i = 1; i < sink.calls.size(); i++) {
            assertEquals("update id-1", sink.calls.get(i), "later views replace the first in place");
        }
        live.onFinish(new TrainingResult(Path.of("r"), null, 1, 0.5, null, result(0.5), List.of(), false, 100));
        assertEquals(during + 1, sink.calls.size(), "the final view goes out whatever the throttle says");
        assertEquals(during + 1, live.updates());
        String text = sink.lastText();
        assertTrue(text.startsWith("[##############################] 100%"), text);
        assertTrue(text.contains("epoch 2/2, step 50/50, loss 0.0200"), text);
        assertTrue(text.contains("val R@20 (with) 50.0%"), text);
        assertTrue(text.endsWith("finished"), text);
        String html = sink.lastHtml();
        assertTrue(html.contains("width:420px"), "a progress bar");
        assertTrue(html.contains("<img") && html.contains("data:image/png;base64,"), "the curves as an image");
    }

    @Test
    void aZeroIntervalSendsEveryEventAndNoSinkMeansNoOutput() {
        Recorder sink = new Recorder();
        long[] now = {0};
        LiveTraining every = new LiveTraining(sink, 0, () -> now[0]);
        every.onStart(new TrainingListener.Plan("m", "predcls", 1, 3, 0, 0, 1, 1, 1, 10, Path.of("r")));
        for (int i = 1; i <= 3; i++) {
            every.onStep(new TrainingListener.Step(0, i, 3, i, "v", 1.0, 1e-3, 0.1));
        }
        assertEquals(4, sink.calls.size());
        assertTrue(sink.lastText().contains("about 0s left"), sink.lastText());
        LiveTraining silent = new LiveTraining(DisplaySink.none(), 1.0, System::nanoTime);
        silent.onStart(new TrainingListener.Plan("m", "predcls", 1, 3, 0, 0, 1, 1, 1, 10, Path.of("r")));
        assertEquals(1, silent.updates());
        assertThrows(IllegalArgumentException.class, () -> new LiveTraining(sink, -1, System::nanoTime));
    }

    @Test
    void liveProgressThrottlesAndSaysWhenItStopped() {
        Recorder sink = new Recorder();
        long[] now = {0};
        LiveProgress p = new LiveProgress(sink, 1.0, () -> now[0]);
        p.onStart("scoring 40 videos", 40);
        for (int i = 1; i <= 20; i++) {
            now[0] += 200 * MS;
            p.onAdvance(i, "V" + i + ".mp4");
        }
        assertTrue(sink.calls.size() >= 4 && sink.calls.size() <= 5, sink.calls.toString());
        p.onFinish();
        assertTrue(sink.lastText().contains("scoring 40 videos: 20/40, last V20.mp4, 4s elapsed, stopped"),
                sink.lastText());
        assertTrue(sink.lastText().startsWith("[###############...............]  50%"), sink.lastText());
    }

    @Test
    void liveProgressWithoutATotalCountsAndGivesNoEta() {
        Recorder sink = new Recorder();
        long[] now = {0};
        LiveProgress p = new LiveProgress(sink, 1.0, () -> now[0]);
        p.onStart("scene graphs of clip.mp4", 0);
        now[0] += 3000 * MS;
        p.onAdvance(30, "frame-000029");
        assertTrue(sink.lastText().contains("scene graphs of clip.mp4: 30, last frame-000029, 3s elapsed"),
                sink.lastText());
        assertFalse(sink.lastText().contains("left") || sink.lastText().contains("/0"), sink.lastText());
        p.onFinish();
        assertTrue(sink.lastText().endsWith(", done"), sink.lastText());
    }

    @Test
    void plainTextSinkPrintsTheTextForm() {
        var bytes = new java.io.ByteArrayOutputStream();
        DisplaySink text = DisplaySink.text(new java.io.PrintStream(bytes, true));
        String id = text.show(Display.text("hello <world>"));
        text.update(id, Display.text("again"));
        assertEquals("hello <world>\nagain\n", bytes.toString().replace("\r\n", "\n"));
        assertNull(DisplaySink.none().show(Display.text("x")));
    }

    static EvaluationResult result(double r20) {
        double[] recall = {r20 - 0.1, r20, r20 + 0.05, r20 + 0.05};
        double[] mean = {0.1, 0.2, 0.3, 0.3};
        Map<Constraint, ConstraintResult> m = new java.util.EnumMap<>(Constraint.class);
        for (Constraint c : Constraint.values()) {
            m.put(c, new ConstraintResult(c, 10, recall, mean, mean, new double[4][26], new double[4][26],
                    new long[26]));
        }
        return new EvaluationResult(10, m);
    }
}
