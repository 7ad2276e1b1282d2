package org.m3sgg.sgdet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;

/** The float32 RoIAlign against torchvision's {@code roi_align(aligned=False)} on the fixture, bit for bit. */
class RoiAlignTest {

    @Test
    void twentyEdgeCasesAreBitwiseEqual() {
        float[][] rois = SgdetFixture.rows("roi_edge_rois");
        assertEquals(20, rois.length);
        float[] mine = RoiAlign.apply(SgdetFixture.IN.maps(), rois, 7);
        float[] ref = SgdetFixture.npy("roi_edge_feat", 4).floats();
        assertEquals(-1, SgdetFixture.firstBitDifference(mine, ref), "first differing value");
    }

    @Test
    void unionFeaturesOfBothPathsAreBitwiseEqual() {
        for (String path : new String[] {"test", "train"}) {
            float[] mine = PairGeometry.unionFeatures(SgdetFixture.IN.maps(), SgdetFixture.rows(path + "_union_box"));
            float[] ref = SgdetFixture.npy(path + "_union_feat", 4).floats();
            assertEquals(-1, SgdetFixture.firstBitDifference(mine, ref), path);
        }
    }

    @Test
    void fullyOutsideBoxPoolsZeros() {
        FrameMaps maps = new FrameMaps(1, 1, 2, 2, new float[] {1, 2, 3, 4}, new float[] {1}, 1f);
        float[] out = RoiAlign.apply(maps, new float[][] {{0, 10, 10, 20, 20}}, 2);
        assertEquals(0f, out[0] + out[1] + out[2] + out[3]);
    }

    @Test
    void frameIndexOutsideTheMapsIsAnError() {
        FrameMaps maps = new FrameMaps(1, 1, 2, 2, new float[] {1, 2, 3, 4}, new float[] {1}, 1f);
        assertThrows(KitException.class, () -> RoiAlign.apply(maps, new float[][] {{1, 0, 0, 1, 1}}, 2));
    }
}
