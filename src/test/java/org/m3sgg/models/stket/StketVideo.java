package org.m3sgg.models.stket;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** A random video: per frame one person and objects whose classes come from a small set, so classes recur. */
final class StketVideo {

    final RelationInputs inputs;
    final RelationTargets targets;

    /** {@code classesPerFrame[f]} lists the object classes of frame f, in pair order. */
    StketVideo(StketConfig cfg, int[][] classesPerFrame, long seed) {
        Random r = new Random(seed);
        List<double[]> boxes = new ArrayList<>();
        List<Integer> boxFrame = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<int[]> pairs = new ArrayList<>();
        List<Integer> pairFrame = new ArrayList<>();
        for (int f = 0; f < classesPerFrame.length; f++) {
            int person = boxes.size();
            boxes.add(box(r));
            boxFrame.add(f);
            labels.add(1);
            for (int c : classesPerFrame[f]) {
                pairs.add(new int[] {person, boxes.size()});
                pairFrame.add(f);
                boxes.add(box(r));
                boxFrame.add(f);
                labels.add(c);
            }
        }
        int n = boxes.size();
        int p = pairs.size();
        INDArray dist = Nd4j.rand(DataType.FLOAT, n, cfg.objectClasses() - 1);
        dist.diviColumnVector(dist.sum(1));
        Nd4j.getRandom().setSeed(seed);
        inputs = new RelationInputs(Nd4j.rand(DataType.FLOAT, n, cfg.feature()), boxes.toArray(new double[0][]),
                boxFrame.stream().mapToInt(Integer::intValue).toArray(),
                labels.stream().mapToInt(Integer::intValue).toArray(), pairs.toArray(new int[0][]),
                pairFrame.stream().mapToInt(Integer::intValue).toArray(),
                Nd4j.randn(DataType.FLOAT, p, cfg.unionIn(), 7, 7), p == 0 ? Nd4j.zeros(DataType.FLOAT, 0, 2, 27, 27) : Nd4j.rand(DataType.FLOAT, p, 2, 27, 27).subi(0.5),
                dist);
        int[] att = new int[p];
        int[][] sp = new int[p][];
        int[][] co = new int[p][];
        for (int i = 0; i < p; i++) {
            att[i] = r.nextInt(3);
            sp[i] = new int[] {r.nextInt(6)};
            co[i] = r.nextBoolean() ? new int[] {r.nextInt(17)} : new int[] {3, 8};
        }
        targets = new RelationTargets(att, sp, co, labels.stream().mapToInt(Integer::intValue).toArray());
    }

    private static double[] box(Random r) {
        double x = r.nextDouble() * 300;
        double y = r.nextDouble() * 200;
        return new double[] {x, y, x + 10 + r.nextDouble() * 100, y + 10 + r.nextDouble() * 80};
    }
}
