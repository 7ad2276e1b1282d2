package org.m3sgg.report;

import org.m3sgg.api.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.Box;

class FrameViewerTest {

    /** A prediction for {@link Samples#frame}: person, cup (slightly off), a wrong "laptop" box. */
    static PredictedGraph prediction() {
        List<Box> boxes = List.of(new Box(198, 42, 362, 338), new Box(332, 152, 392, 224),
                new Box(420, 60, 520, 140));
        int[] labels = {1, 11, 19};
        double[] scores = {1, 1, 1};
        List<PredictedGraph.Edge> edges = List.of(
                new PredictedGraph.Edge(0, 1, 0, 0.9),     // looking_at cup: matches
                new PredictedGraph.Edge(0, 1, 9 + 5, 0.8), // holding cup: matches
                new PredictedGraph.Edge(1, 0, 3 + 2, 0.7), // cup in_front_of person: matches (spatial direction)
                new PredictedGraph.Edge(0, 2, 9 + 12, 0.6), // touching laptop: no laptop in the truth
                new PredictedGraph.Edge(0, 1, 9 + 0, 0.05)); // carrying cup: below top 4
        return new PredictedGraph(boxes, labels, scores, edges);
    }

    @Test
    void groundTruthGraphUsesTheEvaluatorsDirections() {
        PredictedGraph gt = PredictedGraph.groundTruth(Samples.frame("v.mp4/000001.png"));
        assertEquals(3, gt.size());
        assertEquals(1, gt.label(0));
        assertEquals(7, gt.edges().size());
        assertTrue(gt.edges().contains(new PredictedGraph.Edge(0, 1, 0, 1)));
        assertTrue(gt.edges().contains(new PredictedGraph.Edge(1, 0, 5, 1)), "spatial: object -> person");
        assertTrue(gt.edges().contains(new PredictedGraph.Edge(0, 2, 9 + 12, 1)));
    }

    @Test
    void topKRanksByTripletScoreAndMatchingUsesIou() {
        PredictedGraph p = prediction();
        PredictedGraph top = p.topK(4);
        assertEquals(4, top.edges().size());
        assertEquals(0.9, top.edges().get(0).score());
        assertFalse(top.edges().stream().anyMatch(e -> e.predicate() == 9));
        PredictedGraph gt = PredictedGraph.groundTruth(Samples.frame("v.mp4/000001.png"));
        assertTrue(top.matches(top.edges().get(0), gt));
        assertTrue(top.matches(top.edges().get(2), gt));
        assertFalse(top.matches(top.edges().get(3), gt));
        // +1 convention: (0,0,9,9) is 10x10 pixels, and boxes sharing a corner pixel overlap by one pixel
        assertEquals(1.0, PredictedGraph.iou(new Box(0, 0, 9, 9), new Box(0, 0, 9, 9)), 0);
        assertEquals(1.0 / 199, PredictedGraph.iou(new Box(0, 0, 9, 9), new Box(9, 9, 18, 18)), 1e-15);
        assertEquals(0.0, PredictedGraph.iou(new Box(0, 0, 9, 9), new Box(10, 0, 19, 9)), 0);
        // a shifted cup fails IoU 0.5 and so does not match
        PredictedGraph far = new PredictedGraph(List.of(p.boxes().get(0), new Box(360, 190, 420, 260)),
                new int[] {1, 11}, new double[] {1, 1}, List.of(new PredictedGraph.Edge(0, 1, 0, 0.9)));
        assertFalse(far.matches(far.edges().get(0), gt));
    }

    @Test
    void badGraphsAreRejected() {
        assertThrows(KitException.class, () -> new PredictedGraph(List.of(new Box(0, 0, 1, 1)), new int[] {1, 2},
                new double[] {1}, List.of()));
        assertThrows(KitException.class, () -> new PredictedGraph(List.of(new Box(0, 0, 1, 1)), new int[] {1},
                new double[] {1}, List.of(new PredictedGraph.Edge(0, 1, 0, 1))));
        assertThrows(KitException.class, () -> new PredictedGraph(List.of(new Box(0, 0, 1, 1)), new int[] {1},
                new double[] {1}, List.of(new PredictedGraph.Edge(0, 0, 26, 1))));
    }

    @Test
    void viewerDrawsBoxesGraphAndMatchColoursOnABlankCanvas() throws Exception {
        AgFrame frame = Samples.frame("TEST1.mp4/000020.png");
        FrameViewer.Options o = new FrameViewer.Options(520, 4);
        BufferedImage img = FrameViewer.compare(frame, 640, 360, prediction(), null, o);
        Path png = AtomicFiles.writePng(Samples.outDir().resolve("frame-viewer.png"), img);
        assertTrue(Files.size(png) > 15_000);
        // two rows of a 520-wide frame (640x360 scaled by 520/640 -> 293 high) plus titles
        assertTrue(img.getHeight() > 2 * 293 && img.getHeight() < 2 * 293 + 120, "height " + img.getHeight());
        assertTrue(img.getWidth() > 520 + 300);
        // the person's box outline: left edge at x = 200 * 520/640 = 162.5, in the ground-truth row
        int titleH = img.getHeight() / 2 - 293;   // rough: rows are equal apart from their titles
        int y = titleH + (int) Math.round(190 * 520 / 640.0);
        boolean personEdge = false;
        for (int x = 160; x <= 165; x++) {
            personEdge |= (img.getRGB(x, y) & 0xFFFFFF) == (FrameViewer.PERSON_COLOR.getRGB() & 0xFFFFFF);
        }
        assertTrue(personEdge, "person box edge drawn near x=162");
        // the prediction row colours its predicates: three matches, one miss
        BufferedImage predRow = img.getSubimage(0, img.getHeight() / 2, img.getWidth(), img.getHeight() / 2);
        assertTrue(Samples.countColor(predRow, FrameViewer.MATCH) > 100);
        assertTrue(Samples.countColor(predRow, FrameViewer.MISS) > 30);
        // the truth row marks recall: 3 of its 7 triplets are recalled by the top 4 (green), 4 are missed (red)
        BufferedImage gtRow = img.getSubimage(0, 0, img.getWidth(), img.getHeight() / 2);
        assertTrue(Samples.countColor(gtRow, FrameViewer.MATCH) > 100);
        assertTrue(Samples.countColor(gtRow, FrameViewer.MISS) > 100);
        // each object its own colour: the cup and the table differ, and the predicted cup takes the true cup's
        PredictedGraph truth = PredictedGraph.groundTruth(frame);
        Color[] tc = FrameViewer.objectColors(truth, null);
        Color[] pc = FrameViewer.objectColors(prediction(), truth);
        assertEquals(FrameViewer.PERSON_COLOR, tc[0]);
        assertFalse(tc[1].equals(tc[2]), "cup and table");
        assertEquals(tc[1], pc[1], "the predicted cup overlaps the true cup: same colour");
        assertFalse(pc[2].equals(tc[1]) || pc[2].equals(tc[2]), "the unmatched laptop has a colour of its own");
        assertTrue(Samples.countColor(gtRow, tc[2]) > 500, "the table's colour on its box and node");
        BufferedImage truthOnly = FrameViewer.compare(frame, 640, 360, null, null, o);
        assertEquals(0, Samples.countColor(truthOnly, FrameViewer.MISS), "without a prediction nothing is red");
    }

    @Test
    void twoObjectsOfOneClassGetTwoColoursAndTagsDoNotOverlap() {
        // two cups side by side at the same height, and a third box at the same corner: their tags compete
        Box person = new Box(10, 100, 200, 350);
        AgFrame crowded = new AgFrame("V.mp4/000001.png", person, List.of(
                new org.m3sgg.data.AgObject(11, new Box(300, 100, 340, 150), new int[] {0}, new int[] {2},
                        new int[] {5}),
                new org.m3sgg.data.AgObject(11, new Box(302, 102, 360, 160), new int[] {1}, new int[] {2},
                        new int[] {5}),
                new org.m3sgg.data.AgObject(32, new Box(298, 98, 500, 300), new int[] {1}, new int[] {1},
                        new int[] {8})));
        PredictedGraph g = PredictedGraph.groundTruth(crowded);
        Color[] c = FrameViewer.objectColors(g, null);
        assertFalse(c[1].equals(c[2]), "two cups, two colours");
        List<java.awt.Rectangle> placed = new java.util.ArrayList<>();
        for (int i = 0; i < g.size(); i++) {
            placed.add(FrameViewer.placeTag(g.boxes().get(i), 520 / 640.0, 60, 16, 520, 293, placed));
        }
        for (int i = 0; i < placed.size(); i++) {
            for (int j = i + 1; j < placed.size(); j++) {
                assertFalse(placed.get(i).intersects(placed.get(j)), "tags " + i + " and " + j + ": " + placed);
            }
            assertTrue(placed.get(i).y >= 0 && placed.get(i).y + 16 <= 293, "inside the panel");
        }
        AtomicFiles.writePng(Samples.outDir().resolve("frame-viewer-crowded.png"),
                FrameViewer.compare(crowded, 640, 360, null, null, FrameViewer.Options.defaults()));
    }

    @Test
    void viewerDrawsOnAGivenImage(@TempDir Path dir) throws Exception {
        BufferedImage photo = new BufferedImage(320, 180, BufferedImage.TYPE_INT_RGB);
        var g = photo.createGraphics();
        g.setColor(new Color(10, 200, 30));
        g.fillRect(0, 0, 320, 180);
        g.dispose();
        Path file = AtomicFiles.writePng(dir.resolve("frame.png"), photo);
        AgFrame frame = Samples.frame("TEST1.mp4/000020.png");
        // boxes are in 640x360 pixels and the image is a 320x180 copy: it is stretched under the boxes
        BufferedImage img = FrameViewer.compare(frame, 640, 360, null, file, FrameViewer.Options.defaults());
        AtomicFiles.writePng(Samples.outDir().resolve("frame-viewer-image.png"), img);
        assertEquals(FrameViewer.compare(frame, 640, 360, null, null, FrameViewer.Options.defaults()).getHeight(),
                img.getHeight(), "same layout as the blank canvas of the annotation size");
        BufferedImage own = FrameViewer.compare(frame, 0, 0, null, file, FrameViewer.Options.defaults());
        assertEquals(img.getHeight(), own.getHeight(), "same aspect ratio, same panel height");
        // background pixels of the photo survive (bottom-right corner of the frame panel, left of the note text)
        int bg = img.getRGB(5, img.getHeight() - 30) & 0xFFFFFF;
        assertEquals(new Color(10, 200, 30).getRGB() & 0xFFFFFF, bg);

        KitException missing = assertThrows(KitException.class,
                () -> FrameViewer.compare(frame, 640, 360, null, dir.resolve("nope.png"), FrameViewer.Options.defaults()));
        assertTrue(missing.getMessage().contains("TEST1.mp4/000020.png") && missing.getMessage().contains("nope.png"));
        Path notImage = dir.resolve("x.png");
        Files.writeString(notImage, "not a png");
        assertThrows(KitException.class,
                () -> FrameViewer.compare(frame, 640, 360, null, notImage, FrameViewer.Options.defaults()));
    }

    @Test
    void videoEntryPointChecksTheIndex() {
        assertThrows(KitException.class, () -> FrameViewer.compare(Samples.video(), 4, null));
        BufferedImage img = FrameViewer.compare(Samples.video(), 0, null);
        assertTrue(img.getWidth() > 520);
    }

    @Test
    void timelineMarksGroundTruthPredictionAndBoth() throws Exception {
        var video = Samples.video();
        // predict "holding cup" everywhere and "touching table" nowhere
        Map<String, PredictedGraph> preds = new java.util.HashMap<>();
        for (AgFrame f : video.frames()) {
            preds.put(f.key(), new PredictedGraph(List.of(f.personBox(), new Box(330, 150, 390, 220)),
                    new int[] {1, 11}, new double[] {1, 1},
                    List.of(new PredictedGraph.Edge(0, 1, 9 + 5, 0.9))));
        }
        int[] counts = Timeline.cellCounts(video, preds, 10);
        // holding cup: gt in frames 2-4 -> 3 both, 1 prediction-only (frame 1)
        assertEquals(3, counts[2]);
        assertEquals(1, counts[1]);
        // every other ground-truth cell is gt-only: 6 (object, predicate) kinds in frames 1-3, 3 in frame 4
        assertEquals(6 + 6 + 6 + 3 - 3, counts[0]);
        BufferedImage img = Timeline.render(video, preds, 10);
        AtomicFiles.writePng(Samples.outDir().resolve("timeline.png"), img);
        assertTrue(Samples.countColor(img, Timeline.BOTH) > 3 * 100);
        assertTrue(Samples.countColor(img, Timeline.PRED_ONLY) > 100);
        assertTrue(Samples.countColor(img, Timeline.GT_ONLY) > 15 * 100);
        BufferedImage gtOnly = Timeline.render(video);
        assertEquals(0, Samples.countColor(gtOnly, Timeline.BOTH));
        // rows grouped by relation type: a heading, then that type's rows, attention before spatial before contacting
        List<Integer> rows = Timeline.rowOrder(video, preds, 10);
        assertEquals(-1, rows.get(0), "attention heading first");
        int lastGroup = -1;
        for (int key : rows) {
            int group = key < 0 ? -1 - key : Timeline.group(key).ordinal();
            assertTrue(group >= lastGroup, "groups in order: " + rows);
            lastGroup = group;
        }
        assertEquals(3, rows.stream().filter(k -> k < 0).count(), "three headings");
        assertEquals("contacting relations", Timeline.groupLabel(-3));
    }

    @Test
    void animatedPreviewHasOneLoopingGifFramePerVideoFrame(@TempDir Path dir) throws Exception {
        var video = Samples.video();
        Map<String, PredictedGraph> preds = new java.util.HashMap<>();
        preds.put(video.frames().get(1).key(), prediction());
        Animation a = Animation.of(video, preds, 4, 200, 500);
        assertEquals(4, a.frames());
        Path gif = a.write(dir.resolve("preview.gif"));
        a.write(Samples.outDir().resolve("preview.gif"));
        var reader = javax.imageio.ImageIO.getImageReadersByFormatName("gif").next();
        try (var in = javax.imageio.ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertEquals(4, reader.getNumImages(true), "one GIF frame per video frame");
            var meta = reader.getImageMetadata(0);
            var root = (javax.imageio.metadata.IIOMetadataNode) meta.getAsTree(meta.getNativeMetadataFormatName());
            var gce = (javax.imageio.metadata.IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension")
                    .item(0);
            assertEquals("50", gce.getAttribute("delayTime"), "0.5 s in hundredths");
            var app = (javax.imageio.metadata.IIOMetadataNode) root.getElementsByTagName("ApplicationExtension")
                    .item(0);
            assertEquals("NETSCAPE", app.getAttribute("applicationID"), "loops");
            BufferedImage second = reader.read(1);
            assertEquals(a.width(), second.getWidth());
        } finally {
            reader.dispose();
        }
        assertTrue(a.mimeBundle().get("text/html").startsWith("<img alt=\"scene graphs of TEST1.mp4\" src=\"data:image/gif;base64,"));
        assertTrue(a.mimeBundle().get("text/plain").startsWith("animation 'scene graphs of TEST1.mp4', 4 frames"));
        assertThrows(KitException.class, () -> Animation.of(video, preds, 4, 200, 5));
    }
}
