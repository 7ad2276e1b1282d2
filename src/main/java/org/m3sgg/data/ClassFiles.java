package org.m3sgg.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.m3sgg.data.Problem.Kind;

/**
 * Checks {@code object_classes.txt} (36 lines) and {@code relationship_classes.txt} (26 lines) against
 * {@link Vocabulary}. STTran takes line i as class i + 1 (predicate i) and renames the slash and underscore names
 * by position, so the files must hold exactly the released names in the released order. Trailing whitespace on a
 * line (one released copy has {@code "closetcabinet "}), a trailing CR and blank lines at the end are tolerated;
 * the names as the loader spells them after renaming ({@code closet/cabinet}, {@code looking_at}) are accepted too.
 */
final class ClassFiles {

    static final String OBJECT_FILE = "object_classes.txt";
    static final String RELATIONSHIP_FILE = "relationship_classes.txt";

    private ClassFiles() {}

    /** Checks both files in {@code annotations}; every problem goes to the sink. */
    static void check(Path annotations, AnnotationParser.Sink sink) {
        check(annotations.resolve(OBJECT_FILE), AnnotationWriter.RAW_OBJECT_CLASSES,
                Vocabulary.OBJECT_CLASSES.subList(1, Vocabulary.NUM_OBJECT_CLASSES), "object class", sink);
        check(annotations.resolve(RELATIONSHIP_FILE), AnnotationWriter.RAW_RELATIONSHIP_CLASSES,
                Vocabulary.PREDICATES, "predicate", sink);
    }

    private static void check(Path file, List<String> raw, List<String> renamed, String what,
            AnnotationParser.Sink sink) {
        String name = file.toString();
        List<String> lines;
        try {
            lines = readLines(file);
        } catch (NoSuchFileException e) {
            sink.report(new Problem(Kind.MISSING_FILE, name, null, "missing file, expected " + raw.size() + " "
                    + what + " names, one per line"));
            return;
        } catch (IOException e) {
            sink.report(new Problem(Kind.CLASS_FILE, name, null, "cannot read: " + e.getMessage()));
            return;
        }
        int last = lines.size();
        while (last > 0 && lines.get(last - 1).isBlank()) {
            last--;
        }
        for (int i = 0; i < last; i++) {
            String line = stripTrailing(lines.get(i));
            String where = "line " + (i + 1);
            if (i >= raw.size()) {
                sink.report(new Problem(Kind.CLASS_FILE, name, where, "unexpected extra line '" + line
                        + "', expected exactly " + raw.size() + " " + what + " names"));
            } else if (!line.equals(raw.get(i)) && !line.equals(renamed.get(i))) {
                Kind kind = raw.contains(line) || renamed.contains(line) ? Kind.CLASS_FILE : Kind.UNKNOWN_NAME;
                sink.report(new Problem(kind, name, where, (kind == Kind.UNKNOWN_NAME ? "unknown " + what + " '"
                        : what + " '") + line + "', expected '" + raw.get(i) + "' (the released order)"));
            }
        }
        if (last < raw.size()) {
            sink.report(new Problem(Kind.CLASS_FILE, name, null, "has " + last + " names, expected " + raw.size()
                    + " (missing from '" + raw.get(last) + "' on)"));
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        try {
            return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text");
        }
    }

    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && Character.isWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
