package org.m3sgg.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

/** {@code graphs.json}: what it accepts and the one-line refusals of what breaks its schema. */
public class GraphsFileTest {

    @TempDir
    Path tmp;

    /** A small valid file: two frames, a person, a cup, one pair and two triplets on the first. */
    public static GraphsFile sample() {
        double[] att = {0.7, 0.2, 0.1};
        double[] spa = {0.1, 0.2, 0.9, 0.1, 0.3, 0.05};
        double[] con = new double[17];
        con[5] = 0.8;
        SceneGraph f0 = new SceneGraph(0, "frame-000000",
                List.of(new SceneGraph.Node(0, 1, "person", 0.9, new double[] {1, 2, 50, 90}),
                        new SceneGraph.Node(1, 11, "cup/glass/bottle", 0.6, new double[] {40, 50, 60, 70})),
                List.of(new SceneGraph.Pair(0, 1, att, spa, con)),
                List.of(new SceneGraph.Triplet(1, "in_front_of", 0, 5, "spatial", 0.9, 0.9 * 0.9 * 0.6),
                        new SceneGraph.Triplet(0, "holding", 1, 14, "contacting", 0.8, 0.8 * 0.9 * 0.6)));
        SceneGraph f1 = new SceneGraph(2, "frame-000002", List.of(), List.of(), List.of());
        return new GraphsFile(GraphsFile.FORMAT, "video clip.mp4", "faster_rcnn_ag.pth", "run/ckpt", "sttran", 2, 0,
                5, 30, 600, 160, 96, List.of(f0, f1));
    }

    @Test
    void aWrittenFileReadsBackEqual() {
        Path f = sample().write(tmp.resolve("graphs.json"));
        GraphsFile back = GraphsFile.read(f);
        assertEquals(sample().frames().get(0).triplets(), back.frames().get(0).triplets());
        assertEquals(2, back.every());
        assertEquals(List.of(0, 2), back.frames().stream().map(SceneGraph::index).toList());
    }

    @Test
    void aGraphReadsAsOneLine() {
        assertEquals("frame 0 (frame-000000): 2 objects, 1 pairs, 2 triplets: cup/glass/bottle in_front_of person "
                + "0.90; person holding cup/glass/bottle 0.80", sample().frames().get(0).toString());
    }

    @Test
    void schemaBreaksAreOneLineNamingFileAndFrame() throws Exception {
        String text = Files.readString(sample().write(tmp.resolve("graphs.json")));
        assertRefused(text.replace("\"score\" : 0.9,", "\"score\" : 1.5,"), "frame 0", "outside [0, 1]");
        assertRefused(text.replace("\"type\" : \"spatial\"", "\"type\" : \"contacting\""), "frame 0",
                "expected 'spatial'");
        assertRefused(text.replace("\"predicate_id\" : 14", "\"predicate_id\" : 13"), "frame 0", "holding");
        assertRefused(text.replace("\"index\" : 2", "\"index\" : 0"), "frame 0", "ascending");
        assertRefused(text.replace("\"top_k\" : 5", "\"top_k\" : 1"), "frame 0", "more than top_k 1");
        assertRefused(text.replace("\"name\" : \"person\"", "\"name\" : \"dog\""), "frame 0", "'dog'");
    }

    private void assertRefused(String text, String... words) throws Exception {
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, text);
        KitException e = assertThrows(KitException.class, () -> GraphsFile.read(f));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), e.getMessage() + " should name " + w);
        }
    }
}
