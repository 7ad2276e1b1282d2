package org.m3sgg.models.dsgdetr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.data.Mode;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.SinusoidalPositions;
import org.m3sgg.nn.TransformerEncoderLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.validation.GradCheckUtil;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DsgDetrModelTest {

    private static final DsgDetrConfig TINY = DsgDetrConfig.tiny();

    /**
     * Per frame: a person (label 1) and the objects listed for that frame (labels); the same label is the same
     * object, with a stable feature direction plus noise, so the SGCLS tracker follows it.
     */
    static RelationInputs video(DsgDetrConfig cfg, int[][] objects, long seed, RelationTargets[] targets) {
        Random r = new Random(seed);
        List<double[]> boxes = new ArrayList<>();
        List<Integer> frame = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<int[]> pairs = new ArrayList<>();
        List<Integer> pairFrame = new ArrayList<>();
        for (int f = 0; f < objects.length; f++) {
            int person = boxes.size();
            boxes.add(new double[] {100 + f, 40, 180 + f, 200});
            frame.add(f);
            labels.add(1);
            for (int label : objects[f]) {
                pairs.add(new int[] {person, boxes.size()});
                pairFrame.add(f);
                boxes.add(new double[] {10 * label + 2 * f, 120, 10 * label + 2 * f + 30, 150});
                frame.add(f);
                labels.add(label);
            }
        }
        int n = boxes.size();
        int p = pairs.size();
        double[][] feat = new double[n][cfg.feature()];
        double[][] dist = new double[n][cfg.objectClasses() - 1];
        for (int i = 0; i < n; i++) {
            int l = labels.get(i);
            for (int k = 0; k < cfg.feature(); k++) {
                feat[i][k] = 0.1 * r.nextGaussian() + ((k % 7 == l % 7) ? 1.0 : 0.0) + 0.01 * l;
            }
            dist[i][l - 1] = 0.7;
            dist[i][l % (cfg.objectClasses() - 1)] += 0.3;
        }
        int[] lab = labels.stream().mapToInt(Integer::intValue).toArray();
        if (targets != null) {
            int[] att = new int[p];
            int[][] sp = new int[p][];
            int[][] co = new int[p][];
            for (int i = 0; i < p; i++) {
                int l = lab[pairs.get(i)[1]];
                att[i] = l % 3;
                sp[i] = new int[] {l % 6};
                co[i] = new int[] {l % 17, (l + 5) % 17};
            }
            targets[0] = new RelationTargets(att, sp, co, lab.clone());
        }
        return new RelationInputs(Nd4j.createFromArray(feat).castTo(DataType.FLOAT), boxes.toArray(new double[0][]),
                frame.stream().mapToInt(Integer::intValue).toArray(), lab, pairs.toArray(new int[0][]),
                pairFrame.stream().mapToInt(Integer::intValue).toArray(),
                Nd4j.randn(new Random(seed).nextLong(), new long[] {p, cfg.unionIn(), 7, 7}).castTo(DataType.FLOAT),
                Nd4j.rand(DataType.FLOAT, p, 2, 27, 27).subi(0.5), Nd4j.createFromArray(dist).castTo(DataType.FLOAT));
    }

    private static final int[][] FOUR_FRAMES = {{3, 5}, {3, 5, 9}, {3, 9}, {3, 5}};

    @Test
    void outputsHaveTheContractShapesInBothModes() {
        RelationInputs in = video(TINY, FOUR_FRAMES, 1, null);
        for (Mode mode : new Mode[] {Mode.PREDCLS, Mode.SGCLS}) {
            DsgDetrModel m = DsgDetrModel.build(TINY, mode, 3);
            Map<String, INDArray> out = m.forward(in);
            assertArrayEquals(new long[] {9, 3}, out.get(SggModel.ATTENTION).shape());
            assertArrayEquals(new long[] {9, 6}, out.get(SggModel.SPATIAL).shape());
            assertArrayEquals(new long[] {9, 17}, out.get(SggModel.CONTACTING).shape());
            assertArrayEquals(new long[] {13, TINY.objectWidth()}, m.refinedObjects(in).shape());
            if (mode == Mode.SGCLS) {
                assertArrayEquals(new long[] {13, 37}, out.get(SggModel.OBJECT_LOGITS).shape());
            } else {
                assertFalse(out.containsKey(SggModel.OBJECT_LOGITS));
                assertTrue(m.trainableParameters().stream().noneMatch(s -> s.startsWith(DsgDetrModel.CLASSIFIER_HEAD)));
            }
        }
    }

    @Test
    void sgdetTracksGroupBoxesByTheDetectorsArgmaxWithFramePositions() {
        RelationInputs in = video(TINY, FOUR_FRAMES, 2, null);
        DsgDetrModel m = DsgDetrModel.build(TINY, Mode.SGDET, 1);
        int[] argmax = DsgDetrModel.argmaxLabels(in.distribution());
        for (int[] track : m.tracks(in)) {
            for (int b : track) {
                assertEquals(argmax[track[0]], argmax[b]);
            }
        }
        Map<String, INDArray> out = m.forward(in);
        assertEquals(in.numPairs(), out.get(SggModel.ATTENTION).size(0));
        // pairs or boxes of one frame share a position; the next frame of the group is the next position
        assertArrayEquals(new int[] {0, 0, 1, 0, 2, 1}, DsgDetrModel.frameRanksInGroup(new int[] {7, 7, 7, 3, 7, 3},
                new int[] {0, 0, 4, 2, 9, 5}));
    }

    @Test
    void sgclsTracksFollowTheObjectsOfTheHandMadeVideo() {
        RelationInputs in = video(TINY, FOUR_FRAMES, 2, null);
        List<int[]> tracks = DsgDetrModel.build(TINY, Mode.SGCLS, 1).tracks(in);
        // the tracker sees only features, boxes and detector classes, and recovers the ground-truth identities
        List<int[]> oracle = ObjectTracker.byLabel(in.labels());
        assertEquals(oracle.size(), tracks.size());
        for (int[] o : oracle) {
            assertTrue(tracks.stream().anyMatch(t -> java.util.Arrays.equals(t, o)), java.util.Arrays.toString(o));
        }
    }

    @Test
    void objectRefinementStaysInsideATrackAndPairSequencesSpanTheVideo() {
        DsgDetrModel m = DsgDetrModel.build(TINY, Mode.PREDCLS, 5);
        RelationInputs in = video(TINY, FOUR_FRAMES, 3, null);
        INDArray base = m.refinedObjects(in);
        // boxes: f0 = 0 (person), 1 (3), 2 (5); f1 = 3, 4 (3), 5 (5), 6 (9); f2 = 7, 8 (3), 9 (9); f3 = 10, 11 (3), 12 (5)
        INDArray feat = in.features().dup();
        feat.getRow(1).addi(1.0);                                  // change the class-3 object in frame 0
        RelationInputs changed = new RelationInputs(feat, in.boxes(), in.boxFrame(), in.labels(), in.pairs(),
                in.pairFrame(), in.unionFeatures(), in.spatialMasks(), in.distribution());
        INDArray after = m.refinedObjects(changed);
        assertFalse(base.getRow(11).equalsWithEps(after.getRow(11), 1e-6), "same track, frame 3");
        for (int other : new int[] {0, 2, 5, 6, 9, 12}) {
            assertArrayEquals(base.getRow(other).toDoubleVector(), after.getRow(other).toDoubleVector(), 1e-6,
                    "box " + other + " is in another track");
        }
        // relations: the union feature of pair 0 (frame 0, object class 3) reaches the class-3 pair of frame 3
        // through the global encoder (STTran's two-frame windows would not), and not the class-9 pairs, whose
        // frames hold no class-3 change and whose sequence has no frame-0 member
        Map<String, INDArray> o1 = m.forward(in);
        INDArray union = in.unionFeatures().dup();
        union.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0)).addi(2.0);
        Map<String, INDArray> o2 = m.forward(in.withPairs(in.labels(), in.pairs(), in.pairFrame(), union,
                in.spatialMasks()));
        // pairs: f0 = 0 (3), 1 (5); f1 = 2 (3), 3 (5), 4 (9); f2 = 5 (3), 6 (9); f3 = 7 (3), 8 (5)
        INDArray a1 = o1.get(SggModel.ATTENTION);
        INDArray a2 = o2.get(SggModel.ATTENTION);
        assertFalse(a1.getRow(7).equalsWithEps(a2.getRow(7), 1e-6), "class-3 pair of frame 3");
        assertFalse(a1.getRow(8).equalsWithEps(a2.getRow(8), 1e-6), "class-5 pair of frame 3 (its f0 member saw it)");
        assertArrayEquals(a1.getRow(6).toDoubleVector(), a2.getRow(6).toDoubleVector(), 1e-6);
    }

    @Test
    void fewStepsReduceTheLossAndStateRoundTrips() {
        RelationTargets[] t = new RelationTargets[1];
        RelationInputs in = video(TINY, FOUR_FRAMES, 4, t);
        DsgDetrModel m = DsgDetrModel.build(TINY, Mode.SGCLS, 7);
        double before = m.evaluateLoss(in, t[0]).get(SggModel.LOSS);
        AdamW opt = m.newOptimizer(3e-3);
        for (int i = 0; i < 6; i++) {
            assertTrue(Double.isFinite(m.trainStep(in, t[0], opt)));
        }
        Map<String, Double> after = m.evaluateLoss(in, t[0]);
        assertTrue(after.get(SggModel.LOSS) < before - 0.1, before + " -> " + after);
        assertTrue(after.containsKey(DsgDetrModel.OBJECT_LOSS));

        DsgDetrModel copy = DsgDetrModel.build(TINY, Mode.SGCLS, 99);
        Map<String, INDArray> state = new LinkedHashMap<>();
        m.state().forEach((k, v) -> state.put(k, v.dup()));
        copy.loadState(state, "test");
        assertArrayEquals(m.forward(in).get(SggModel.CONTACTING).ravel().toDoubleVector(),
                copy.forward(in).get(SggModel.CONTACTING).ravel().toDoubleVector(), 1e-6);
        assertArrayEquals(m.objectLogits(in).ravel().toDoubleVector(), copy.objectLogits(in).ravel().toDoubleVector(), 1e-6);
        state.remove("subj_fc.bias");
        KitException e = assertThrows(KitException.class, () -> copy.loadState(state, "ck.npz"));
        assertTrue(e.getMessage().contains("subj_fc.bias"), e.getMessage());
    }

    @Test
    void configRejectsWidthsTheHeadsCannotSplit() {
        KitException e = assertThrows(KitException.class,
                () -> DsgDetrConfig.of(16, 4, 4, 8, 4, 2, 16, 1, 1, 1, 5, 16, 0.0, 8, 4));
        assertTrue(e.getMessage().contains("object_heads 5"), e.getMessage());
        assertEquals(2376, DsgDetrConfig.paper().objectWidth());
        assertEquals(1936, DsgDetrConfig.paper().dModel());
    }

    @Test
    void positionEncodingMatchesTheFormula() {
        INDArray pe = SinusoidalPositions.rows(new int[] {0, 3}, 4, DataType.DOUBLE);
        assertArrayEquals(new double[] {0, 1, 0, 1}, pe.getRow(0).toDoubleVector(), 1e-12);
        assertArrayEquals(new double[] {Math.sin(3), Math.cos(3), Math.sin(3 * 0.01), Math.cos(3 * 0.01)},
                pe.getRow(1).toDoubleVector(), 1e-12);
    }

    /**
     * Float64 finite differences through a track-masked object-sequence encoder with position encodings (about a
     * minute on a shared 2-core machine, hence slow).
     */
    @Test
    @org.junit.jupiter.api.Tag("slow")
    void gradientCheckOfTheSequenceEncoder() {
        DataType oldType = Nd4j.dataType();
        DataType oldFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            SameDiff sd = SameDiff.create();
            NnScope s = new NnScope(sd, DataType.DOUBLE, 3);
            int d = 4;
            int[] track = {0, 1, 0, 0};
            int[] pos = DsgDetrModel.positionsInGroup(track);
            assertArrayEquals(new int[] {0, 0, 1, 2}, pos);
            INDArray mask = Nd4j.zeros(DataType.DOUBLE, 4, 4);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    mask.putScalar(i, j, track[i] == track[j] ? 0 : -1e9);
                }
            }
            SDVariable x = sd.var("x", s.normal(4, d));
            SDVariable h = x.add(sd.constant("pe", SinusoidalPositions.rows(pos, d, DataType.DOUBLE)));
            SDVariable m = sd.constant("mask", mask);
            h = new TransformerEncoderLayer(s, "l0", d, 2, 4, 0.0).apply(h, m);
            sd.sum("loss", h.mul(sd.constant("w", s.normal(4, d))));
            sd.setLossVariables("loss");
            org.m3sgg.nn.Quiet.createGradFunction(sd);
            assertTrue(GradCheckUtil.checkGradients(sd, null, 1e-6, 1e-5, 1e-8, false, false));
        } finally {
            Nd4j.setDefaultDataTypes(oldType, oldFloat);
        }
    }
}
