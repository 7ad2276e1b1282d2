package org.m3sgg.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.m3sgg.data.pickle.PickleIO;
import org.m3sgg.data.pickle.PickleWriter;

/** Small well-formed annotation folders for tests, and helpers to break them one way at a time. */
final class AgFolders {

    private AgFolders() {}

    static RawAnnotations.ObjectEntry visible(String cls, double x, double y, double w, double h, String set,
            List<String> att, List<String> spa, List<String> con) {
        return new RawAnnotations.ObjectEntry(cls, true, new double[] {x, y, w, h}, att, spa, con, set);
    }

    static RawAnnotations.ObjectEntry invisible(String cls, String set) {
        return new RawAnnotations.ObjectEntry(cls, false, null, null, null, null, set);
    }

    /**
     * Video AAAAA (train, 4 frames), BBBBB (test, 3 frames), CCCCC (train, 2 frames: dropped by STTran). Every
     * frame has a person and two visible objects (a table and a cup with 1 + 1 + 1 and 1 + 2 + 0 predicates).
     */
    static List<RawAnnotations.Frame> frames() {
        List<RawAnnotations.Frame> out = new ArrayList<>();
        String[][] videos = {{"AAAAA", "train", "4"}, {"BBBBB", "test", "3"}, {"CCCCC", "train", "2"}};
        for (String[] v : videos) {
            for (int f = 1; f <= Integer.parseInt(v[2]); f++) {
                String key = String.format("%s.mp4/%06d.png", v[0], 10 * f);
                out.add(new RawAnnotations.Frame(key, new Box(10, 20, 110, 220), 0.99, 480, 270, List.of(
                        visible("table", 50, 60, 100, 40, v[1], List.of("looking_at"), List.of("in_front_of"),
                                List.of("touching")),
                        visible("cup/glass/bottle", 5, 6, 20, 30, v[1], List.of("unsure"),
                                List.of("above", "behind"), List.of()))));
            }
        }
        return out;
    }

    static Path write(Path dir) {
        AnnotationWriter.write(dir, frames());
        return dir;
    }

    static Path file(Path dir, String name) {
        return dir.resolve("annotations").resolve(name);
    }

    /** Reads a pickle, lets {@code edit} change its top-level dict, writes it back. */
    @SuppressWarnings("unchecked")
    static void editPickle(Path file, Consumer<Map<String, Object>> edit) {
        Map<String, Object> m = (Map<String, Object>) PickleIO.read(file);
        edit.accept(m);
        PickleWriter.write(file, m);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> objects, String key, int index) {
        return (Map<String, Object>) ((List<Object>) objects.get(key)).get(index);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> person(Map<String, Object> persons, String key) {
        return (Map<String, Object>) persons.get(key);
    }

    static void editText(Path file, java.util.function.UnaryOperator<String> edit) throws IOException {
        Files.writeString(file, edit.apply(Files.readString(file, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
