package org.m3sgg.eval;

import org.m3sgg.testing.Fixtures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.m3sgg.api.KitException;

class PredictionsFileTest {

    /** A valid one-frame file; the malformed cases each change one piece of it. */
    private static final String VALID = """
            {"frames": [{"video": "v.mp4", "frame": "000007.png",
              "gt": {"person_box": [0, 0, 99, 99],
                     "objects": [{"box": [100, 100, 199, 199], "label": 5, "attention": [0], "spatial": [2],
                                  "contacting": [5, 8]}]},
              "pred": {"boxes": [[0, 0, 99, 99], [100, 100, 199, 199]], "labels": [1, 5], "scores": [1.0, 0.5],
                       "pairs": [[0, 1]],
                       "attention": [[0.8, 0.1, 0.1]],
                       "spatial": [[0.05, 0.05, 0.95, 0.1, 0.1, 0.1]],
                       "contacting": [[0.1, 0.1, 0.1, 0.1, 0.1, 0.92, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1,
                                       0.1, 0.1]]}}]}
            """;

    private static List<PredictionsFile.Entry> parse(String json) {
        List<PredictionsFile.Entry> out = new java.util.ArrayList<>();
        PredictionsFile.forEach(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json",
                out::add);
        return out;
    }

    private static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("'" + from + "' must occur exactly once");
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    @Test
    void readsTheValidFile() {
        List<PredictionsFile.Entry> frames = parse(VALID);
        assertEquals(1, frames.size());
        GroundTruthFrame gt = frames.get(0).gt();
        assertEquals("v.mp4/000007.png", gt.key());
        assertEquals(4, gt.relationCount());
        assertArrayEquals(new int[] {5, 8}, gt.objects().get(0).contacting());
        FramePrediction p = frames.get(0).prediction();
        assertEquals(2, p.boxCount());
        assertArrayEquals(new double[] {1.0, 0.5}, p.scores());
        assertEquals(0.92, p.contacting()[0][5]);
    }

    @Test
    void skipsUnknownFieldsAndAcceptsIntegralFloatsAsIds() {
        String json = replaceOnce(VALID, "\"labels\": [1, 5]", "\"labels\": [1.0, 5.0], \"uncertainty\": [[1, 2]]");
        json = replaceOnce(json, "{\"frames\": [", "{\"meta\": {\"model\": \"x\"}, \"frames\": [");
        assertArrayEquals(new int[] {1, 5}, parse(json).get(0).prediction().labels());
    }

    @Test
    void emptyPredictionsAreAllowed() {
        String json = VALID.substring(0, VALID.indexOf("\"pred\""))
                + "\"pred\": {\"boxes\": [], \"labels\": [], \"scores\": [], \"pairs\": [], \"attention\": [],"
                + " \"spatial\": [], \"contacting\": []}}]}";
        FramePrediction p = parse(json).get(0).prediction();
        assertEquals(0, p.pairCount());
        assertEquals(0, p.boxCount());
    }

    @Test
    void trailingContentIsRejected() {
        KitException e = assertThrows(KitException.class, () -> parse(VALID + " {}"));
        assertTrue(e.getMessage().contains("after the top-level object"), e.getMessage());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("box width", "\"boxes\": [[0, 0, 99, 99],", "\"boxes\": [[0, 0, 99],",
                        "pred.boxes[0] has 3 values, expected 4"),
                Arguments.of("pair out of range", "\"pairs\": [[0, 1]]", "\"pairs\": [[0, 7]]",
                        "pred.pairs[0][1] = 7 is out of range"),
                Arguments.of("pair width", "\"pairs\": [[0, 1]]", "\"pairs\": [[0, 1, 1]]",
                        "pred.pairs[0] has 3 values, expected 2"),
                Arguments.of("probability above 1", "[0.05, 0.05, 0.95,", "[0.05, 0.05, 1.5,",
                        "pred.spatial[0][2] = 1.5 is not a probability in [0, 1]"),
                Arguments.of("negative probability", "[[0.8, 0.1, 0.1]]", "[[0.8, -0.1, 0.1]]",
                        "pred.attention[0][1] = -0.1 is not a probability"),
                Arguments.of("NaN probability", "[[0.8, 0.1, 0.1]]", "[[NaN, 0.1, 0.1]]",
                        "pred.attention[0][0] = NaN is not a probability"),
                Arguments.of("score above 1", "\"scores\": [1.0, 0.5]", "\"scores\": [1.2, 0.5]",
                        "pred.scores[0] = 1.2 is not a probability"),
                Arguments.of("infinite box", "\"boxes\": [[0, 0, 99, 99],", "\"boxes\": [[0, 0, Infinity, 99],",
                        "pred.boxes[0][2] = Infinity is not finite"),
                Arguments.of("NaN ground-truth box", "\"person_box\": [0, 0, 99, 99]",
                        "\"person_box\": [0, NaN, 99, 99]", "gt.person_box"),
                Arguments.of("attention width", "[[0.8, 0.1, 0.1]]", "[[0.8, 0.2]]",
                        "pred.attention[0] has 2 values, expected 3"),
                Arguments.of("rows per pair", "\"attention\": [[0.8, 0.1, 0.1]]", "\"attention\": []",
                        "pred.attention has 0 rows, expected one per pair (1)"),
                Arguments.of("labels per box", "\"labels\": [1, 5]", "\"labels\": [1]",
                        "pred.labels has 1 entries, expected one per box (2)"),
                Arguments.of("label range", "\"labels\": [1, 5]", "\"labels\": [1, 37]",
                        "pred.labels[1] = 37 is outside 1..36"),
                Arguments.of("missing pred field", "\"scores\": [1.0, 0.5],", "",
                        "missing field pred.scores"),
                Arguments.of("missing gt", "\"gt\": {\"person_box\": [0, 0, 99, 99],",
                        "\"gtx\": {\"person_box\": [0, 0, 99, 99],", "missing field gt"),
                Arguments.of("missing object field", "\"label\": 5, ", "", "missing field gt.objects[0].label"),
                Arguments.of("string for a number", "\"scores\": [1.0, 0.5]", "\"scores\": [1.0, \"high\"]",
                        "pred.scores[1] must be a number, found a string"),
                Arguments.of("non-integral id", "\"attention\": [0]", "\"attention\": [0.5]",
                        "gt.objects[0].attention[0] = 0.5 must be an integer"),
                Arguments.of("two attention labels", "\"attention\": [0]", "\"attention\": [0, 1]",
                        "gt.objects[0].attention has 2 labels, expected exactly 1"),
                Arguments.of("spatial id range", "\"spatial\": [2]", "\"spatial\": [6]",
                        "gt.objects[0].spatial[0] = 6 is outside 0..5"),
                Arguments.of("contacting id range", "\"contacting\": [5, 8]", "\"contacting\": [5, 17]",
                        "gt.objects[0].contacting[1] = 17 is outside 0..16"),
                Arguments.of("no objects", "\"objects\": [{\"box\"", "\"objects\": [], \"x\": [{\"box\"",
                        "gt.objects is empty"),
                Arguments.of("pred not an object", "\"pred\": {\"boxes\"", "\"pred\": [], \"p\": {\"boxes\"",
                        "field pred must be an object, found an array"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedFramesNameTheFrameAndTheField(String name, String from, String to, String expected) {
        String json = replaceOnce(VALID, from, to);
        KitException e = assertThrows(KitException.class, () -> parse(json));
        String msg = e.getMessage();
        assertTrue(msg.startsWith("test.json: frames[0] (v.mp4/000007.png) "), msg);
        assertTrue(msg.contains(expected), "expected '" + expected + "' in: " + msg);
        assertFalse(msg.contains("\n"), "one line: " + msg);
    }

    @Test
    void errorsInALaterFrameNameItsIndex() {
        String second = VALID.substring(VALID.indexOf("{\"video\""), VALID.lastIndexOf("]}"))
                .replace("000007.png", "000019.png").replace("\"pairs\": [[0, 1]]", "\"pairs\": [[0, 2]]");
        String json = VALID.substring(0, VALID.lastIndexOf("]}")) + ", " + second + "]}";
        KitException e = assertThrows(KitException.class, () -> parse(json));
        assertTrue(e.getMessage().startsWith("test.json: frames[1] (v.mp4/000019.png) pred.pairs[0][1] = 2"),
                e.getMessage());
    }

    @Test
    void brokenJsonAndWrongTopLevel() {
        KitException notJson = assertThrows(KitException.class, () -> parse(VALID.substring(0, 200)));
        assertTrue(notJson.getMessage().startsWith("test.json: not valid JSON"), notJson.getMessage());
        assertTrue(notJson.getMessage().contains("line"), notJson.getMessage());
        KitException noFrames = assertThrows(KitException.class, () -> parse("{\"frame\": []}"));
        assertTrue(noFrames.getMessage().contains("missing the top-level \"frames\" array"), noFrames.getMessage());
        KitException array = assertThrows(KitException.class, () -> parse("[]"));
        assertTrue(array.getMessage().contains("expected a JSON object"), array.getMessage());
        KitException frameNotObject = assertThrows(KitException.class, () -> parse("{\"frames\": [3]}"));
        assertTrue(frameNotObject.getMessage().contains("frames[0] is not an object"), frameNotObject.getMessage());
    }

    @Test
    void missingFileIsAKitException(@TempDir Path dir) {
        KitException e = assertThrows(KitException.class, () -> PredictionsFile.read(dir.resolve("nope.json")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void writeThenReadGivesTheSameFramesAndScores(@TempDir Path dir) throws IOException {
        List<PredictionsFile.Entry> frames = PredictionsFile.read(Fixtures.file("evaluator/frames.json"));
        Path file = dir.resolve("sub/out.json");
        PredictionsFile.write(file, frames);
        List<PredictionsFile.Entry> back = PredictionsFile.read(file);
        assertEquals(frames.size(), back.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(frames.get(i).gt(), back.get(i).gt());
            assertEquals(frames.get(i).prediction(), back.get(i).prediction());
        }
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void unfinishedWriterLeavesNothingAndKeepsTheOldFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("preds.json");
        Files.writeString(file, "old");
        List<PredictionsFile.Entry> frames = parse(VALID);
        try (PredictionsFile.Writer w = PredictionsFile.writer(file)) {
            w.write(frames.get(0));
            assertEquals(1, w.frames());
            // no finish(): as if the model crashed half-way
        }
        assertEquals("old", Files.readString(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "temporary file removed");
        }
        try (PredictionsFile.Writer w = PredictionsFile.writer(file)) {
            w.write(frames.get(0));
            w.finish();
            assertThrows(IllegalStateException.class, () -> w.write(frames.get(0)));
        }
        assertEquals(1, PredictionsFile.read(file).size());
    }

    @Test
    void resultJsonIsWrittenAtomically(@TempDir Path dir) throws IOException {
        SceneGraphEvaluator ev = new SceneGraphEvaluator();
        for (PredictionsFile.Entry e : parse(VALID)) {
            ev.process(e.gt(), e.prediction());
        }
        EvaluationResult r = ev.summarize();
        Path out = dir.resolve("scores.json");
        r.writeJson(out);
        assertEquals(r.toJson(), Files.readString(out));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
