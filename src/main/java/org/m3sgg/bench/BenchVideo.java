package org.m3sgg.bench;

import java.util.Random;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.sttran.SttranConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded random video with the sizes of a {@link BenchShape}: per frame one person (box first) and one object
 * per pair, random features, union features and masks, random targets. Only sizes matter for timing; the values
 * are drawn so that nothing degenerates (no all-zero rows, some multi-label targets).
 */
public final class BenchVideo {

    private BenchVideo() {}

    public record Video(RelationInputs inputs, RelationTargets targets) {}

    public static Video of(SttranConfig cfg, BenchShape shape, long seed) {
        Random r = new Random(seed);
        int n = shape.boxes();
        int p = shape.pairs();
        double[][] boxes = new double[n][];
        int[] boxFrame = new int[n];
        int[] labels = new int[n];
        int[][] pairs = new int[p][];
        int[] pairFrame = new int[p];
        int box = 0;
        int pair = 0;
        int[] perFrame = shape.perFrame();
        for (int f = 0; f < perFrame.length; f++) {
            int person = box;
            boxes[box] = box(r);
            boxFrame[box] = f;
            labels[box++] = 1;
            for (int o = 0; o < perFrame[f]; o++) {
                pairs[pair] = new int[] {person, box};
                pairFrame[pair++] = f;
                boxes[box] = box(r);
                boxFrame[box] = f;
                labels[box++] = 2 + r.nextInt(cfg.objectClasses() - 2);
            }
        }
        Nd4j.getRandom().setSeed(seed);
        INDArray dist = Nd4j.rand(DataType.FLOAT, n, cfg.objectClasses() - 1);
        dist.diviColumnVector(dist.sum(1));
        RelationInputs in = new RelationInputs(Nd4j.rand(DataType.FLOAT, n, cfg.feature()), boxes, boxFrame, labels,
                pairs, pairFrame, Nd4j.randn(DataType.FLOAT, p, cfg.unionIn(), 7, 7),
                Nd4j.rand(DataType.FLOAT, p, 2, 27, 27).subi(0.5), dist);
        int[] att = new int[p];
        int[][] sp = new int[p][];
        int[][] co = new int[p][];
        for (int i = 0; i < p; i++) {
            att[i] = r.nextInt(cfg.attentionClasses());
            sp[i] = new int[] {r.nextInt(cfg.spatialClasses())};
            co[i] = r.nextBoolean() ? new int[] {r.nextInt(cfg.contactingClasses())} : new int[] {0, 1};
        }
        return new Video(in, new RelationTargets(att, sp, co, labels.clone()));
    }

    private static double[] box(Random r) {
        double x = r.nextDouble() * 300;
        double y = r.nextDouble() * 200;
        return new double[] {x, y, x + 10 + r.nextDouble() * 100, y + 10 + r.nextDouble() * 80};
    }
}
