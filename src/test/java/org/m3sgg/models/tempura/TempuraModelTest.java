package org.m3sgg.models.tempura;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.data.Mode;
import org.m3sgg.models.TrainingAware;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TempuraModelTest {

    private static final TempuraConfig CFG = TempuraConfig.tiny();

    @Test
    void outputsHaveTheContractShapesAndTheAttentionIsTheMixtureProbability() {
        TempuraModel m = TempuraModel.build(CFG, Mode.SGCLS, 1);
        TempuraVideos v = new TempuraVideos(CFG, new int[] {2, 3, 1}, 5);
        Map<String, INDArray> out = m.forward(v.inputs);
        assertArrayEquals(new long[] {6, 3}, out.get(SggModel.ATTENTION).shape());
        assertArrayEquals(new long[] {6, 6}, out.get(SggModel.SPATIAL).shape());
        assertArrayEquals(new long[] {6, 17}, out.get(SggModel.CONTACTING).shape());
        assertArrayEquals(new long[] {9, 37}, out.get(SggModel.OBJECT_LOGITS).shape());
        INDArray p = out.get(TempuraModel.ATTENTION_PROBABILITY);
        for (int i = 0; i < 6; i++) {
            assertEquals(1.0, p.getRow(i).sumNumber().doubleValue(), 1e-5);
            // the engine's softmax of the attention output gives the mixture probabilities back
            INDArray sm = Nd4j.math().exp(out.get(SggModel.ATTENTION).getRow(i));
            sm.divi(sm.sumNumber());
            assertArrayEquals(p.getRow(i).toDoubleVector(), sm.toDoubleVector(), 1e-5);
        }
        for (String t : TempuraModel.TYPES) {
            assertTrue(out.get(t + TempuraModel.ALEATORIC).minNumber().doubleValue() > 0, t);
            assertTrue(out.get(t + TempuraModel.EPISTEMIC).minNumber().doubleValue() >= 0, t);
        }
        List<TempuraModel.PairUncertainty> u = m.uncertainties(v.inputs);
        assertEquals(6, u.size());
        assertEquals(out.get("spatial_aleatoric").getRow(4).sumNumber().doubleValue(), u.get(4).spatialAleatoric(),
                1e-5);
        // evaluation is deterministic (no GMM noise)
        assertEquals(out.get(SggModel.SPATIAL), m.forward(v.inputs).get(SggModel.SPATIAL));
    }

    @Test
    void zeroPairsGiveEmptyOutputs() {
        TempuraModel m = TempuraModel.build(CFG, Mode.PREDCLS, 1);
        TempuraVideos v = new TempuraVideos(CFG, new int[] {0, 0}, 5);
        Map<String, INDArray> out = m.forward(v.inputs);
        assertEquals(0, out.get(SggModel.ATTENTION).size(0));
        assertTrue(m.uncertainties(v.inputs).isEmpty());
    }

    @Test
    void lossDecreasesInSgcls() {
        lossDecreases(List.of(Mode.SGCLS), 6);
    }

    @Test
    @Tag("slow")
    void lossDecreasesInBothModes() {
        lossDecreases(List.of(Mode.PREDCLS, Mode.SGCLS), 15);
    }

    private static void lossDecreases(List<Mode> modes, int steps) {
        for (Mode mode : modes) {
            TempuraModel m = TempuraModel.build(CFG, mode, 3);
            TempuraVideos v = new TempuraVideos(CFG, new int[] {2, 2, 3}, 9);
            AdamW opt = new AdamW(m.graph(), m.trainableParameters(), 3e-3, 0.9, 0.999, 1e-8, 0.01, 5.0);
            double first = m.evaluateLoss(v.inputs, v.targets).get(SggModel.LOSS);
            for (int s = 0; s < steps; s++) {
                Nd4j.getRandom().setSeed(s);
                assertTrue(Double.isFinite(m.trainStep(List.of(v.inputs), List.of(v.targets), opt)));
            }
            Map<String, Double> after = m.evaluateLoss(v.inputs, v.targets);
            assertTrue(after.get(SggModel.LOSS) < first - 0.1, mode + ": " + first + " -> " + after);
            if (mode == Mode.SGCLS) {
                assertTrue(after.containsKey(TempuraModel.OBJECT_LOSS) && after.containsKey(TempuraModel.CONTRASTIVE_LOSS));
            }
        }
    }

    @Test
    void memoryIsTheMeanHallucinatorInputPerPredicateAndChangesTheOutput() {
        TempuraModel m = TempuraModel.build(CFG, Mode.PREDCLS, 2);
        TempuraVideos a = new TempuraVideos(CFG, new int[] {2, 1}, 11);
        TempuraVideos b = new TempuraVideos(CFG, new int[] {1, 2, 2}, 12);
        Map<String, INDArray> before = m.forward(a.inputs);
        // hand computation from the hallucinator's input (late fusion: the temporal decoder's output)
        INDArray fa = m.graph().outputSingle(stripped(m, a), TempuraModel.MEMORY_SOURCE);
        INDArray fb = m.graph().outputSingle(stripped(m, b), TempuraModel.MEMORY_SOURCE);
        double[] sum = new double[CFG.dModel()];
        int count = 0;
        int row = 3 + 6 + 8;                                                  // contacting class 8
        for (var pair : List.of(Map.entry(a, fa), Map.entry(b, fb))) {
            int[][] co = pair.getKey().targets.contacting();
            for (int p = 0; p < co.length; p++) {
                for (int c : co[p]) {
                    if (c == 8) {
                        count++;
                        for (int d = 0; d < sum.length; d++) {
                            sum[d] += pair.getValue().getDouble(p, d);
                        }
                    }
                }
            }
        }
        assertTrue(count > 0);
        assertFalse(m.memoryBuilt());
        m.buildMemory(List.of(new TrainingAware.Example(null, a.inputs, a.targets),
                new TrainingAware.Example(null, b.inputs, b.targets)));
        assertTrue(m.memoryBuilt());
        INDArray mem = m.memory();
        for (int d = 0; d < sum.length; d++) {
            assertEquals(sum[d] / count, mem.getDouble(row, d), 1e-5);
        }
        assertEquals(count, m.memoryCounts()[row]);
        long pairs = a.targets.attention().length + b.targets.attention().length;
        assertEquals(pairs, m.memoryCounts()[0] + m.memoryCounts()[1] + m.memoryCounts()[2]);
        // an unseen predicate keeps a zero prototype
        for (int r = 0; r < 26; r++) {
            if (m.memoryCounts()[r] == 0) {
                assertEquals(0.0, mem.getRow(r).norm1Number().doubleValue(), 0.0);
            }
        }
        // lambda 0.5: once built, the memory changes the predictions
        Map<String, INDArray> after = m.forward(a.inputs);
        assertTrue(before.get(SggModel.SPATIAL).sub(after.get(SggModel.SPATIAL)).amaxNumber().doubleValue() > 1e-6);
    }

    private static Map<String, INDArray> stripped(TempuraModel m, TempuraVideos v) {
        Map<String, INDArray> in = new LinkedHashMap<>(m.inputs(v.inputs, null, false));
        return in;
    }

    @Test
    void stateRoundTripCarriesTheMemory() {
        TempuraModel m = TempuraModel.build(CFG, Mode.SGCLS, 4);
        TempuraVideos v = new TempuraVideos(CFG, new int[] {2, 2}, 13);
        m.buildMemory(List.of(new TrainingAware.Example(null, v.inputs, v.targets)));
        Map<String, INDArray> copy = new LinkedHashMap<>();
        m.state().forEach((k, x) -> copy.put(k, x.dup()));
        assertTrue(copy.containsKey(TempuraModel.STATE_MEMORY));
        TempuraModel other = TempuraModel.build(CFG, Mode.SGCLS, 99);
        other.loadState(copy, "test");
        assertTrue(other.memoryBuilt());
        assertEquals(m.memory(), other.memory());
        assertEquals(m.forward(v.inputs).get(SggModel.CONTACTING), other.forward(v.inputs).get(SggModel.CONTACTING));
        copy.remove(TempuraModel.STATE_MEMORY);
        KitException e = assertThrows(KitException.class, () -> other.loadState(copy, "ckpt"));
        assertTrue(e.getMessage().contains(TempuraModel.STATE_MEMORY), e.getMessage());
    }

    @Test
    @Tag("slow")
    void everyMemoryVariantBuildsAndTrains() {
        TempuraVideos v = new TempuraVideos(CFG, new int[] {2, 1, 2}, 21);
        for (var mem : List.of(TempuraConfig.MemCompute.SEPARATE, TempuraConfig.MemCompute.JOINT)) {
            for (var fusion : TempuraConfig.MemFusion.values()) {
                TempuraConfig c = CFG.with(mem, fusion, fusion == TempuraConfig.MemFusion.EARLY
                        ? TempuraConfig.Selection.AUTOMATED : TempuraConfig.Selection.MANUAL)
                        .withLossWeighting(TempuraConfig.LossWeighting.EP);
                TempuraModel m = TempuraModel.build(c, Mode.PREDCLS, 5);
                m.buildMemory(List.of(new TrainingAware.Example(null, v.inputs, v.targets)));
                AdamW opt = new AdamW(m.graph(), m.trainableParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01, 5.0);
                Nd4j.getRandom().setSeed(1);
                assertTrue(Double.isFinite(m.trainStep(List.of(v.inputs), List.of(v.targets), opt)), mem + " " + fusion);
            }
        }
    }

    @Test
    void objectSequencesGroupByDetectorClassWithFramePositions() {
        INDArray dist = Nd4j.createFromArray(new double[][] {{0.9, 0.1, 0}, {0.1, 0.9, 0}, {0.8, 0.2, 0},
                {0.2, 0.1, 0.7}, {0.6, 0.4, 0}, {0.7, 0.3, 0}});
        ObjectSequences s = ObjectSequences.of(dist, new int[] {0, 0, 2, 2, 5, 5});
        assertArrayEquals(new int[] {0, 1, 0, 2, 0, 0}, s.group());
        // class 0 appears in frames 0, 2, 5: ranks 0, 1, 2; the two boxes of frame 5 share position 2
        assertArrayEquals(new int[] {0, 0, 1, 0, 2, 2}, s.position());
        INDArray mask = s.mask(DataType.DOUBLE);
        assertEquals(0.0, mask.getDouble(0, 4), 0.0);
        assertTrue(mask.getDouble(0, 1) < -1e8);
        INDArray pe = s.encoding(4, DataType.DOUBLE);
        assertEquals(Math.sin(1), pe.getDouble(2, 0), 1e-12);
        assertEquals(Math.cos(2 * Math.exp(-2 * Math.log(10000.0) / 4)), pe.getDouble(4, 3), 1e-12);
    }

    @Test
    void configRejectsBadValues() {
        assertThrows(KitException.class, () -> new TempuraConfig(16, 4, 4, 8, 4, 32, 2, 16, 1, 1, 0.0, 37, 8, 4, 3, 6,
                17, 0, TempuraConfig.MemCompute.JOINT, TempuraConfig.MemFusion.LATE, TempuraConfig.Selection.MANUAL,
                0.5, true, 1, 2, 16, TempuraConfig.LossWeighting.NONE, TempuraConfig.ContrastiveLoss.NONE, 1, 1, 0.001));
        KitException e = assertThrows(KitException.class, () -> new TempuraConfig(16, 4, 4, 8, 4, 33, 2, 16, 1, 1,
                0.0, 37, 8, 4, 3, 6, 17, 2, TempuraConfig.MemCompute.JOINT, TempuraConfig.MemFusion.LATE,
                TempuraConfig.Selection.MANUAL, 0.5, true, 1, 2, 16, TempuraConfig.LossWeighting.NONE,
                TempuraConfig.ContrastiveLoss.NONE, 1, 1, 0.001));
        assertTrue(e.getMessage().startsWith("tempura config"), e.getMessage());
    }
}
