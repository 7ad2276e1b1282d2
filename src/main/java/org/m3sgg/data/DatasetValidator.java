package org.m3sgg.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Problem.Kind;
import org.m3sgg.data.pickle.PickleIO;

/**
 * Checks an Action Genome annotation folder and collects every problem, not just the first: missing files,
 * unreadable pickles, class files that do not match the vocabulary, unknown class or predicate names, visible
 * objects without a box, NaN or inverted boxes, wrong value types, malformed frame keys, person and object files
 * with different keys, and {@code frame_list.txt} disagreeing with the pickles. Frames of a video that are not in
 * increasing frame order, or not contiguous in the person file, are warnings: the loader keeps file order, which
 * the temporal models take as time order.
 */
public final class DatasetValidator {

    /** What {@link #validate} found. */
    public record Report(List<Problem> problems, List<String> warnings, int personFrames, List<String> filesChecked) {

        public boolean ok() {
            return problems.isEmpty();
        }

        /** Problems per kind, in {@link Kind} order. */
        public Map<Kind, Integer> countsByKind() {
            Map<Kind, Integer> m = new LinkedHashMap<>();
            for (Kind k : Kind.values()) {
                int n = (int) problems.stream().filter(p -> p.kind() == k).count();
                if (n > 0) {
                    m.put(k, n);
                }
            }
            return m;
        }

        /** The one-line summary {@code data validate} ends with. */
        public String summary() {
            if (ok()) {
                return "OK: " + filesChecked.size() + " files, " + personFrames + " frames, no problems"
                        + (warnings.isEmpty() ? "" : " (" + warnings.size() + " warnings)");
            }
            StringBuilder sb = new StringBuilder();
            countsByKind().forEach((k, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(n).append(' ')
                    .append(k.name().toLowerCase(java.util.Locale.ROOT)));
            return "FAILED: " + problems.size() + " problems (" + sb + ") in " + filesChecked.size() + " files, "
                    + personFrames + " frames" + (warnings.isEmpty() ? "" : "; " + warnings.size() + " warnings");
        }
    }

    private final List<Problem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> files = new ArrayList<>();
    private final AnnotationParser.Sink sink = problems::add;

    private DatasetValidator() {}

    /** Checks the folder; never throws for a malformed folder (everything becomes a {@link Problem}). */
    public static Report validate(Path dataPath) {
        DatasetValidator v = new DatasetValidator();
        int frames = v.run(dataPath);
        return new Report(List.copyOf(v.problems), List.copyOf(v.warnings), frames, List.copyOf(v.files));
    }

    private int run(Path dataPath) {
        if (!Files.isDirectory(dataPath)) {
            problems.add(new Problem(Kind.MISSING_FILE, dataPath.toString(), null,
                    "data folder does not exist, expected a folder with annotations/"));
            return 0;
        }
        ActionGenome ag = ActionGenome.open(dataPath);
        Path annotations = ag.annotationsDir();
        files.add(annotations.resolve(ClassFiles.OBJECT_FILE).toString());
        files.add(annotations.resolve(ClassFiles.RELATIONSHIP_FILE).toString());
        ClassFiles.check(annotations, sink);

        Path personFile = ag.personFile();
        Map<String, Integer> personKeys = persons(personFile);
        if (personKeys != null) {
            checkOrder(personFile.toString(), personKeys);
        }
        Path full = ag.objectFile(false);
        Set<String> fullKeys = objects(full);
        Path small = ag.objectFile(true);
        Set<String> smallKeys = objects(small);
        if (personKeys != null) {
            compareKeys(personFile, personKeys.keySet(), full, fullKeys);
            compareKeys(personFile, personKeys.keySet(), small, smallKeys);
        }
        frameList(annotations.resolve("frame_list.txt"), personFile,
                personKeys == null ? null : personKeys.keySet());
        return personKeys == null ? 0 : personKeys.size();
    }

    /** Frame key -> position in the person file, or null when the file cannot be read as a dict. */
    private Map<String, Integer> persons(Path file) {
        Map<?, ?> raw = readDict(file);
        if (raw == null) {
            return null;
        }
        String name = file.toString();
        Map<String, Integer> keys = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            if (AnnotationParser.checkKey(name, e.getKey(), sink)) {
                keys.put((String) e.getKey(), keys.size());
                AnnotationParser.person(name, (String) e.getKey(), e.getValue(), true, sink);
            } else if (e.getKey() instanceof String k) {
                keys.put(k, keys.size()); // still compared with the other files
            }
        }
        return keys;
    }

    private Set<String> objects(Path file) {
        Map<?, ?> raw = readDict(file);
        if (raw == null) {
            return null;
        }
        String name = file.toString();
        Set<String> keys = new HashSet<>();
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            if (AnnotationParser.checkKey(name, e.getKey(), sink)) {
                AnnotationParser.objects(name, (String) e.getKey(), e.getValue(), true, sink);
            }
            if (e.getKey() instanceof String k) {
                keys.add(k);
            }
        }
        return keys;
    }

    private Map<?, ?> readDict(Path file) {
        files.add(file.toString());
        if (!Files.exists(file)) {
            String hint = file.getFileName().toString().equals(ActionGenome.FILTERSMALL_FILE)
                    ? " (looked in annotations/ and in the data folder; SGCLS and SGDET need it)" : "";
            problems.add(new Problem(Kind.MISSING_FILE, file.toString(), null, "missing file" + hint));
            return null;
        }
        Object raw;
        try {
            raw = PickleIO.read(file);
        } catch (KitException e) {
            problems.add(new Problem(Kind.UNREADABLE_PICKLE, file.toString(), null, e.getMessage()
                    .replace("unreadable pickle " + file + ": ", "unreadable pickle: ")));
            return null;
        }
        if (!(raw instanceof Map<?, ?> m)) {
            problems.add(new Problem(Kind.WRONG_TYPE, file.toString(), null, "the pickle holds "
                    + AnnotationParser.describe(raw) + ", expected a dict of frame key -> record"));
            return null;
        }
        return m;
    }

    private void compareKeys(Path personFile, Set<String> personKeys, Path objectFile, Set<String> objectKeys) {
        if (objectKeys == null) {
            return;
        }
        for (String k : personKeys) {
            if (!objectKeys.contains(k)) {
                problems.add(new Problem(Kind.KEY_MISMATCH, objectFile.toString(), k, "frame is in "
                        + personFile.getFileName() + " but not in this file, expected the same frame keys"));
            }
        }
        for (String k : objectKeys) {
            if (!personKeys.contains(k)) {
                problems.add(new Problem(Kind.KEY_MISMATCH, objectFile.toString(), k, "frame is not in "
                        + personFile.getFileName() + ", expected the same frame keys"));
            }
        }
    }

    private void frameList(Path file, Path personFile, Set<String> personKeys) {
        files.add(file.toString());
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            problems.add(new Problem(Kind.MISSING_FILE, file.toString(), null,
                    "missing file, expected one 'VID.mp4/NNNNNN.png' per annotated frame"));
            return;
        } catch (java.nio.charset.CharacterCodingException e) {
            problems.add(new Problem(Kind.FRAME_LIST, file.toString(), null,
                    "not UTF-8 text, expected one 'VID.mp4/NNNNNN.png' per line"));
            return;
        } catch (IOException e) {
            problems.add(new Problem(Kind.FRAME_LIST, file.toString(), null, "cannot read: " + e.getMessage()));
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String key = lines.get(i).strip();
            if (key.isEmpty()) {
                continue;
            }
            String where = "line " + (i + 1);
            if (!AnnotationParser.checkKey(file.toString(), key, p -> problems.add(new Problem(Kind.BAD_KEY,
                    p.file(), where, "'" + key + "' " + p.message().replace("frame key is", "is"))))) {
                continue;
            }
            Integer before = seen.putIfAbsent(key, i + 1);
            if (before != null) {
                problems.add(new Problem(Kind.FRAME_LIST, file.toString(), where, "frame " + key
                        + " is listed twice (first on line " + before + "), expected each frame once"));
            } else if (personKeys != null && !personKeys.contains(key)) {
                problems.add(new Problem(Kind.FRAME_LIST, file.toString(), where, "frame " + key + " is not in "
                        + personFile.getFileName() + ", expected the list to hold exactly the annotated frames"));
            }
        }
        if (personKeys != null) {
            for (String k : personKeys) {
                if (!seen.containsKey(k)) {
                    problems.add(new Problem(Kind.FRAME_LIST, file.toString(), k, "frame of "
                            + personFile.getFileName() + " is not listed, expected every annotated frame listed"));
                }
            }
        }
    }

    /** Warns about videos whose frames are out of order or split into several runs of the person file. */
    private void checkOrder(String file, Map<String, Integer> keys) {
        Map<String, int[]> last = new HashMap<>(); // video -> {last position, last frame number}
        Set<String> warnedOrder = new LinkedHashSet<>();
        Set<String> warnedRuns = new LinkedHashSet<>();
        for (Map.Entry<String, Integer> e : keys.entrySet()) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String video = key.substring(0, slash);
            int number = frameNumber(key.substring(slash + 1));
            int[] prev = last.get(video);
            if (prev != null) {
                if (prev[0] != e.getValue() - 1 && warnedRuns.add(video)) {
                    warnings.add(file + ", frame " + key + ": frames of " + video
                            + " are not contiguous in the file; the loader still groups them by video");
                }
                if (number >= 0 && number <= prev[1] && warnedOrder.add(video)) {
                    warnings.add(file + ", frame " + key + ": frames of " + video + " are not in increasing"
                            + " frame order; the loader keeps file order, which models take as time order");
                }
            }
            last.put(video, new int[] {e.getValue(), number});
        }
    }

    private static int frameNumber(String name) {
        int dot = name.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? name : name.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
