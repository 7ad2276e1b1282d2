package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.models.FrameModel;
import org.m3sgg.nn.AdamW;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.nn.Quiet;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;

/** OED in the trainer's interface, on a hand-made two-frame clip at tiny widths. */
class OedKitModelTest {

    static OedRunConfig tiny(boolean temporal) {
        return new OedRunConfig(4, 2, false, 8, 2, 16, 1, 2, 2, 5, 37, 3, 6, 17, temporal, 2, List.of(2, 1), 6, 1, 1, 2.5,
                1, 1, 2, 2.5, 1, 0.1, 0.5);
    }

    static FrameModel.Clip clip() {
        AgObject cup = new AgObject(5, new Box(40, 30, 90, 70), new int[] {0}, new int[] {1, 2}, new int[] {3});
        AgObject chair = new AgObject(9, new Box(10, 60, 70, 100), new int[] {2}, new int[] {0}, new int[] {5, 7});
        AgFrame f0 = new AgFrame("v.mp4/000001.png", new Box(20, 10, 80, 110), List.of(cup, chair));
        AgFrame f1 = new AgFrame("v.mp4/000009.png", new Box(25, 12, 85, 112), List.of(cup));
        AgVideo v = new AgVideo("v.mp4", List.of(f0, f1), 160, 120);
        Random r = new Random(3);
        float[] data = new float[2 * 4 * 8 * 10];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return new FrameModel.Clip(v, new FrameMaps(2, 4, 8, 10, data, new float[] {1, 1}, 1f / 16));
    }

    @Test
    void oneStepLowersTheLossOnAFixedBatchInBothModes() {
        for (Mode mode : List.of(Mode.SGDET, Mode.PREDCLS)) {
            OedKitModel m = OedKitModel.build(tiny(false), mode, 0);
            AdamW opt = new AdamW(m.graph(), m.trainableParameters(), 1e-3, 0.9, 0.999, 1e-8, 1e-4, 0.0);
            FrameModel.Clip c = clip();
            double before = m.trainStep(List.of(c), opt);
            double after = m.trainStep(List.of(c), opt);
            assertTrue(Double.isFinite(before) && after < before, mode + ": " + before + " -> " + after);
        }
    }

    @Test
    void framesRunTogetherGiveTheMeanOfTheirLossesAndGradients() {
        // PredCLS: the clip's frames have 2 and 1 pair queries, so the second is padded in the joint run
        for (Mode mode : List.of(Mode.SGDET, Mode.PREDCLS)) {
            OedKitModel m = OedKitModel.build(tiny(false), mode, 0);
            FrameModel.Clip c = clip();
            SameDiff sd = m.graph();
            Quiet.createGradFunction(sd);
            List<String> params = m.trainableParameters();
            OutAndGrad both = sd.calculateGradientsAndOutputs(m.spatialInputs(c, List.of(0, 1)),
                    List.of(OedCriterion.TOTAL), params);
            OutAndGrad first = sd.calculateGradientsAndOutputs(m.spatialInputs(c, List.of(0)),
                    List.of(OedCriterion.TOTAL), params);
            OutAndGrad second = sd.calculateGradientsAndOutputs(m.spatialInputs(c, List.of(1)),
                    List.of(OedCriterion.TOTAL), params);
            double mean = (first.getOutputs().get(OedCriterion.TOTAL).getDouble(0)
                    + second.getOutputs().get(OedCriterion.TOTAL).getDouble(0)) / 2;
            assertEquals(mean, both.getOutputs().get(OedCriterion.TOTAL).getDouble(0), 1e-12, mode + " loss");
            for (String p : params) {
                INDArray expected = first.getGradients().get(p).add(second.getGradients().get(p)).divi(2);
                assertTrue(expected.equalsWithEps(both.getGradients().get(p), 1e-12), mode + " gradient of " + p);
            }
            // and the frames' spatial outputs are the ones of one run each
            List<OedModel.Frame> together = m.oed().frames(List.of(m.inputs(c, 0), m.inputs(c, 1)));
            OedModel.Frame alone = m.oed().frame(m.inputs(c, 1));
            for (String out : List.of("memory", "pred_obj_boxes", "aux0_pred_attn_logits", "ins_attn_weight",
                    "interaction1")) {
                assertArrayEquals(alone.get(out).shape(), together.get(1).get(out).shape(), mode + " " + out);
                assertTrue(alone.get(out).equalsWithEps(together.get(1).get(out), 1e-12), mode + " " + out);
            }
        }
    }

    @Test
    void coordinateChannelsHoldEachCellsNormalisedCentre() {
        OedRunConfig withCoords = new OedRunConfig(6, 2, true, 8, 2, 16, 1, 2, 2, 5, 37, 3, 6, 17, false, 2,
                List.of(2, 1), 6, 1, 1, 2.5, 1, 1, 2, 2.5, 1, 0.1, 0.5);
        OedKitModel m = OedKitModel.build(withCoords, Mode.SGDET, 0);
        FrameModel.Clip c = clip();
        INDArray map = m.map(c.maps(), 1);                       // 8 x 10 pooled 2 x 2: 4 x 5 cells
        assertArrayEquals(new long[] {6, 4, 5}, map.shape());
        assertEquals(2.5 / 5, map.getDouble(4, 1, 2), 1e-15);   // x of cell (1, 2)
        assertEquals(1.5 / 4, map.getDouble(5, 1, 2), 1e-15);   // y
        assertEquals(OedKitModel.build(tiny(false), Mode.SGDET, 0).map(c.maps(), 1).getDouble(3, 1, 2),
                map.getDouble(3, 1, 2), 0.0);                    // the painted channels as they were
        KitException e = assertThrows(KitException.class, () -> OedKitModel.build(tiny(false), Mode.SGDET, 0)
                .map(new FrameMaps(1, 6, 8, 10, new float[6 * 80], new float[] {1}, 1f / 16), 0));
        assertEquals("oed: the frame maps have 6 channels, model.c5_channels is 4", e.getMessage());
    }

    @Test
    void predictionsAreQueriesAsPairsInFramePixels() {
        FrameModel.Clip c = clip();
        OedKitModel sgdet = OedKitModel.build(tiny(false), Mode.SGDET, 0);
        List<FramePrediction> p = sgdet.predict(c);
        assertEquals(2, p.size());
        assertEquals(5, p.get(0).pairCount());
        assertArrayEquals(new int[] {1, 6}, p.get(0).pairs()[1]);
        for (double[] b : p.get(0).boxes()) {
            assertTrue(b[0] >= -80 && b[2] <= 240 && b[0] <= b[2] && b[1] <= b[3]);
        }
        assertEquals(3, p.get(0).attention()[0].length);
        OedKitModel predcls = OedKitModel.build(tiny(false), Mode.PREDCLS, 0);
        FramePrediction q = predcls.predict(c).get(0);
        assertEquals(2, q.pairCount());
        assertArrayEquals(new double[] {10, 60, 70, 100}, q.boxes()[3], 0.0);
        assertEquals(9, q.labels()[3]);
    }

    @Test
    void theTemporalStageTrainsThePrmOnlyAndReadsSpatialHeadsAsItsStart() {
        OedKitModel m = OedKitModel.build(tiny(true), Mode.SGDET, 0);
        for (String p : m.trainableParameters()) {
            assertTrue(p.startsWith("temporal_") || p.startsWith("transformer.temporal_"), p);
        }
        assertEquals("obj_class_embed.weight", m.initAlias("temporal_obj_class_embed.weight"));
        assertEquals(null, m.initAlias("transformer.temporal_query_layer1.linear1.weight"));
        INDArray enc = m.state().get("transformer.encoder.layers.0.linear1.weight").dup();
        INDArray prm = m.state().get("transformer.temporal_query_layer1.linear1.weight").dup();
        AdamW opt = new AdamW(m.graph(), m.trainableParameters(), 1e-3, 0.9, 0.999, 1e-8, 1e-4, 0.1);
        double loss = m.trainStep(List.of(clip()), opt);
        assertTrue(Double.isFinite(loss));
        assertEquals(enc, m.state().get("transformer.encoder.layers.0.linear1.weight"));
        assertTrue(!prm.equals(m.state().get("transformer.temporal_query_layer1.linear1.weight")));
        assertEquals(2, m.predict(clip()).size());
    }

    @Test
    void perBoxCallsAndSgclsAreRefusedWithOneLine() {
        KitException e = assertThrows(KitException.class, () -> OedKitModel.build(tiny(false), Mode.SGCLS, 0));
        assertTrue(e.getMessage().contains("predcls or sgdet"));
        OedKitModel m = OedKitModel.build(tiny(false), Mode.SGDET, 0);
        assertThrows(KitException.class, () -> m.forward(null));
    }
}
