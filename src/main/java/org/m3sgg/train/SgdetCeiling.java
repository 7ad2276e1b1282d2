package org.m3sgg.train;

import java.util.List;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.eval.LegacyIou;

/**
 * What SGDET can recall at most on a split, given its detections: how many ground-truth boxes the SGDET pipeline's
 * test boxes cover (IoU at least 0.5, the evaluator's +1 convention), and the share of ground-truth relations whose
 * subject and object boxes are both covered (by any box, and by a box carrying the right label). A relation outside
 * the last share cannot be recalled with constraint at any K; these are the ceilings beside the SGDET table.
 *
 * @param boxes            ground-truth boxes (persons and visible objects)
 * @param boxRecall        share of them covered by a pipeline box
 * @param labelledRecall   share covered by a pipeline box with the right label
 * @param relations        ground-truth relations (one per predicate label of each object)
 * @param relationCeiling  share whose two boxes are covered
 * @param labelledCeiling  share whose two boxes are covered by boxes with the right labels
 */
public record SgdetCeiling(int boxes, double boxRecall, double labelledRecall, int relations, double relationCeiling,
        double labelledCeiling) {

    /** The ceilings of {@code videos} (usually the test split) of an SGDET run's data. */
    public static SgdetCeiling of(RunData data, List<AgVideo> videos) {
        int boxes = 0;
        int covered = 0;
        int coveredLabelled = 0;
        int relations = 0;
        int relCovered = 0;
        int relLabelled = 0;
        for (AgVideo v : videos) {
            Collate.Video c = SgdetCollate.test(v, data.sgdetVideo(v), data.sgdet());
            for (int t = 0; t < v.frames().size(); t++) {
                AgFrame f = v.frames().get(t);
                int from = c.frameBox()[t];
                int to = c.frameBox()[t + 1];
                boolean[] person = cover(c, from, to, f.personBox().toArray(), 1);
                boxes++;
                covered += person[0] ? 1 : 0;
                coveredLabelled += person[1] ? 1 : 0;
                for (AgObject o : f.objects()) {
                    boolean[] obj = cover(c, from, to, o.box().toArray(), o.label());
                    boxes++;
                    covered += obj[0] ? 1 : 0;
                    coveredLabelled += obj[1] ? 1 : 0;
                    int rels = o.attention().length + o.spatial().length + o.contacting().length;
                    relations += rels;
                    relCovered += person[0] && obj[0] ? rels : 0;
                    relLabelled += person[1] && obj[1] ? rels : 0;
                }
            }
        }
        return new SgdetCeiling(boxes, share(covered, boxes), share(coveredLabelled, boxes), relations,
                share(relCovered, relations), share(relLabelled, relations));
    }

    /** {covered by some box, covered by a box with {@code label}}. */
    private static boolean[] cover(Collate.Video c, int from, int to, double[] gt, int label) {
        boolean any = false;
        boolean labelled = false;
        for (int i = from; i < to; i++) {
            if (LegacyIou.iou(c.inputs().boxes()[i], gt) >= 0.5) {
                any = true;
                labelled |= c.inputs().labels()[i] == label;
            }
        }
        return new boolean[] {any, labelled};
    }

    private static double share(int a, int b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
