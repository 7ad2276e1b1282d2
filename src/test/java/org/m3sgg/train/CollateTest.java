package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.data.Mode;
import org.m3sgg.features.FeatureMeta;
import org.m3sgg.features.SpatialMasks;
import org.m3sgg.features.VideoFeatures;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CollateTest {

    private static final FeatureMeta META = new FeatureMeta(FeatureMeta.FORMAT, 2, 1, 7, true,
            FeatureMeta.PERSON_OBJECT, "hand-made");

    /** Two frames: frame 10 holds person + cup (label 9) + phone (label 25); frame 20 person + cup. */
    private static AgVideo video() {
        Box p = new Box(0, 0, 10, 20);
        AgObject cup = new AgObject(9, new Box(5, 5, 8, 8), new int[] {1}, new int[] {2, 3}, new int[] {4});
        AgObject phone = new AgObject(25, new Box(1, 1, 3, 4), new int[] {0}, new int[] {}, new int[] {7, 8});
        AgObject cup2 = new AgObject(9, new Box(6, 5, 9, 8), new int[] {2}, new int[] {0}, new int[] {});
        return new AgVideo("V.mp4", List.of(new AgFrame("V.mp4/000010.png", p, List.of(cup, phone)),
                new AgFrame("V.mp4/000020.png", p, List.of(cup2))), 100, 100);
    }

    private static float[] dist(int label) {
        float[] d = new float[36];
        d[label - 1] = 1;
        return d;
    }

    private static VideoFeatures features(Path dir, boolean withPhoneUnion) {
        VideoFeatures.Builder b = new VideoFeatures.Builder(META);
        b.addBox(10, 1, new float[] {1, 10}, dist(1)).addBox(10, 9, new float[] {2, 90}, dist(9))
                .addBox(10, 25, new float[] {3, 250}, dist(25)).addBox(20, 1, new float[] {4, 10}, dist(1))
                .addBox(20, 9, new float[] {5, 90}, dist(9));
        b.addUnion(10, 1, 9, filled(109));
        if (withPhoneUnion) {
            b.addUnion(10, 25, 1, filled(125));
        }
        b.addUnion(20, 9, 1, filled(209));
        Path file = b.write(dir, "V.mp4", META);
        return VideoFeatures.read(file, "V.mp4", META);
    }

    private static float[] filled(float v) {
        float[] a = new float[49];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void predclsPairsThePersonWithEveryObjectOfItsFrame(@TempDir Path tmp) {
        Collate.Video v = Collate.of(video(), features(tmp, true), Mode.PREDCLS);
        var in = v.inputs();
        assertEquals(5, in.numBoxes());
        assertArrayEquals(new int[] {1, 9, 25, 1, 9}, in.labels());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1}, in.boxFrame());
        assertArrayEquals(new int[][] {{0, 1}, {0, 2}, {3, 4}}, in.pairs());
        assertArrayEquals(new int[] {0, 0, 1}, in.pairFrame());
        assertArrayEquals(new int[] {0, 3, 5}, v.frameBox());
        assertArrayEquals(new float[] {3, 250}, in.features().getRow(2).toFloatVector());
        assertEquals(125f, in.unionFeatures().getFloat(1, 0, 3, 3));
        assertEquals(209f, in.unionFeatures().getFloat(2, 0, 0, 0));
        float[] mask = SpatialMasks.of(new Box(0, 0, 10, 20), new Box(1, 1, 3, 4));
        assertArrayEquals(mask, in.spatialMasks().get(org.nd4j.linalg.indexing.NDArrayIndex.point(1)).dup()
                .reshape(mask.length).toFloatVector());
        assertNull(in.distribution());
        assertArrayEquals(new int[] {1, 0, 2}, v.targets().attention());
        assertArrayEquals(new int[][] {{2, 3}, {}, {0}}, v.targets().spatial());
        assertArrayEquals(new int[][] {{4}, {7, 8}, {}}, v.targets().contacting());
        assertNull(v.targets().objectLabels());
        assertEquals(2, v.groundTruth().size());
    }

    @Test
    void sgclsAddsTheDistributionAndObjectTargets(@TempDir Path tmp) {
        Collate.Video v = Collate.of(video(), features(tmp, true), Mode.SGCLS);
        assertEquals(1f, v.inputs().distribution().getFloat(2, 24));
        assertArrayEquals(new int[] {1, 9, 25, 1, 9}, v.targets().objectLabels());
    }

    @Test
    void aMissingPersonObjectUnionIsAnErrorNamingVideoFrameAndLabels(@TempDir Path tmp) {
        KitException e = assertThrows(KitException.class, () -> Collate.of(video(), features(tmp, false),
                Mode.PREDCLS));
        assertTrue(e.getMessage().contains("video V.mp4") && e.getMessage().contains("frame 10")
                && e.getMessage().contains("25"), e.getMessage());
    }

    @Test
    void relabellingRebuildsPairsAndZeroesUnionsOfNonPersonSubjects(@TempDir Path tmp) {
        VideoFeatures f = features(tmp, true);
        Collate.Video v = Collate.of(video(), f, Mode.SGCLS);
        // logits [5, 37]: in frame 0 the cup (box 1) looks most like a person, the true person like a phone
        double[][] l = new double[5][37];
        for (double[] row : l) {
            java.util.Arrays.fill(row, -5);
        }
        l[0][25] = 5;
        l[0][1] = 1;
        l[1][1] = 6;
        l[2][25] = 4;
        l[3][1] = 6;
        l[4][9] = 6;
        INDArray logits = Nd4j.createFromArray(l).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        Collate.Relabelled r = Collate.relabel(v, f, META, logits);
        assertEquals(1, r.labels()[1]);
        // frame 0: the cup is the person; the true person and the phone both say "phone", the less sure one (the
        // true person) is re-labelled by the duplicate pass and becomes a second "person", which is not paired.
        // The cup-phone pair has no union in a person-object folder -> zero. Frame 1 as annotated.
        assertArrayEquals(new int[] {1, 1, 25, 1, 9}, r.labels());
        assertArrayEquals(new int[][] {{1, 2}, {3, 4}}, r.inputs().pairs());
        assertEquals(1, r.zeroUnions());
        assertEquals(0f, r.inputs().unionFeatures().getFloat(0, 0, 0, 0));
        assertEquals(209f, r.inputs().unionFeatures().getFloat(1, 0, 0, 0));
    }
}
