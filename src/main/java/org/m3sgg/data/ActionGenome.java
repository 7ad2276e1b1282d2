package org.m3sgg.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AnnotationParser.FrameObjects;
import org.m3sgg.data.AnnotationParser.Person;
import org.m3sgg.data.pickle.PickleIO;

/**
 * An Action Genome annotation folder, loaded with the semantics of STTran's {@code AG} dataset class.
 *
 * <p>Files: {@code annotations/person_bbox.pkl}, {@code annotations/object_bbox_and_relationship.pkl},
 * {@code object_bbox_and_relationship_filtersmall.pkl} (looked for in {@code annotations/} first, then in the data
 * folder itself, since it is a separate download), {@code annotations/object_classes.txt} and
 * {@code annotations/relationship_classes.txt}. The class files are checked on the first load.
 *
 * <p>What is kept, in STTran's order: for each key of {@code person_bbox.pkl} in file order, the frame belongs to
 * the split named by its FIRST object's {@code metadata.set}; it needs at least one visible object and a person
 * box; a video is kept with more than two such frames (two with {@link LoadOptions#keepTwoFrameVideos}). Object
 * boxes are converted from (x, y, w, h) to corners; predicates become local ids of their group.
 *
 * <p>Each pickle is read once per instance and converted at once into compact per-frame records (the raw
 * pickle maps are dropped right away), so loading train and test reads every file once. Not thread-safe
 * beyond the synchronisation of {@link #load}.
 */
public final class ActionGenome {

    public static final String PERSON_FILE = "person_bbox.pkl";
    public static final String OBJECT_FILE = "object_bbox_and_relationship.pkl";
    public static final String FILTERSMALL_FILE = "object_bbox_and_relationship_filtersmall.pkl";

    private final Path dataPath;
    private boolean classFilesChecked;
    private PersonTable persons;
    /** Converted object files, by filterSmall. */
    private final Map<Boolean, Map<String, FrameObjects>> objectTables = new HashMap<>();

    private ActionGenome(Path dataPath) {
        this.dataPath = dataPath;
    }

    /** Opens a data folder; nothing is read until the first {@link #load}. */
    public static ActionGenome open(Path dataPath) {
        if (!Files.isDirectory(dataPath)) {
            throw new KitException("data path " + dataPath + " is not a folder, expected an Action Genome folder "
                    + "with annotations/person_bbox.pkl");
        }
        return new ActionGenome(dataPath);
    }

    public Path dataPath() {
        return dataPath;
    }

    public Path annotationsDir() {
        return dataPath.resolve("annotations");
    }

    public Path personFile() {
        return annotationsDir().resolve(PERSON_FILE);
    }

    /**
     * The object file for PredCLS ({@code filterSmall = false}) or SGCLS/SGDET. The filtersmall file is taken
     * from {@code annotations/} if there, else from the data folder; when neither exists the
     * {@code annotations/} path is returned (and reading it reports it missing).
     */
    public Path objectFile(boolean filterSmall) {
        if (!filterSmall) {
            return annotationsDir().resolve(OBJECT_FILE);
        }
        Path inAnnotations = annotationsDir().resolve(FILTERSMALL_FILE);
        Path beside = dataPath.resolve(FILTERSMALL_FILE);
        return !Files.exists(inAnnotations) && Files.exists(beside) ? beside : inAnnotations;
    }

    /** Loads a split with the object file the mode needs (filtersmall for SGCLS/SGDET) and STTran's filters. */
    public AgSplit load(Mode mode, String split) {
        return load(split, mode.usesFilterSmall(), LoadOptions.DEFAULT);
    }

    /**
     * Loads one split.
     *
     * @param split {@code train} or {@code test}
     * @param filterSmall read the filtersmall object file (boxes with a short edge under 16 px removed)
     * @throws KitException naming the file, frame key and what was expected when the folder is malformed
     */
    public synchronized AgSplit load(String split, boolean filterSmall, LoadOptions options) {
        if (!"train".equals(split) && !"test".equals(split)) {
            throw new KitException("unknown split '" + split + "', expected 'train' or 'test'");
        }
        if (!classFilesChecked) {
            ClassFiles.check(annotationsDir(), AnnotationParser.THROW);
            classFilesChecked = true;
        }
        PersonTable people = persons();
        Map<String, FrameObjects> objects = objectTable(filterSmall);
        String objectName = objectFile(filterSmall).toString();

        // video id -> indices into the person table of its frames, in person-file order
        Map<String, List<Integer>> videoFrames = new LinkedHashMap<>();
        for (int i = 0; i < people.keys.length; i++) {
            String key = people.keys[i];
            FrameObjects fo = objects.get(key);
            if (fo == null) {
                throw new KitException(objectName + ", frame " + key + ": frame is in " + PERSON_FILE
                        + " but not in this object file, expected both files to hold the same frame keys");
            }
            if (!split.equals(fo.set()) || fo.visible().length == 0) {
                continue;
            }
            videoFrames.computeIfAbsent(key.substring(0, key.indexOf('/')), v -> new ArrayList<>()).add(i);
        }

        List<AgVideo> videos = new ArrayList<>();
        int frames = 0;
        int withoutPerson = 0;
        int oneFrame = 0;
        int otherDropped = 0;
        long objectCount = 0;
        long relationCount = 0;
        for (Map.Entry<String, List<Integer>> e : videoFrames.entrySet()) {
            List<AgFrame> kept = new ArrayList<>();
            for (int i : e.getValue()) {
                Box person = people.boxes[i];
                if (person == null) {
                    withoutPerson++;
                    continue;
                }
                frames++;
                kept.add(new AgFrame(people.keys[i], person, List.of(objects.get(people.keys[i]).visible())));
            }
            if (kept.size() >= options.minFramesPerVideo()) {
                // STTran takes the size from the last frame of the video's list, with or without a person
                int last = e.getValue().get(e.getValue().size() - 1);
                AgVideo video = new AgVideo(e.getKey(), kept, people.widths[last], people.heights[last]);
                videos.add(video);
                objectCount += video.objectCount();
                relationCount += video.relationCount();
            } else if (kept.size() == 1) {
                oneFrame++;
            } else {
                otherDropped++;
            }
        }
        LoaderCounts counts = new LoaderCounts(videos.size(), frames, withoutPerson, oneFrame, otherDropped,
                objectCount, relationCount);
        return new AgSplit(split, filterSmall, options, videos, counts);
    }

    /**
     * The counters of {@code train}, {@code train_filtersmall}, {@code test} and {@code test_filtersmall}, in that
     * order: what {@code m3sgg data stats} prints.
     */
    public Map<String, LoaderCounts> stats(LoadOptions options) {
        Map<String, LoaderCounts> out = new LinkedHashMap<>();
        for (String split : List.of("train", "test")) {
            for (boolean small : new boolean[] {false, true}) {
                AgSplit s = load(split, small, options);
                out.put(s.name(), s.counts());
            }
        }
        return out;
    }

    private PersonTable persons() {
        if (persons == null) {
            persons = PersonTable.read(personFile());
        }
        return persons;
    }

    private Map<String, FrameObjects> objectTable(boolean filterSmall) {
        Map<String, FrameObjects> table = objectTables.get(filterSmall);
        if (table == null) {
            Path file = objectFile(filterSmall);
            if (filterSmall && !Files.exists(file)) {
                throw new KitException("missing file " + file + " (also looked for " + dataPath.resolve(
                        FILTERSMALL_FILE) + "): SGCLS and SGDET need the filtersmall object file from STTran's"
                        + " release, see docs/DATA.md");
            }
            table = readObjects(file);
            objectTables.put(filterSmall, table);
        }
        return table;
    }

    private static Map<String, FrameObjects> readObjects(Path file) {
        String name = file.toString();
        Map<?, ?> raw = topDict(file);
        Map<String, FrameObjects> table = new HashMap<>(raw.size() * 4 / 3 + 1);
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            AnnotationParser.checkKey(name, e.getKey(), AnnotationParser.THROW);
            String key = (String) e.getKey();
            table.put(key, AnnotationParser.objects(name, key, e.getValue(), false, AnnotationParser.THROW));
        }
        return table;
    }

    static Map<?, ?> topDict(Path file) {
        Object raw = PickleIO.read(file);
        if (!(raw instanceof Map<?, ?> m)) {
            throw new KitException(file + ": the pickle holds " + AnnotationParser.describe(raw)
                    + ", expected a dict of frame key -> record");
        }
        return m;
    }

    /** {@code person_bbox.pkl} reduced to what the loader uses, in file order. */
    private static final class PersonTable {
        final String[] keys;
        final Box[] boxes; // null: no person detected
        final int[] widths;
        final int[] heights;

        private PersonTable(int n) {
            keys = new String[n];
            boxes = new Box[n];
            widths = new int[n];
            heights = new int[n];
        }

        static PersonTable read(Path file) {
            String name = file.toString();
            Map<?, ?> raw = topDict(file);
            PersonTable t = new PersonTable(raw.size());
            int i = 0;
            for (Map.Entry<?, ?> e : raw.entrySet()) {
                AnnotationParser.checkKey(name, e.getKey(), AnnotationParser.THROW);
                String key = (String) e.getKey();
                Person p = AnnotationParser.person(name, key, e.getValue(), false, AnnotationParser.THROW);
                t.keys[i] = key;
                t.boxes[i] = p.box();
                t.widths[i] = p.width();
                t.heights[i] = p.height();
                i++;
            }
            return t;
        }
    }
}
