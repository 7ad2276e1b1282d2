package org.m3sgg.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.pickle.NumpyArray;

/** The loader's semantics on small hand-made folders, and its errors on malformed ones. */
class ActionGenomeTest {

    @TempDir
    Path dir;

    @Test
    void convertsBoxesAndPredicatesAndDropsTwoFrameVideos() {
        AgFolders.write(dir);
        ActionGenome ag = ActionGenome.open(dir);
        AgSplit train = ag.load(Mode.PREDCLS, "train");
        assertEquals(List.of("AAAAA.mp4"), train.videos().stream().map(AgVideo::id).toList());
        AgVideo v = train.videos().get(0);
        assertEquals(480, v.width());
        assertEquals(270, v.height());
        AgFrame f = v.frames().get(0);
        assertEquals("AAAAA.mp4/000010.png", f.key());
        assertEquals(new Box(10, 20, 110, 220), f.personBox());
        AgObject table = f.objects().get(0);
        assertEquals(Vocabulary.OBJECT_CLASSES.indexOf("table"), table.label());
        assertEquals(new Box(50, 60, 150, 100), table.box()); // xywh -> xyxy, no -1
        assertArrayEquals(new int[] {0}, table.attention());
        assertArrayEquals(new int[] {2}, table.spatial()); // in_front_of is spatial 2 (global 5)
        assertArrayEquals(new int[] {12}, table.contacting()); // touching is contacting 12 (global 21)
        AgObject cup = f.objects().get(1);
        assertEquals(11, cup.label());
        assertArrayEquals(new int[] {2}, cup.attention());
        assertArrayEquals(new int[] {0, 3}, cup.spatial());
        assertEquals(new LoaderCounts(1, 6, 0, 0, 1, 8, 24), train.counts());

        AgSplit keep = ag.load("train", false, new LoadOptions(true));
        assertEquals(List.of("AAAAA.mp4", "CCCCC.mp4"), keep.videos().stream().map(AgVideo::id).toList());
        assertEquals(new LoaderCounts(2, 6, 0, 0, 0, 12, 36), keep.counts());
        assertEquals(6, keep.frameCount());

        AgSplit test = ag.load(Mode.SGDET, "test");
        assertEquals(List.of("BBBBB.mp4"), test.videos().stream().map(AgVideo::id).toList());
        assertEquals("test_filtersmall", test.name());
    }

    @Test
    void filtersmallDropsShortBoxesAndFramesLeftWithoutVisibleObjects() {
        List<RawAnnotations.Frame> frames = new ArrayList<>();
        for (int f = 1; f <= 3; f++) {
            // frame 2: both boxes are small -> the filtersmall file keeps the first object, invisible
            double edge = f == 2 ? 10 : 40;
            frames.add(new RawAnnotations.Frame(String.format("VVVVV.mp4/%06d.png", f), new Box(0, 0, 9, 9), 1,
                    480, 270, List.of(
                            AgFolders.visible("bag", 1, 1, edge, 50, "train", List.of("unsure"), List.of(),
                                    List.of("holding")),
                            AgFolders.visible("book", 1, 1, 50, f == 2 ? 12 : 15, "train", List.of("unsure"),
                                    List.of(), List.of()))));
        }
        AnnotationWriter.write(dir, frames);
        ActionGenome ag = ActionGenome.open(dir);
        AgSplit full = ag.load(Mode.PREDCLS, "train");
        assertEquals(new LoaderCounts(1, 3, 0, 0, 0, 6, 9), full.counts());
        AgSplit small = ag.load(Mode.SGCLS, "train");
        // frames 1 and 3 keep only the bag; frame 2 has no visible object left, so only 2 frames: dropped
        assertEquals(new LoaderCounts(0, 2, 0, 0, 1, 0, 0), small.counts());
        assertEquals(1, ag.load("train", true, new LoadOptions(true)).videos().size());
    }

    @Test
    void splitComesFromTheFirstObjectAndPersonlessFramesAreCounted() {
        List<RawAnnotations.Frame> frames = new ArrayList<>();
        for (int f = 1; f <= 5; f++) {
            Box person = f == 3 ? null : new Box(0, 0, 9, 9);
            // the first object says test on frame 5: STTran puts that frame in the test split
            String first = f == 5 ? "test" : "train";
            frames.add(new RawAnnotations.Frame(String.format("VVVVV.mp4/%06d.png", f), person, 1, 480, 270,
                    List.of(AgFolders.invisible("bag", first), AgFolders.visible("book", 1, 1, 50, 50, "train",
                            List.of("unsure"), List.of(), List.of()))));
        }
        AnnotationWriter.write(dir, frames);
        ActionGenome ag = ActionGenome.open(dir);
        AgSplit train = ag.load(Mode.PREDCLS, "train");
        assertEquals(new LoaderCounts(1, 3, 1, 0, 0, 3, 3), train.counts());
        assertEquals(List.of(1, 2, 4), train.videos().get(0).frames().stream().map(AgFrame::frameNumber).toList());
        assertEquals(new LoaderCounts(0, 1, 0, 1, 0, 0, 0), ag.load(Mode.PREDCLS, "test").counts());
    }

    @Test
    void readsEachPickleOncePerInstance() throws Exception {
        AgFolders.write(dir);
        ActionGenome ag = ActionGenome.open(dir);
        AgSplit train = ag.load(Mode.PREDCLS, "train");
        // once converted, the files are not read again: deleting them does not matter to this instance
        Files.delete(AgFolders.file(dir, ActionGenome.PERSON_FILE));
        Files.delete(AgFolders.file(dir, ActionGenome.OBJECT_FILE));
        AgSplit test = ag.load(Mode.PREDCLS, "test");
        assertEquals(1, test.videos().size());
        // records are shared, not copied, between loads of the same file
        assertSame(train.videos().get(0).frames().get(0).objects().get(0),
                ag.load(Mode.PREDCLS, "train").videos().get(0).frames().get(0).objects().get(0));
        KitException e = assertThrows(KitException.class, () -> ActionGenome.open(dir).load(Mode.PREDCLS, "test"));
        assertTrue(e.getMessage().contains(ActionGenome.PERSON_FILE) && e.getMessage().contains("missing"),
                e.getMessage());
    }

    @Test
    void findsTheFiltersmallFileBesideTheAnnotations() throws Exception {
        AgFolders.write(dir);
        Files.move(AgFolders.file(dir, ActionGenome.FILTERSMALL_FILE), dir.resolve(ActionGenome.FILTERSMALL_FILE));
        ActionGenome ag = ActionGenome.open(dir);
        assertEquals(dir.resolve(ActionGenome.FILTERSMALL_FILE), ag.objectFile(true));
        assertEquals(1, ag.load(Mode.SGCLS, "train").videos().size());
        assertTrue(DatasetValidator.validate(dir).ok());
    }

    @Test
    void rejectsAnUnknownSplit() {
        AgFolders.write(dir);
        KitException e = assertThrows(KitException.class,
                () -> ActionGenome.open(dir).load("val", false, LoadOptions.DEFAULT));
        assertTrue(e.getMessage().contains("'val'"));
    }

    // --- malformed input: one KitException naming the file, the frame and what was expected ---

    private KitException loadFails() {
        return assertThrows(KitException.class, () -> ActionGenome.open(dir).load(Mode.PREDCLS, "train"));
    }

    private static void assertMentions(KitException e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void unknownObjectClassNamesFileFrameAndChoices() {
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE),
                m -> AgFolders.object(m, "AAAAA.mp4/000020.png", 1).put("class", "spaceship"));
        assertMentions(loadFails(), ActionGenome.OBJECT_FILE, "AAAAA.mp4/000020.png", "object 1", "'spaceship'",
                "expected one of");
    }

    @Test
    void unknownPredicate() {
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE),
                m -> AgFolders.object(m, "AAAAA.mp4/000010.png", 0).put("spatial_relationship", List.of("inside")));
        assertMentions(loadFails(), "AAAAA.mp4/000010.png", "unknown spatial predicate 'inside'", "in_front_of");
    }

    @Test
    void visibleObjectWithoutBox() {
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE),
                m -> AgFolders.object(m, "AAAAA.mp4/000010.png", 0).put("bbox", null));
        assertMentions(loadFails(), "AAAAA.mp4/000010.png", "visible but has no 'bbox'");
    }

    @Test
    void nanAndInvertedBoxes() {
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE),
                m -> AgFolders.object(m, "AAAAA.mp4/000030.png", 0).put("bbox", new Object[] {1.0, 2.0, -5.0, 3.0}));
        assertMentions(loadFails(), "AAAAA.mp4/000030.png", "inverted", "x2 >= x1");
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.PERSON_FILE),
                m -> AgFolders.person(m, "AAAAA.mp4/000010.png").put("bbox",
                        NumpyArray.ofFloats(new float[] {Float.NaN, 1, 2, 3}, 1, 4)));
        assertMentions(loadFails(), ActionGenome.PERSON_FILE, "AAAAA.mp4/000010.png", "person box", "NaN");
    }

    @Test
    void wrongValueTypes() {
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE),
                m -> AgFolders.object(m, "AAAAA.mp4/000010.png", 0).put("visible", "yes"));
        assertMentions(loadFails(), "AAAAA.mp4/000010.png", "'visible' is 'yes'", "expected True or False");
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.PERSON_FILE),
                m -> AgFolders.person(m, "AAAAA.mp4/000010.png").put("bbox", List.of(1.0, 2.0, 3.0, 4.0)));
        assertMentions(loadFails(), "AAAAA.mp4/000010.png", "person 'bbox' is a list", "(0,4) or (1,4)");
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE), m -> m.put("AAAAA.mp4/000010.png", 5));
        assertMentions(loadFails(), "AAAAA.mp4/000010.png", "object list is int 5", "a list of object dicts");
    }

    @Test
    void badKeyAndMissingObjectFrame() {
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.PERSON_FILE),
                m -> m.put("AAAAA/12.png", m.remove("AAAAA.mp4/000010.png")));
        assertMentions(loadFails(), ActionGenome.PERSON_FILE, "AAAAA/12.png", "VID.mp4/NNNNNN.png");
        AgFolders.write(dir);
        AgFolders.editPickle(AgFolders.file(dir, ActionGenome.OBJECT_FILE), m -> m.remove("AAAAA.mp4/000020.png"));
        assertMentions(loadFails(), ActionGenome.OBJECT_FILE, "AAAAA.mp4/000020.png", "not in this object file");
    }

    @Test
    void truncatedAndGarbagePickles() throws Exception {
        AgFolders.write(dir);
        Path obj = AgFolders.file(dir, ActionGenome.OBJECT_FILE);
        byte[] bytes = Files.readAllBytes(obj);
        Files.write(obj, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertMentions(loadFails(), ActionGenome.OBJECT_FILE, "truncated");
        Files.write(obj, "this is not a pickle at all".getBytes());
        assertMentions(loadFails(), ActionGenome.OBJECT_FILE, "unreadable pickle");
    }

    @Test
    void classFileLineThatIsNotTheVocabulary() throws Exception {
        AgFolders.write(dir);
        // trailing spaces are fine (a released copy has one)
        AgFolders.editText(AgFolders.file(dir, "object_classes.txt"), s -> s.replace("closetcabinet\n",
                "closetcabinet  \n"));
        ActionGenome.open(dir).load(Mode.PREDCLS, "train");
        AgFolders.editText(AgFolders.file(dir, "relationship_classes.txt"), s -> s.replace("infrontof\n",
                "in front of\n"));
        assertMentions(loadFails(), "relationship_classes.txt", "line 6", "'in front of'", "expected 'infrontof'");
        AgFolders.write(dir);
        AgFolders.editText(AgFolders.file(dir, "object_classes.txt"), s -> s.replace("window\n", ""));
        assertMentions(loadFails(), "object_classes.txt", "has 35 names, expected 36");
    }
}
