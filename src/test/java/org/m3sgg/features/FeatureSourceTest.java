package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

class FeatureSourceTest {

    @TempDir
    Path tmp;

    private static final FeatureMeta META = new FeatureMeta(FeatureMeta.FORMAT, 4, 2, 3, true,
            FeatureMeta.PERSON_OBJECT, "unit test");

    private static float[] fill(int n, float base) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = base + i;
        }
        return v;
    }

    private Path writeVideo() {
        VideoFeatures.Builder b = new VideoFeatures.Builder(META);
        b.addBox(89, 1, fill(4, 100), fill(36, 0));
        b.addBox(89, 8, fill(4, 200), fill(36, 1));
        b.addBox(93, 1, fill(4, 300), fill(36, 2));
        b.addUnion(89, 8, 1, fill(18, 1000)); // given in (object, person) order: stored as (1, 8)
        FeatureSource.writeMeta(tmp, META);
        return b.write(tmp, "001YG.mp4", META);
    }

    @Test
    void writesAndLooksUpByFrameAndLabel() {
        Path file = writeVideo();
        assertEquals("001YG.mp4.npz", file.getFileName().toString());
        FeatureSource src = FeatureSource.open(tmp);
        assertEquals(META, src.meta());
        VideoFeatures v = src.video("001YG.mp4");
        assertSame(v, src.video("001YG.mp4"), "a video is read once");
        assertEquals(3, v.boxCount());
        assertEquals(1, v.unionCount());
        assertArrayEquals(fill(4, 200), v.feature(89, 8));
        assertArrayEquals(fill(36, 2), v.distribution(93, 1));
        assertArrayEquals(fill(18, 1000), v.union(89, 1, 8));
        assertArrayEquals(fill(18, 1000), v.union(89, 8, 1));
        assertTrue(v.hasBox(93, 1));
        assertFalse(v.hasBox(93, 8));
        assertTrue(v.hasUnion(89, 8, 1));
        float[] many = v.features(new int[] {93, 89}, new int[] {1, 1});
        assertArrayEquals(fill(4, 300), java.util.Arrays.copyOfRange(many, 0, 4));
        assertArrayEquals(fill(4, 100), java.util.Arrays.copyOfRange(many, 4, 8));
        Map<String, NdArray> raw = Npz.read(file);
        assertArrayEquals(new long[] {89, 1, 8}, raw.get("union_index").longs());
        assertArrayEquals(new int[] {1, 2, 3, 3}, raw.get("union_feat").shape());
    }

    @Test
    void missesNameFileVideoFrameAndLabels() {
        writeVideo();
        VideoFeatures v = FeatureSource.open(tmp).video("001YG.mp4");
        KitException box = assertThrows(KitException.class, () -> v.feature(93, 8));
        assertTrue(box.getMessage().contains("001YG.mp4.npz") && box.getMessage().contains("video 001YG.mp4")
                && box.getMessage().contains("frame 93") && box.getMessage().contains("label 8 (chair)"),
                box.getMessage());
        KitException pair = assertThrows(KitException.class, () -> v.union(93, 1, 8));
        assertTrue(pair.getMessage().contains("frame 93, labels 1 (person) and 8 (chair)"), pair.getMessage());
        KitException video = assertThrows(KitException.class, () -> FeatureSource.open(tmp).video("ZZZZZ.mp4"));
        assertTrue(video.getMessage().contains("ZZZZZ.mp4.npz"), video.getMessage());
    }

    @Test
    void malformedFilesAreRefusedWithTheirName() throws Exception {
        FeatureSource.writeMeta(tmp, META);
        Map<String, NdArray> arrays = new java.util.LinkedHashMap<>();
        arrays.put("index", NdArray.of(new long[] {5, 1, 5, 1}, 2, 2));
        arrays.put("features", NdArray.of(new float[8], 2, 4));
        arrays.put("distribution", NdArray.of(new float[72], 2, 36));
        arrays.put("union_index", NdArray.of(new long[0], 0, 3));
        arrays.put("union_feat", NdArray.of(new float[0], 0, 2, 3, 3));
        Npz.write(tmp.resolve("DUP01.mp4.npz"), arrays);
        KitException dup = assertThrows(KitException.class, () -> FeatureSource.open(tmp).video("DUP01.mp4"));
        assertTrue(dup.getMessage().contains("DUP01.mp4.npz") && dup.getMessage().contains("twice"),
                dup.getMessage());

        arrays.put("index", NdArray.of(new long[] {5, 1, 5, 2}, 2, 2));
        arrays.put("features", NdArray.of(new float[10], 2, 5));
        Npz.write(tmp.resolve("WIDE1.mp4.npz"), arrays);
        KitException wide = assertThrows(KitException.class, () -> FeatureSource.open(tmp).video("WIDE1.mp4"));
        assertTrue(wide.getMessage().contains("'features' has shape [2, 5]: expected [2, 4]"), wide.getMessage());

        arrays.put("features", NdArray.of(new float[8], 2, 4));
        arrays.put("union_index", NdArray.of(new long[] {5, 2, 1}, 1, 3));
        arrays.put("union_feat", NdArray.of(new float[18], 1, 2, 3, 3));
        Npz.write(tmp.resolve("ORDER.mp4.npz"), arrays);
        KitException order = assertThrows(KitException.class, () -> FeatureSource.open(tmp).video("ORDER.mp4"));
        assertTrue(order.getMessage().contains("a < b"), order.getMessage());

        arrays.remove("union_feat");
        Npz.write(tmp.resolve("NOUNI.mp4.npz"), arrays);
        KitException none = assertThrows(KitException.class, () -> FeatureSource.open(tmp).video("NOUNI.mp4"));
        assertTrue(none.getMessage().contains("missing array 'union_feat'"), none.getMessage());
    }

    @Test
    void metadataIsRequiredAndChecked() throws Exception {
        KitException none = assertThrows(KitException.class, () -> FeatureSource.open(tmp));
        assertTrue(none.getMessage().contains("meta.json"), none.getMessage());
        Files.writeString(tmp.resolve("meta.json"), "{\"format\": \"m3sgg-features/1\", \"feature_dim\": 0,"
                + " \"union_channels\": 2, \"union_size\": 7, \"distribution\": false, \"union_pairs\": \"all\","
                + " \"detector\": \"x\"}");
        KitException bad = assertThrows(KitException.class, () -> FeatureSource.open(tmp));
        assertTrue(bad.getMessage().contains("meta.json") && bad.getMessage().contains("must be positive"),
                bad.getMessage());
        Files.writeString(tmp.resolve("meta.json"), "{\"format\": \"m3sgg-features/1\", \"feature_dim\": 4,"
                + " \"union_channels\": 2, \"union_size\": 7, \"distribution\": false, \"union_pairs\": \"all\","
                + " \"detector\": \"x\", \"colour\": 1}");
        KitException unknown = assertThrows(KitException.class, () -> FeatureSource.open(tmp));
        assertTrue(unknown.getMessage().contains("colour"), unknown.getMessage());
    }
}
