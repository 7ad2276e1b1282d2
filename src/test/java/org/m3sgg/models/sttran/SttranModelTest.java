package org.m3sgg.models.sttran;

import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.testing.Fixtures;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class SttranModelTest {

    private static final SttranConfig QUICK = SttranConfig.quick();

    @Test
    void paperConfigHasThePublishedParameterCount() {
        SttranConfig paper = SttranConfig.paper();
        assertEquals(1936, paper.dModel());
        // dims.json of the fixture gives the count of its reduced model; same formula at paper widths: 103,398,359
        Path dir = Fixtures.dir("sttran-reference");
        SttranModel small = SttranModel.build(SttranParity.configFromDims(dir.resolve("dims.json")), Mode.PREDCLS, 1);
        assertEquals(377583, small.parameterCount());
    }

    @Test
    void configRejectsInconsistentWidths() {
        KitException e = assertThrows(KitException.class, () -> new SttranConfig(64, 32, 16, 32, 16, 100, 8, 64, 1, 3,
                0.1, 37, 32, 128, 3, 6, 17, org.m3sgg.models.relation.RelationLoss.MARGIN, true, true, 0.001));
        assertTrue(e.getMessage().contains("dModel 100"), e.getMessage());
        assertThrows(KitException.class, () -> org.m3sgg.models.relation.RelationLoss.parse("hinge"));
    }

    @Test
    void fewAdamStepsReduceTheLossAndMoveBatchNormStatistics() {
        Nd4j.getRandom().setSeed(11);
        SttranModel model = SttranModel.build(QUICK, Mode.SGCLS, 3);
        SyntheticVideo v = new SyntheticVideo(QUICK, new int[] {2, 3, 1}, 5);
        double before = model.evaluateLoss(v.inputs, v.targets).get(SttranModel.LOSS);
        INDArray rmBefore = model.scope().batchNorms().get(2).runningMean().dup();
        AdamW opt = model.newOptimizer(1e-3);
        for (int i = 0; i < 8; i++) {
            double l = model.trainStep(v.inputs, v.targets, opt);
            assertTrue(Double.isFinite(l));
        }
        double after = model.evaluateLoss(v.inputs, v.targets).get(SttranModel.LOSS);
        assertTrue(after < before - 0.1, "loss " + before + " -> " + after);
        assertNotEquals(rmBefore, model.scope().batchNorms().get(2).runningMean());
    }

    @Test
    void singleFrameGivesZeroTransformerOutputSoHeadsEmitTheirBiases() {
        SttranModel model = SttranModel.build(QUICK, Mode.PREDCLS, 3);
        SyntheticVideo v = new SyntheticVideo(QUICK, new int[] {3}, 2);
        Map<String, INDArray> out = model.forward(v.inputs);
        INDArray aBias = model.graph().getVariable("a_rel_compress.bias").getArr();
        INDArray sBias = model.graph().getVariable("s_rel_compress.bias").getArr();
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(aBias.toDoubleVector(), out.get(SttranModel.ATTENTION).getRow(i).toDoubleVector(), 1e-7);
            assertArrayEquals(Transforms.sigmoid(sBias, true).toDoubleVector(),
                    out.get(SttranModel.SPATIAL).getRow(i).toDoubleVector(), 1e-7);
        }
        // the spatial-only ablation does not zero it
        SttranModel ablation = SttranModel.build(QUICK.withTemporalDecoder(false), Mode.PREDCLS, 3);
        INDArray a = ablation.forward(v.inputs).get(SttranModel.ATTENTION);
        assertFalse(a.getRow(0).equalsWithEps(a.getRow(1), 1e-6));
    }

    @Test
    void pairOrderDoesNotMatter() {
        // without the zero-sum quirk: at initialisation it masks keys by the rounding of ~0 sums, see SttranConfig
        SttranModel model = SttranModel.build(QUICK.withZeroSumKeyMask(false), Mode.PREDCLS, 4);
        SyntheticVideo v = new SyntheticVideo(QUICK, new int[] {2, 2, 3}, 9);
        INDArray base = model.forward(v.inputs).get(SttranModel.CONTACTING);
        // reverse the pair order: outputs follow their pairs
        RelationInputs in = v.inputs;
        int p = in.numPairs();
        int[][] pairs = new int[p][];
        int[] frames = new int[p];
        int[] perm = new int[p];
        for (int i = 0; i < p; i++) {
            perm[i] = p - 1 - i;
            pairs[i] = in.pairs()[perm[i]];
            frames[i] = in.pairFrame()[perm[i]];
        }
        INDArray union = Nd4j.pullRows(in.unionFeatures().reshape(p, -1), 1, perm).reshape(in.unionFeatures().shape());
        INDArray masks = Nd4j.pullRows(in.spatialMasks().reshape(p, -1), 1, perm).reshape(in.spatialMasks().shape());
        INDArray rev = model.forward(in.withPairs(in.labels(), pairs, frames, union, masks)).get(SttranModel.CONTACTING);
        for (int i = 0; i < p; i++) {
            assertArrayEquals(base.getRow(perm[i]).toDoubleVector(), rev.getRow(i).toDoubleVector(), 1e-5);
        }
    }

    @Test
    void importerNamesUnknownMissingAndMisshapenKeys() {
        Path dir = Fixtures.dir("sttran-reference");
        Map<String, TorchTensor> sd = TorchCheckpoint.loadStateDict(dir.resolve("sttran_predcls.zip.tar"));
        SttranConfig cfg = SttranParity.configFromDims(dir.resolve("dims.json"));
        SttranModel model = SttranModel.build(cfg, Mode.PREDCLS, 1);

        Map<String, TorchTensor> missing = new LinkedHashMap<>(sd);
        missing.remove("vr_fc.bias");
        KitException e1 = assertThrows(KitException.class, () -> model.loadStateDict(missing, "ck.pth"));
        assertTrue(e1.getMessage().contains("missing state_dict key 'vr_fc.bias'") && e1.getMessage().contains("[32]"),
                e1.getMessage());

        Map<String, TorchTensor> extra = new LinkedHashMap<>(sd);
        extra.put("glocal_transformer.extra.weight", sd.get("vr_fc.bias"));
        KitException e2 = assertThrows(KitException.class, () -> model.loadStateDict(extra, "ck.pth"));
        assertTrue(e2.getMessage().contains("unknown state_dict key 'glocal_transformer.extra.weight'"), e2.getMessage());

        SttranModel wider = SttranModel.build(SttranConfig.of(64, 32, 16, 32, 16, 8, 128, 1, 3, 0.1, 32, 128),
                Mode.PREDCLS, 1);
        KitException e3 = assertThrows(KitException.class, () -> wider.loadStateDict(sd, "ck.pth"));
        assertTrue(e3.getMessage().contains("has shape [64, 128] but the model expects [128, 128]"), e3.getMessage());
    }
}
