package org.m3sgg.models.stket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class StketModelTest {

    private static final StketConfig QUICK = StketConfig.quick();
    // frames: cup(5), table(7) | cup | - (person only, no pair) | cup, cup | cup
    private static final int[][] VIDEO = {{5, 7}, {5}, {}, {5, 5}, {5}};

    /** Priors with a distinct pattern per class, so that they matter. */
    private static StketPriors handPriors(double scale) {
        double[][] init = new double[37][26];
        double[][][] spec = new double[37][17][26];
        for (int c = 0; c < 37; c++) {
            init[c][c % 26] = scale;
            for (int k = 0; k < 17; k++) {
                spec[c][k][(c + k) % 26] = scale;
            }
        }
        return new StketPriors(init, spec);
    }

    @Test
    void ensembleWindowsFollowTheClassBackInTimeWithGapsOfAtMostTwo() {
        StketVideo v = new StketVideo(QUICK, VIDEO, 1);
        // pairs: 0 cup f0, 1 table f0, 2 cup f1, 3 cup f3, 4 cup f3, 5 cup f4
        StketBatch.Ensemble e = StketBatch.ensemble(v.inputs, 4);
        Map<Integer, List<Integer>> window = new LinkedHashMap<>();
        for (int r = 0; r < e.rowPair().length; r++) {
            window.computeIfAbsent(e.rowOwner()[r], k -> new java.util.ArrayList<>()).add(e.rowPair()[r]);
            assertEquals(window.get(e.rowOwner()[r]).size() - 1, e.rowSlot()[r]);
        }
        assertEquals(List.of(0), window.get(0));
        assertEquals(List.of(1), window.get(1));
        assertEquals(List.of(0, 2), window.get(2));
        // frame 3: frame 1 is 2 back (kept), frame 0 one more back (kept); a frame's class stands for itself
        assertEquals(List.of(0, 2, 3), window.get(3));
        assertEquals(List.of(0, 2, 4), window.get(4));
        // frame 4: frame 3 is represented by its last cup pair (4); window capped at 4
        assertEquals(List.of(0, 2, 4, 5), window.get(5));
        for (int i = 0; i < 6; i++) {
            assertEquals(i, e.rowPair()[e.outputRow()[i]], "output read at the pair's own slot");
        }
        assertEquals(List.of(2, 4, 5), ownerWindow(StketBatch.ensemble(v.inputs, 3), 5));

        // a gap of 3 frames ends the chain
        StketVideo gap = new StketVideo(QUICK, new int[][] {{5}, {}, {}, {5}}, 2);
        assertEquals(List.of(1), ownerWindow(StketBatch.ensemble(gap.inputs, 4), 1));
    }

    private static List<Integer> ownerWindow(StketBatch.Ensemble e, int owner) {
        List<Integer> out = new java.util.ArrayList<>();
        for (int r = 0; r < e.rowPair().length; r++) {
            if (e.rowOwner()[r] == owner) {
                out.add(e.rowPair()[r]);
            }
        }
        return out;
    }

    @Test
    void contactingSetsAndTransitionPriorWeights() {
        double[][] probs = new double[3][17];
        probs[0][8] = 0.9;                 // not_contacting wins: {8}
        probs[0][5] = 0.85;
        probs[1][5] = 0.9;                 // holding and touching above 0.8
        probs[1][12] = 0.81;
        probs[1][8] = 0.85;                // not the argmax: dropped
        probs[2][3] = 0.5;                 // nothing above the threshold: empty set
        List<TreeSet<Integer>> sets = StketBatch.contactSets(probs, 0.8);
        assertEquals(new TreeSet<>(List.of(8)), sets.get(0));
        assertEquals(new TreeSet<>(List.of(5, 12)), sets.get(1));
        assertTrue(sets.get(2).isEmpty());

        // two frames, one cup pair each: window 0 holds frame 0 (initial prior) and frame 1 (initial prior)
        // three frames: window 1's frame-1 row takes the transition prior of the pair's set
        StketVideo v = new StketVideo(QUICK, new int[][] {{5}, {5}, {5}}, 3);
        double[][] p3 = new double[3][17];
        p3[1][5] = 0.9;
        p3[1][12] = 0.95;
        Map<String, INDArray> m = StketBatch.build(v.inputs, QUICK, p3, org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        INDArray spec = m.get(StketBatch.WIN_PRIOR_SPECIFIC);
        INDArray init = m.get(StketBatch.WIN_PRIOR_INITIAL);
        assertEquals(4, spec.rows());     // rows: w0 f0, w0 f1, w1 f1, w1 f2
        for (int r : new int[] {0, 1, 3}) {
            assertEquals(1.0, init.getDouble(r, 5), 0);
            assertEquals(0.0, spec.getRow(r).sumNumber().doubleValue(), 0);
        }
        assertEquals(0.5, spec.getDouble(2, 5 * 17 + 5), 0);
        assertEquals(0.5, spec.getDouble(2, 5 * 17 + 12), 0);
        assertEquals(0.0, init.getRow(2).sumNumber().doubleValue(), 0);
        // the pair prior (prior-loss input) reads the previous frame's set: pair 2 (frame 2) uses pair 1's
        INDArray pairSpec = m.get(StketBatch.PAIR_PRIOR_SPECIFIC);
        assertEquals(0.5, pairSpec.getDouble(2, 5 * 17 + 12), 0);
        // pair 1 reads pair 0's set, which is empty: initial prior
        assertEquals(1.0, m.get(StketBatch.PAIR_PRIOR_INITIAL).getDouble(1, 5), 0);
    }

    @Test
    void forwardGivesThreeHeadsAndTheChosenOneUnderTheStandardNames() {
        StketModel model = StketModel.build(QUICK, Mode.PREDCLS, 3);
        StketVideo v = new StketVideo(QUICK, VIDEO, 4);
        Map<String, INDArray> out = model.forward(v.inputs);
        for (String h : StketModel.HEADS) {
            assertArrayEquals(new long[] {6, 3}, out.get(StketModel.output(h, "attention")).shape());
            assertArrayEquals(new long[] {6, 6}, out.get(StketModel.output(h, "spatial")).shape());
            assertArrayEquals(new long[] {6, 17}, out.get(StketModel.output(h, "contacting")).shape());
        }
        assertEquals(out.get(StketModel.output("ensemble", "contacting")), out.get(SggModel.CONTACTING));
        StketModel temporal = StketModel.build(QUICK.withEvalHead(StketConfig.Head.TEMPORAL), Mode.PREDCLS, 3);
        Map<String, INDArray> t = temporal.forward(v.inputs);
        assertEquals(t.get(StketModel.output("temporal", "attention")), t.get(SggModel.ATTENTION));
        assertFalse(t.get(SggModel.ATTENTION).equalsWithEps(out.get(SggModel.ATTENTION), 1e-6));
        // zero pairs: empty outputs
        StketVideo empty = new StketVideo(QUICK, new int[][] {{}}, 5);
        assertEquals(0, model.forward(empty.inputs).get(SggModel.SPATIAL).rows());
        assertTrue(model.parameterCount() > 0);
    }

    @Test
    void countedPriorsSteerTheOutputsAndTheSwitchTurnsThemOff() {
        StketVideo v = new StketVideo(QUICK, VIDEO, 6);
        StketModel with = StketModel.build(QUICK, Mode.PREDCLS, 7);
        INDArray zeroPriors = with.forward(v.inputs).get(StketModel.output("spatial", "contacting"));
        with.installPriors(handPriors(1.0));
        INDArray counted = with.forward(v.inputs).get(StketModel.output("spatial", "contacting"));
        assertFalse(zeroPriors.equalsWithEps(counted, 1e-6), "the spatial prior changes the encoder");
        INDArray ensWith = with.forward(v.inputs).get(SggModel.ATTENTION);

        StketModel off = StketModel.build(QUICK.withPriors(false, false), Mode.PREDCLS, 7);
        off.installPriors(handPriors(1.0));
        INDArray ensOff = off.forward(v.inputs).get(SggModel.ATTENTION);
        assertFalse(ensWith.equalsWithEps(ensOff, 1e-6));
        // switched off, the priors' values do not matter
        off.graph().getVariable(StketModel.SPATIAL_INITIAL).getArr().muli(5);
        off.graph().getVariable(StketModel.TEMPORAL_SPECIFIC).getArr().muli(5);
        assertTrue(ensOff.equalsWithEps(off.forward(v.inputs).get(SggModel.ATTENTION), 1e-6));

        // only the temporal prior: the spatial head is untouched by its values, the temporal head is not
        StketModel tOnly = StketModel.build(QUICK.withPriors(false, true), Mode.PREDCLS, 7);
        tOnly.installPriors(handPriors(1.0));
        Map<String, INDArray> a = tOnly.forward(v.inputs);
        tOnly.graph().getVariable(StketModel.TEMPORAL_SPECIFIC).getArr().muli(3);
        tOnly.graph().getVariable(StketModel.TEMPORAL_INITIAL).getArr().muli(3);
        Map<String, INDArray> b = tOnly.forward(v.inputs);
        assertTrue(a.get(StketModel.output("spatial", "attention"))
                .equalsWithEps(b.get(StketModel.output("spatial", "attention")), 1e-6));
        assertFalse(a.get(StketModel.output("temporal", "attention"))
                .equalsWithEps(b.get(StketModel.output("temporal", "attention")), 1e-6));
    }

    @Test
    void fewAdamStepsReduceEveryHeadsLossAndTrainThePriors() {
        Nd4j.getRandom().setSeed(11);
        StketModel model = StketModel.build(QUICK, Mode.SGCLS, 3);
        model.installPriors(handPriors(1.0));
        StketVideo v = new StketVideo(QUICK, VIDEO, 5);
        Map<String, Double> before = model.evaluateLoss(v.inputs, v.targets);
        assertTrue(before.keySet().containsAll(List.of("spatial_attention_loss", "temporal_contacting_loss",
                "ensemble_spatial_loss", "spatial_prior_attention_loss", "temporal_prior_contacting_loss",
                StketModel.OBJECT_LOSS)), before.keySet().toString());
        INDArray priorBefore = model.graph().getVariable(StketModel.TEMPORAL_SPECIFIC).getArr().dup();
        AdamW opt = model.newOptimizer(2e-3);
        for (int i = 0; i < 4; i++) {
            assertTrue(Double.isFinite(model.trainStep(List.of(v.inputs), List.of(v.targets), opt)));
        }
        Map<String, Double> after = model.evaluateLoss(v.inputs, v.targets);
        assertTrue(after.get(SggModel.LOSS) < before.get(SggModel.LOSS) - 0.1, before + " -> " + after);
        for (String h : StketModel.HEADS) {
            assertTrue(after.get(h + "_attention_loss") < before.get(h + "_attention_loss"), h);
        }
        assertFalse(priorBefore.equalsWithEps(model.graph().getVariable(StketModel.TEMPORAL_SPECIFIC).getArr(), 0));
    }

    @Test
    void stateRoundTripCarriesPriorsAndResumedCountsDoNotOverwriteTrainedPriors() {
        StketVideo v = new StketVideo(QUICK, VIDEO, 8);
        StketModel a = StketModel.build(QUICK, Mode.PREDCLS, 1);
        assertFalse(a.priorsCounted());
        a.installPriors(handPriors(1.0));
        assertTrue(a.priorsCounted());
        // pretend training moved the prior parameter
        a.graph().getVariable(StketModel.SPATIAL_INITIAL).getArr().addi(0.25);
        Map<String, INDArray> state = new LinkedHashMap<>();
        a.state().forEach((k, x) -> state.put(k, x.dup()));
        assertTrue(state.containsKey(StketModel.COUNTED_SPECIFIC) && state.containsKey(StketModel.COUNTED_FLAG));

        StketModel b = StketModel.build(QUICK, Mode.PREDCLS, 99);
        b.loadState(state, "ck");
        assertTrue(b.priorsCounted());
        b.installPriors(handPriors(1.0));          // what beforeTraining does on resume
        assertEquals(a.graph().getVariable(StketModel.SPATIAL_INITIAL).getArr(),
                b.graph().getVariable(StketModel.SPATIAL_INITIAL).getArr());
        assertTrue(a.forward(v.inputs).get(SggModel.ATTENTION).equalsWithEps(b.forward(v.inputs).get(SggModel.ATTENTION),
                1e-6));

        state.remove(StketModel.COUNTED_INITIAL);
        KitException e = assertThrows(KitException.class, () -> b.loadState(state, "ck.npz"));
        assertTrue(e.getMessage().contains(StketModel.COUNTED_INITIAL), e.getMessage());
    }

    @Test
    void configValidation() {
        assertThrows(KitException.class, () -> new StketConfig(32, 16, 8, 16, 8, 64, 4, 32, 0, 1, 2, 4, 0.0, 37, 16,
                16, 3, 6, 17, org.m3sgg.models.relation.RelationLoss.BCE, true, true, true, 0.8,
                StketConfig.Head.ENSEMBLE, 0.001));
        KitException e = assertThrows(KitException.class, () -> new StketConfig(32, 16, 8, 16, 8, 64, 4, 32, 1, 1, 2,
                4, 0.0, 37, 16, 16, 3, 6, 17, org.m3sgg.models.relation.RelationLoss.BCE, true, true, true,
                1.0, StketConfig.Head.ENSEMBLE, 0.001));
        assertTrue(e.getMessage().contains("contact_threshold"), e.getMessage());
        KitException w = assertThrows(KitException.class, () -> new StketConfig(32, 16, 8, 16, 8, 65, 4, 32, 1, 1, 2,
                4, 0.0, 37, 16, 16, 3, 6, 17, org.m3sgg.models.relation.RelationLoss.BCE, true, true, true,
                0.8, StketConfig.Head.ENSEMBLE, 0.001));
        assertTrue(w.getMessage().startsWith("stket config"), w.getMessage());
    }
}
