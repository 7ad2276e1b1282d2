package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.sgdet.PooledHead;

/** The detections folder: reading what was written, and one named line for every kind of bad file. */
class DetectionFolderTest {

    static final DetectionsMeta META = new DetectionsMeta(DetectionsMeta.FORMAT, 4, 2, 16, DetectionsMeta.FLOAT16,
            false, "hand-made", null);
    static Map<String, NdArray> valid;

    @TempDir
    Path tmp;

    /** Two frames of a 64x48 video at scale 1.5 (blob 96x72 -> 6x5 cells... rounded up: 5 rows, 6 columns). */
    @BeforeAll
    static void build() {
        float[] maps = new float[2 * 2 * 5 * 6];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = (i % 7) * 0.25f - 0.5f;
        }
        float[] dist = new float[3 * 36];
        dist[0] = 1; // box 0: person
        dist[36 + 4] = 0.75f;
        dist[36 + 22] = 0.25f; // box 1: book, some paper
        dist[72 + 16] = 1; // box 2: food
        VideoDetections v = new VideoDetections("V.mp4", "built", META, new long[] {5, 17}, new float[] {1.5f, 1.5f},
                48, 64, new float[] {0, 1, 2, 30, 40, 0, 10.5f, 11, 20, 21, 1, 0, 0, 64, 48},
                new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, dist, new float[] {1, 0.75f, 1},
                new long[] {1, 5, 17}, maps, 5, 6);
        valid = v.arrays(META);
    }

    private Path folder(Map<String, NdArray> arrays, DetectionsMeta meta) {
        Path dir = tmp.resolve("det");
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        DetectionFolder.writeMeta(dir, meta);
        Npz.write(dir.resolve("V.mp4.npz"), arrays);
        return dir;
    }

    @Test
    void theBuilderGivesTheSameVideo() {
        float[] maps = valid.get("maps").floats();
        float[] feats = valid.get("features").floats();
        float[] dist = valid.get("distribution").floats();
        VideoDetections.Builder b = new VideoDetections.Builder(META, 48, 64, 5, 6)
                .frame(5, 1.5f, java.util.Arrays.copyOfRange(maps, 0, 60))
                .addBox(new float[] {1, 2, 30, 40}, java.util.Arrays.copyOfRange(feats, 0, 4),
                        java.util.Arrays.copyOfRange(dist, 0, 36), 1, 1)
                .addBox(new float[] {10.5f, 11, 20, 21}, java.util.Arrays.copyOfRange(feats, 4, 8),
                        java.util.Arrays.copyOfRange(dist, 36, 72), 0.75f, 5)
                .frame(17, 1.5f, java.util.Arrays.copyOfRange(maps, 60, 120))
                .addBox(new float[] {0, 0, 64, 48}, java.util.Arrays.copyOfRange(feats, 8, 12),
                        java.util.Arrays.copyOfRange(dist, 72, 108), 1, 17);
        assertEquals(valid, b.build("V.mp4").arrays(META));
        Path dir = folder(valid, META);
        b.write(dir, "W.mp4");
        assertEquals(valid, DetectionFolder.open(dir).video("W.mp4").arrays(META));
        // a bad value is refused when built, naming the video
        b.addBox(new float[] {5, 5, 1, 1}, new float[4], java.util.Arrays.copyOfRange(dist, 0, 36), 1, 1);
        KitException e = assertThrows(KitException.class, () -> b.build("X.mp4"));
        assertTrue(e.getMessage().contains("X.mp4") && e.getMessage().contains("inverted"), e.getMessage());
    }

    @Test
    void writtenThenReadGivesTheSameArrays() {
        DetectionFolder f = DetectionFolder.open(folder(valid, META));
        VideoDetections v = f.video("V.mp4");
        assertEquals(valid, v.arrays(META));
        assertEquals(3, v.boxCount());
        assertEquals(2, v.frameCount());
        assertEquals(0, v.firstBox(0));
        assertEquals(2, v.firstBox(1));
        assertEquals(3, v.firstBox(2));
        assertEquals(17, v.frameNumber(1));
        assertArrayEquals(new float[] {5, 6, 7, 8}, v.feature(1));
        assertEquals(5, v.maps().height());
        assertEquals(6, v.maps().width());
        assertEquals(1f / 16, v.maps().spatialScale());
        assertTrue(f.hasVideo("V.mp4"));
        assertNull(f.head());
        assertThrows(KitException.class, () -> f.video("W.mp4"));
    }

    private String refused(Consumer<Map<String, NdArray>> change) {
        Map<String, NdArray> a = new LinkedHashMap<>(valid);
        change.accept(a);
        Path dir = folder(a, META);
        KitException e = assertThrows(KitException.class, () -> DetectionFolder.open(dir).video("V.mp4"));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("V.mp4.npz"), e.getMessage());
        return e.getMessage();
    }

    private static NdArray boxes(int row, int col, float value) {
        float[] b = valid.get("boxes").floats().clone();
        b[row * 5 + col] = value;
        return NdArray.of(b, 3, 5);
    }

    private static NdArray dist(int row, int col, float value) {
        float[] d = valid.get("distribution").floats().clone();
        d[row * 36 + col] = value;
        return NdArray.of(d, 3, 36);
    }

    @Test
    void badBoxesAreNamedByRowAndFrame() {
        assertTrue(refused(a -> a.put("boxes", boxes(1, 1, Float.NaN))).contains("'boxes' row 1 (frame 5)"));
        assertTrue(refused(a -> a.put("boxes", boxes(1, 3, 5))).contains("inverted"));
        assertTrue(refused(a -> a.put("boxes", boxes(2, 3, 80))).contains("outside the 64x48 frame"));
        assertTrue(refused(a -> a.put("boxes", boxes(2, 0, 2))).contains("frame index 2.0: expected an integer 0..1"));
        assertTrue(refused(a -> a.put("boxes", boxes(2, 0, 0.5f))).contains("'boxes' row 2"));
        assertTrue(refused(a -> a.put("boxes", boxes(0, 0, 1))).contains("grouped by frame"));
    }

    @Test
    void boxesBeyondTheRightBottomEdgeReadWithReferenceBoxesOnly() throws Exception {
        // frame 17 is frame 1 of its chunk: the reference's detector leaves it unclipped
        float[] b = valid.get("boxes").floats().clone();
        b[2 * 5 + 3] = 80;
        b[2 * 5 + 4] = 60.5f;
        Map<String, NdArray> beyond = new LinkedHashMap<>(valid);
        beyond.put("boxes", NdArray.of(b, 3, 5));
        String m = refused(a -> a.putAll(beyond));
        assertTrue(m.contains("'boxes' row 2 (frame 17) is (0.0, 0.0, 80.0, 60.5): outside the 64x48 frame")
                && m.contains("\"boxes\": \"clipped\""), m);

        DetectionsMeta reference = new DetectionsMeta(DetectionsMeta.FORMAT, 4, 2, 16, DetectionsMeta.FLOAT16, false,
                "hand-made", DetectionsMeta.REFERENCE);
        assertTrue(reference.boxesBeyondEdge());
        Path dir = folder(beyond, reference);
        assertTrue(Files.readString(dir.resolve("meta.json")).contains("\"boxes\" : \"reference\""));
        DetectionFolder f = DetectionFolder.open(dir);
        assertEquals(DetectionsMeta.REFERENCE, f.meta().boxes());
        assertArrayEquals(new float[] {1, 0, 0, 80, 60.5f}, f.video("V.mp4").box(2));

        // still refused with reference boxes: beyond the left/top edge, inverted, not finite
        for (float[] bad : new float[][] {{-1.5f, 0, 80, 60}, {0, -3, 80, 60}, {81, 0, 80, 60}, {0, 0, Float.NaN, 60},
            {0, 0, Float.POSITIVE_INFINITY, 60}}) {
            float[] c = b.clone();
            System.arraycopy(bad, 0, c, 11, 4);
            Npz.write(dir.resolve("V.mp4.npz"), Map.of("frames", valid.get("frames"), "scales", valid.get("scales"),
                    "image_size", valid.get("image_size"), "boxes", NdArray.of(c, 3, 5), "features",
                    valid.get("features"), "distribution", valid.get("distribution"), "maps", valid.get("maps")));
            KitException e = assertThrows(KitException.class, () -> DetectionFolder.open(dir).video("V.mp4"));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().contains("'boxes' row 2 (frame 17)"), e.getMessage());
        }
    }

    @Test
    void theBoxesKeyOfMetaJson() throws Exception {
        // a folder written before the key existed reads as clipped
        Path dir = folder(valid, META);
        String text = Files.readString(dir.resolve("meta.json"));
        assertTrue(text.contains("\"boxes\" : \"clipped\""), text);
        Files.writeString(dir.resolve("meta.json"), text.replaceAll(",\\s*\"boxes\" : \"clipped\"", ""));
        assertTrue(!Files.readString(dir.resolve("meta.json")).contains("boxes"));
        DetectionFolder f = DetectionFolder.open(dir);
        assertEquals(DetectionsMeta.CLIPPED, f.meta().boxes());
        assertEquals(META, f.meta());
        assertEquals(valid, f.video("V.mp4").arrays(META));
        Files.writeString(dir.resolve("meta.json"), text.replace("\"clipped\"", "\"unclipped\""));
        KitException e = assertThrows(KitException.class, () -> DetectionFolder.open(dir));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("meta.json") && e.getMessage().contains("boxes must be 'clipped' or "
                + "'reference', got 'unclipped'"), e.getMessage());
    }

    @Test
    void badFramesScalesAndSizes() {
        assertTrue(refused(a -> a.put("frames", NdArray.of(new long[] {17, 5}, 2))).contains("not ascending"));
        assertTrue(refused(a -> a.put("frames", NdArray.of(new long[] {5, 5}, 2))).contains("not ascending"));
        assertTrue(refused(a -> a.put("scales", NdArray.of(new float[] {1.5f, 0}, 2))).contains("'scales' entry 1"));
        assertTrue(refused(a -> a.put("image_size", NdArray.of(new long[] {0, 64}, 2))).contains("image_size"));
        assertTrue(refused(a -> a.put("frames", NdArray.of(new float[] {5, 17}, 2))).contains("'frames' is <f4"));
    }

    @Test
    void badDistributionsAndFeatures() {
        assertTrue(refused(a -> a.put("distribution", dist(1, 4, 0.7f))).contains("'distribution' row 1 (frame 5) sums to"));
        assertTrue(refused(a -> a.put("distribution", dist(0, 3, -0.001f))).contains("for label 4"));
        // within the tolerance is fine
        Map<String, NdArray> ok = new LinkedHashMap<>(valid);
        ok.put("distribution", dist(1, 4, 0.7505f));
        DetectionFolder.open(folder(ok, META)).video("V.mp4");
        float[] f = valid.get("features").floats().clone();
        f[9] = Float.NaN;
        assertTrue(refused(a -> a.put("features", NdArray.of(f, 3, 4))).contains("'features' row 2 (frame 17) has NaN at column 1"));
        assertTrue(refused(a -> a.put("features", NdArray.of(new float[15], 3, 5))).contains("'features' has shape [3, 5]: expected [3, 4]"));
        assertTrue(refused(a -> a.put("labels", NdArray.of(new long[] {1, 0, 17}, 3))).contains("'labels' row 1"));
        assertTrue(refused(a -> a.put("scores", NdArray.of(new float[] {1, 2, 1}, 3))).contains("'scores' row 1"));
    }

    @Test
    void badMapsAndMissingArrays() {
        assertTrue(refused(a -> a.put("maps", NdArray.of(new float[2 * 2 * 30], 2, 2, 5, 6))).contains("expected float16"));
        assertTrue(refused(a -> a.put("maps", NdArray.half(new float[2 * 3 * 30], 2, 3, 5, 6))).contains("'maps' has shape [2, 3, 5, 6]"));
        assertTrue(refused(a -> a.put("maps", NdArray.half(new float[2 * 2 * 8 * 6], 2, 2, 8, 6))).contains("expected 5x6 (+-1)"));
        float[] m = new float[2 * 2 * 30];
        m[70] = Float.POSITIVE_INFINITY;
        assertTrue(refused(a -> a.put("maps", NdArray.half(m, 2, 2, 5, 6))).contains("in frame 17, channel 0"));
        for (String name : new String[] {"frames", "scales", "image_size", "boxes", "features", "distribution", "maps"}) {
            assertTrue(refused(a -> a.remove(name)).contains("missing array '" + name + "'"), name);
        }
    }

    @Test
    void metaAndHead() throws Exception {
        Path dir = folder(valid, META);
        Files.writeString(dir.resolve("meta.json"), Files.readString(dir.resolve("meta.json"))
                .replace("\"float16\"", "\"int8\""));
        KitException e = assertThrows(KitException.class, () -> DetectionFolder.open(dir));
        assertTrue(e.getMessage().contains("meta.json") && e.getMessage().contains("map_dtype"), e.getMessage());
        DetectionsMeta withHead = new DetectionsMeta(DetectionsMeta.FORMAT, 4, 2, 16, DetectionsMeta.FLOAT16, true, "", null);
        Path dir2 = folder(valid, withHead);
        e = assertThrows(KitException.class, () -> DetectionFolder.open(dir2));
        assertTrue(e.getMessage().contains("head.npz"), e.getMessage());
        float[] top = {1, 0, -1, 0, 0, 1, 0, -1};
        float[] w = new float[37 * 4];
        w[4 * 5] = 2;
        DetectionFolder.writeHead(dir2, 2, 4, top, 2, w, new float[37]);
        PooledHead head = (PooledHead) DetectionFolder.open(dir2).head();
        assertEquals(4, head.featureDim());
        assertEquals(2f, head.classLogits(new float[] {1, 0, 0, 0})[5]);
        DetectionFolder.writeHead(dir2, 2, 4, new float[8], 9, w, new float[37]);
        e = assertThrows(KitException.class, () -> DetectionFolder.open(dir2));
        assertTrue(e.getMessage().contains("'top_stride' is 9"), e.getMessage());
        DetectionFolder.writeHead(dir2, 3, 4, new float[12], 1, w, new float[37]);
        e = assertThrows(KitException.class, () -> DetectionFolder.open(dir2));
        assertTrue(e.getMessage().contains("'top' is <f4 of shape [4, 3, 1, 1]"), e.getMessage());
    }
}
