package org.m3sgg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.Problem.Kind;
import org.m3sgg.data.pickle.NumpyArray;
import org.m3sgg.testing.Fixtures;

class DatasetValidatorTest {

    @TempDir
    Path dir;

    private static List<Problem> of(DatasetValidator.Report r, Kind kind) {
        return r.problems().stream().filter(p -> p.kind() == kind).toList();
    }

    private static void assertProblem(DatasetValidator.Report r, Kind kind, String file, String key, String text) {
        assertTrue(of(r, kind).stream().anyMatch(p -> p.file().endsWith(file)
                && (key == null ? p.key() == null : key.equals(p.key())) && p.message().contains(text)),
                "expected " + kind + " in " + file + " at " + key + " mentioning '" + text + "', got "
                        + r.problems());
    }

    @Test
    void theFixtureAndAFreshFolderAreClean() {
        DatasetValidator.Report fixture = DatasetValidator.validate(Fixtures.path("ag-format"));
        assertTrue(fixture.ok(), fixture.problems().toString());
        assertEquals(259, fixture.personFrames());
        DatasetValidator.Report fresh = DatasetValidator.validate(AgFolders.write(dir));
        assertTrue(fresh.ok(), fresh.problems().toString());
        assertTrue(fresh.warnings().isEmpty());
        assertTrue(fresh.summary().startsWith("OK: 6 files, 9 frames"), fresh.summary());
    }

    @Test
    void missingFiles() throws Exception {
        AgFolders.write(dir);
        Files.delete(AgFolders.file(dir, ActionGenome.FILTERSMALL_FILE));
        Files.delete(AgFolders.file(dir, "frame_list.txt"));
        Files.delete(AgFolders.file(dir, "object_classes.txt"));
        DatasetValidator.Report r = DatasetValidator.validate(dir);
        assertEquals(3, of(r, Kind.MISSING_FILE).size(), r.problems().toString());
        assertProblem(r, Kind.MISSING_FILE, ActionGenome.FILTERSMALL_FILE, null, "SGCLS and SGDET need it");
        assertProblem(r, Kind.MISSING_FILE, "frame_list.txt", null, "missing file");
        assertProblem(r, Kind.MISSING_FILE, "object_classes.txt", null, "expected 36 object class names");
    }

    @Test
    void unreadablePickles() throws Exception {
        AgFolders.write(dir);
        Path person = AgFolders.file(dir, ActionGenome.PERSON_FILE);
        byte[] b = Files.readAllBytes(person);
        Files.write(person, java.util.Arrays.copyOf(b, b.length - 7));
        Files.write(AgFolders.file(dir, ActionGenome.OBJECT_FILE), new byte[] {(byte) 0x80, 2, 'X', 1});
        DatasetValidator.Report r = DatasetValidator.validate(dir);
        assertProblem(r, Kind.UNREADABLE_PICKLE, ActionGenome.PERSON_FILE, null, "truncated");
        assertProblem(r, Kind.UNREADABLE_PICKLE, ActionGenome.OBJECT_FILE, null, "truncated");
        // the filtersmall file and the text files are still checked
        assertEquals(2, r.problems().size(), r.problems().toString());
    }

    @Test
    void everyProblemInOneRun() throws Exception {
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE), m -> {
            AgFolders.object(m, "AAAAA.mp4/000010.png", 0).put("class", "spaceship");
            AgFolders.object(m, "AAAAA.mp4/000010.png", 1).put("contacting_relationship", List.of("hugging"));
            AgFolders.object(m, "AAAAA.mp4/000020.png", 0).put("bbox", null);
            AgFolders.object(m, "AAAAA.mp4/000030.png", 0).put("bbox", new Object[] {1.0, 2.0, Double.NaN, 3.0});
            AgFolders.object(m, "AAAAA.mp4/000030.png", 1).put("bbox", new Object[] {1.0, 2.0, 3.0, -3.0});
            AgFolders.object(m, "AAAAA.mp4/000040.png", 0).put("visible", 1);
            AgFolders.object(m, "AAAAA.mp4/000040.png", 1).put("metadata", Map.of("set", "val"));
            AgFolders.object(m, "BBBBB.mp4/000020.png", 0).put("attention_relationship", List.of());
            AgFolders.object(m, "BBBBB.mp4/000020.png", 1).put("attention_relationship",
                    List.of("looking_at", "not_looking_at"));
            m.remove("BBBBB.mp4/000010.png");
            m.put("ZZZZZ.mp4/000001.png", m.get("BBBBB.mp4/000020.png"));
        });
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.PERSON_FILE), m -> {
            AgFolders.person(m, "BBBBB.mp4/000020.png").put("bbox", NumpyArray.ofFloats(new float[] {5, 5, 1, 1}, 1, 4));
            AgFolders.person(m, "BBBBB.mp4/000030.png").remove("bbox_size");
            m.put("CCCCC.mp4/7.png", m.remove("CCCCC.mp4/000010.png"));
        });
        AgFolders.editText(AgFolders.file(dir, "frame_list.txt"),
                s -> s.replace("AAAAA.mp4/000040.png\n", "") + "AAAAA.mp4/000099.png\nnot-a-key\n");
        AgFolders.editText(AgFolders.file(dir, "relationship_classes.txt"), s -> s.replace("wiping", "wipping"));
        DatasetValidator.Report r = DatasetValidator.validate(dir);
        String obj = ActionGenome.OBJECT_FILE;
        assertProblem(r, Kind.UNKNOWN_NAME, obj, "AAAAA.mp4/000010.png", "unknown object class 'spaceship'");
        assertProblem(r, Kind.UNKNOWN_NAME, obj, "AAAAA.mp4/000010.png", "unknown contacting predicate 'hugging'");
        assertProblem(r, Kind.MISSING_BOX, obj, "AAAAA.mp4/000020.png", "object 0 (table) is visible but has no");
        assertProblem(r, Kind.BAD_BOX, obj, "AAAAA.mp4/000030.png", "NaN");
        assertProblem(r, Kind.BAD_BOX, obj, "AAAAA.mp4/000030.png", "inverted");
        assertProblem(r, Kind.WRONG_TYPE, obj, "AAAAA.mp4/000040.png", "'visible' is int 1");
        assertProblem(r, Kind.WRONG_TYPE, obj, "AAAAA.mp4/000040.png", "'metadata.set' is 'val'");
        assertProblem(r, Kind.WRONG_TYPE, obj, "BBBBB.mp4/000020.png", "has 0 attention labels, expected exactly 1");
        assertProblem(r, Kind.WRONG_TYPE, obj, "BBBBB.mp4/000020.png", "has 2 attention labels, expected exactly 1");
        assertProblem(r, Kind.KEY_MISMATCH, obj, "BBBBB.mp4/000010.png", "not in this file");
        assertProblem(r, Kind.KEY_MISMATCH, obj, "ZZZZZ.mp4/000001.png", "is not in person_bbox.pkl");
        assertProblem(r, Kind.BAD_BOX, ActionGenome.PERSON_FILE, "BBBBB.mp4/000020.png", "person box is inverted");
        assertProblem(r, Kind.WRONG_TYPE, ActionGenome.PERSON_FILE, "BBBBB.mp4/000030.png", "'bbox_size' is None");
        assertProblem(r, Kind.BAD_KEY, ActionGenome.PERSON_FILE, "CCCCC.mp4/7.png", "VID.mp4/NNNNNN.png");
        assertProblem(r, Kind.FRAME_LIST, "frame_list.txt", "AAAAA.mp4/000040.png", "is not listed");
        assertProblem(r, Kind.FRAME_LIST, "frame_list.txt", "line 9", "AAAAA.mp4/000099.png is not in");
        assertProblem(r, Kind.BAD_KEY, "frame_list.txt", "line 10", "'not-a-key'");
        assertProblem(r, Kind.FRAME_LIST, "frame_list.txt", "CCCCC.mp4/7.png", "is not listed");
        assertProblem(r, Kind.FRAME_LIST, "frame_list.txt", "line 7", "CCCCC.mp4/000010.png is not in");
        assertProblem(r, Kind.UNKNOWN_NAME, "relationship_classes.txt", "line 25", "'wipping'");
        assertFalse(r.ok());
        assertTrue(r.summary().startsWith("FAILED: " + r.problems().size() + " problems ("), r.summary());
        // the messages name the file and frame in one line
        Problem p = of(r, Kind.MISSING_BOX).get(0);
        assertTrue(p.format().startsWith(AgFolders.file(dir, obj) + ", frame AAAAA.mp4/000020.png: object 0"),
                p.format());
    }

    @Test
    void framesOutOfOrderAreAWarning() {
        List<RawAnnotations.Frame> frames = new java.util.ArrayList<>(AgFolders.frames());
        java.util.Collections.swap(frames, 0, 1);
        AnnotationWriter.write(dir, frames);
        DatasetValidator.Report r = DatasetValidator.validate(dir);
        assertTrue(r.ok());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().get(0).contains("AAAAA.mp4 are not in increasing frame order"), r.warnings().get(0));
    }

    @Test
    void messagesSayWhatWasFoundAndExpected() throws Exception {
        AgFolders.write(dir);
        java.nio.file.Files.write(AgFolders.file(dir, "frame_list.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 'x'});
        DatasetValidator.Report r = DatasetValidator.validate(dir);
        assertProblem(r, Kind.FRAME_LIST, "frame_list.txt", null, "not UTF-8 text");
        // a bytes key (a Python 2 pickle read as bytes) is shown as Python shows it, not as a Java array
        List<Problem> keys = new java.util.ArrayList<>();
        AnnotationParser.checkKey("person_bbox.pkl", "AAAAA.mp4/\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                keys::add);
        assertEquals("b'AAAAA.mp4/\\xc3\\xa9'", keys.get(0).key());
        assertTrue(keys.get(0).message().contains("frame key is a bytes"), keys.get(0).message());
    }
}
