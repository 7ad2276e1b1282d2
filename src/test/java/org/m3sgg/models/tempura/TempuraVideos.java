package org.m3sgg.models.tempura;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Random videos in the PredCLS/SGCLS layout: per frame a person box first, then objects paired with it. */
final class TempuraVideos {

    final RelationInputs inputs;
    final RelationTargets targets;

    TempuraVideos(TempuraConfig cfg, int[] objectsPerFrame, long seed) {
        Random r = new Random(seed);
        Nd4j.getRandom().setSeed(seed);
        List<double[]> boxes = new ArrayList<>();
        List<Integer> frameOf = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<int[]> pairs = new ArrayList<>();
        List<Integer> pairFrame = new ArrayList<>();
        for (int f = 0; f < objectsPerFrame.length; f++) {
            int person = boxes.size();
            boxes.add(box(r));
            frameOf.add(f);
            labels.add(1);
            for (int o = 0; o < objectsPerFrame[f]; o++) {
                pairs.add(new int[] {person, boxes.size()});
                pairFrame.add(f);
                boxes.add(box(r));
                frameOf.add(f);
                labels.add(2 + r.nextInt(4));
            }
        }
        int n = boxes.size();
        int p = pairs.size();
        int[] lab = labels.stream().mapToInt(Integer::intValue).toArray();
        // a detector distribution peaked on the true class, so the OSPU's sequences are the true classes
        INDArray dist = Nd4j.rand(DataType.FLOAT, n, cfg.objectClasses() - 1).muli(0.1);
        for (int i = 0; i < n; i++) {
            dist.putScalar(i, lab[i] - 1, 1.0);
        }
        dist.diviColumnVector(dist.sum(1));
        inputs = new RelationInputs(Nd4j.rand(DataType.FLOAT, n, cfg.feature()), boxes.toArray(new double[0][]),
                frameOf.stream().mapToInt(Integer::intValue).toArray(), lab, pairs.toArray(new int[0][]),
                pairFrame.stream().mapToInt(Integer::intValue).toArray(),
                p == 0 ? Nd4j.zeros(DataType.FLOAT, 0, cfg.unionIn(), 7, 7) : Nd4j.randn(DataType.FLOAT, p, cfg.unionIn(), 7, 7), p == 0 ? Nd4j.zeros(DataType.FLOAT, 0, 2, 27, 27) : Nd4j.rand(DataType.FLOAT, p, 2, 27, 27).subi(0.5),
                dist);
        int[] att = new int[p];
        int[][] sp = new int[p][];
        int[][] co = new int[p][];
        for (int i = 0; i < p; i++) {
            att[i] = r.nextInt(3);
            sp[i] = new int[] {r.nextInt(6)};
            co[i] = r.nextBoolean() ? new int[] {r.nextInt(17)} : new int[] {3, 8};
        }
        targets = new RelationTargets(att, sp, co, lab);
    }

    private static double[] box(Random r) {
        double x = r.nextDouble() * 200;
        double y = r.nextDouble() * 150;
        return new double[] {x, y, x + 20 + r.nextDouble() * 100, y + 20 + r.nextDouble() * 80};
    }
}
