package org.m3sgg.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.Linear;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class PairModelTest {

    /** The notebook's model: an MLP over subject, object, union, masks, class one-hots and the frame index. */
    record MlpConfig(int feature, int unionIn, int hidden) implements PairModel.Widths {}

    static final class PairMlp extends PairModel<MlpConfig> {
        PairMlp(MlpConfig c, Mode mode, long seed) {
            super("pair-mlp-test", c, mode, seed);
        }

        @Override
        protected Logits logits(Pair p) {
            MlpConfig c = config();
            SDVariable x = graph().concat(1, p.subject(), p.object(), p.union(), p.masks(), p.subjectClass(),
                    p.objectClass(), p.frame());
            int in = 2 * c.feature() + c.unionIn() + MASK_WIDTH + 2 * OBJECT_CLASSES + 1;
            SDVariable h = graph().nn().relu(new Linear(scope(), "mlp.0", in, c.hidden()).apply(x), 0);
            return heads(h, c.hidden());
        }
    }

    static final MlpConfig CFG = new MlpConfig(16, 4, 32);

    /** A random PredCLS video: per frame a person (box first) with some objects. */
    static RelationInputs video(int[] objectsPerFrame, long seed) {
        Random r = new Random(seed);
        int n = 0;
        int p = 0;
        for (int k : objectsPerFrame) {
            n += 1 + k;
            p += k;
        }
        double[][] boxes = new double[n][];
        int[] boxFrame = new int[n];
        int[] labels = new int[n];
        int[][] pairs = new int[p][];
        int[] pairFrame = new int[p];
        int b = 0;
        int q = 0;
        for (int f = 0; f < objectsPerFrame.length; f++) {
            int person = b;
            boxes[b] = new double[] {0, 0, 50, 80};
            boxFrame[b] = f;
            labels[b++] = 1;
            for (int o = 0; o < objectsPerFrame[f]; o++) {
                pairs[q] = new int[] {person, b};
                pairFrame[q++] = f;
                boxes[b] = new double[] {10, 10, 30 + r.nextInt(20), 40};
                boxFrame[b] = f;
                labels[b++] = 2 + r.nextInt(35);
            }
        }
        Nd4j.getRandom().setSeed(seed);
        return new RelationInputs(Nd4j.rand(DataType.FLOAT, n, CFG.feature()), boxes, boxFrame, labels, pairs,
                pairFrame, Nd4j.randn(DataType.FLOAT, p, CFG.unionIn(), 7, 7),
                Nd4j.rand(DataType.FLOAT, p, 2, 27, 27).subi(0.5), null);
    }

    static RelationTargets targets(int p, long seed) {
        Random r = new Random(seed);
        int[] att = new int[p];
        int[][] sp = new int[p][];
        int[][] co = new int[p][];
        for (int i = 0; i < p; i++) {
            att[i] = r.nextInt(3);
            sp[i] = new int[] {r.nextInt(6)};
            co[i] = r.nextBoolean() ? new int[] {r.nextInt(17)} : new int[] {3, 8};
        }
        return new RelationTargets(att, sp, co, null);
    }

    @Test
    void outputsHaveTheShapesSggModelPromises() {
        PairMlp m = new PairMlp(CFG, Mode.PREDCLS, 1);
        RelationInputs in = video(new int[] {2, 3, 1}, 3);
        Map<String, INDArray> out = m.forward(in);
        assertArrayEquals(new long[] {6, 3}, out.get(SggModel.ATTENTION).shape());
        assertArrayEquals(new long[] {6, 6}, out.get(SggModel.SPATIAL).shape());
        assertArrayEquals(new long[] {6, 17}, out.get(SggModel.CONTACTING).shape());
        // sigmoid probabilities
        assertTrue(out.get(SggModel.SPATIAL).minNumber().doubleValue() > 0);
        assertTrue(out.get(SggModel.CONTACTING).maxNumber().doubleValue() < 1);
        int in0 = 2 * 16 + 4 + PairModel.MASK_WIDTH + 2 * 37 + 1;
        assertEquals((long) in0 * 32 + 32 + 33 * 3 + 33 * 6 + 33 * 17, m.parameterCount());
        Map<String, INDArray> empty = m.forward(in.withPairs(in.labels(), new int[0][], new int[0],
                Nd4j.zeros(DataType.FLOAT, 0, 4, 7, 7), Nd4j.zeros(DataType.FLOAT, 0, 2, 27, 27)));
        assertArrayEquals(new long[] {0, 17}, empty.get(SggModel.CONTACTING).shape());
    }

    @Test
    void aPairsOutputDependsOnItsOwnBoxesOnly() {
        PairMlp m = new PairMlp(CFG, Mode.PREDCLS, 1);
        RelationInputs in = video(new int[] {2, 3}, 4);
        INDArray before = m.forward(in).get(SggModel.ATTENTION).dup();
        INDArray feats = in.features().dup();
        feats.getRow(4).addi(1.0);   // box 4 is the object of pair 3 only (boxes: 0 p, 1, 2, 3 p, 4, 5, 6)
        RelationInputs changed = new RelationInputs(feats, in.boxes(), in.boxFrame(), in.labels(), in.pairs(),
                in.pairFrame(), in.unionFeatures(), in.spatialMasks(), null);
        INDArray after = m.forward(changed).get(SggModel.ATTENTION);
        for (int i = 0; i < 5; i++) {
            if (i == 2) {
                assertNotEquals(before.getRow(i), after.getRow(i));
            } else {
                assertEquals(before.getRow(i), after.getRow(i));
            }
        }
    }

    @Test
    void lossesAreSttransAndTrainingReducesThem() {
        PairMlp m = new PairMlp(CFG, Mode.PREDCLS, 2);
        RelationInputs a = video(new int[] {2, 3, 1}, 5);
        RelationTargets ta = targets(a.numPairs(), 6);
        RelationInputs b = video(new int[] {1, 2}, 7);
        RelationTargets tb = targets(b.numPairs(), 8);
        Map<String, Double> l = m.evaluateLoss(a, ta);
        assertEquals(l.get(SggModel.LOSS), l.get(PairModel.ATTENTION_LOSS) + l.get(PairModel.SPATIAL_LOSS)
                + l.get(PairModel.CONTACTING_LOSS), 1e-5);
        // attention cross-entropy recomputed on the host from the forward logits
        INDArray logits = m.forward(a).get(SggModel.ATTENTION);
        double ce = 0;
        for (int i = 0; i < a.numPairs(); i++) {
            double max = logits.getRow(i).maxNumber().doubleValue();
            double z = 0;
            for (int k = 0; k < 3; k++) {
                z += Math.exp(logits.getDouble(i, k) - max);
            }
            ce -= logits.getDouble(i, ta.attention()[i]) - max - Math.log(z);
        }
        assertEquals(ce / a.numPairs(), l.get(PairModel.ATTENTION_LOSS), 1e-5);
        // spatial margin loss recomputed: sum over (target j, non-target i) of max(0, 1 - (x_j - x_i)) / C
        INDArray sp = m.forward(a).get(SggModel.SPATIAL);
        double margin = 0;
        for (int row = 0; row < a.numPairs(); row++) {
            int j = ta.spatial()[row][0];
            for (int i = 0; i < 6; i++) {
                if (i != j) {
                    margin += Math.max(0, 1 - (sp.getDouble(row, j) - sp.getDouble(row, i))) / 6;
                }
            }
        }
        assertEquals(margin / a.numPairs(), l.get(PairModel.SPATIAL_LOSS), 1e-5);

        double before = l.get(SggModel.LOSS) + m.evaluateLoss(b, tb).get(SggModel.LOSS);
        AdamW opt = m.newOptimizer(3e-3);
        for (int i = 0; i < 10; i++) {
            assertTrue(Double.isFinite(m.trainStep(List.of(a, b), List.of(ta, tb), opt)));
        }
        double after = m.evaluateLoss(a, ta).get(SggModel.LOSS) + m.evaluateLoss(b, tb).get(SggModel.LOSS);
        assertTrue(after < 0.8 * before, before + " -> " + after);
    }

    @Test
    void stateRoundTripsAndIsStrict() {
        PairMlp m = new PairMlp(CFG, Mode.PREDCLS, 1);
        PairMlp other = new PairMlp(CFG, Mode.PREDCLS, 99);
        RelationInputs in = video(new int[] {2, 2}, 3);
        assertNotEquals(m.forward(in).get(SggModel.SPATIAL), other.forward(in).get(SggModel.SPATIAL));
        Map<String, INDArray> copy = new LinkedHashMap<>();
        m.state().forEach((k, v) -> copy.put(k, v.dup()));
        assertTrue(copy.containsKey("mlp.0.weight") && copy.containsKey("c_rel_compress.bias"), copy.keySet().toString());
        other.loadState(copy, "test");
        assertEquals(m.forward(in).get(SggModel.SPATIAL), other.forward(in).get(SggModel.SPATIAL));
        copy.put("extra", Nd4j.zeros(1));
        assertThrows(KitException.class, () -> other.loadState(copy, "test"));
        PairMlp wider = new PairMlp(new MlpConfig(16, 4, 48), Mode.PREDCLS, 1);
        copy.remove("extra");
        KitException e = assertThrows(KitException.class, () -> wider.loadState(copy, "ckpt"));
        assertTrue(e.getMessage().contains("mlp.0.weight"), e.getMessage());
    }

    @Test
    void otherModesAndWrongWidthsAreClearErrors() {
        KitException e = assertThrows(KitException.class, () -> new PairMlp(CFG, Mode.SGCLS, 1));
        assertTrue(e.getMessage().contains("PredCLS"), e.getMessage());
        PairMlp m = new PairMlp(new MlpConfig(8, 4, 16), Mode.PREDCLS, 1);
        e = assertThrows(KitException.class, () -> m.forward(video(new int[] {1}, 1)));
        assertTrue(e.getMessage().contains("feature"), e.getMessage());
    }
}
