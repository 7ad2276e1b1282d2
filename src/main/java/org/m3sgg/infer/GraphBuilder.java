package org.m3sgg.infer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.models.SggModel;
import org.m3sgg.report.PredictedGraph;
import org.m3sgg.sgdet.TestEntry;
import org.m3sgg.train.Inference;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-frame scene graphs from the SGDET test entry of a window of frames and the relation model's outputs on it.
 * Attention logits become probabilities (softmax per pair, double precision); spatial and contacting rows are the
 * model's sigmoids; triplets are those the evaluator ranks with the constraint ({@link PredictedGraph#of} with
 * {@link Constraint#WITH}), the best {@code topK} by triplet score.
 */
public final class GraphBuilder {

    private GraphBuilder() {}

    /**
     * @param entry   the pipeline's test entry of the window (frame t of the entry = {@code index[t]})
     * @param outputs the model's relation outputs on the entry's pairs (null when it has none)
     * @param index   each window frame's number in its source
     * @param names   each window frame's name
     */
    public static List<SceneGraph> build(TestEntry entry, Map<String, INDArray> outputs, int[] index,
            String[] names, int topK) {
        int pairs = entry.pairs().length;
        double[][] att = rows(outputs, SggModel.ATTENTION, pairs);
        double[][] spa = rows(outputs, SggModel.SPATIAL, pairs);
        double[][] con = rows(outputs, SggModel.CONTACTING, pairs);
        for (double[] r : att) {
            Inference.softmaxInPlace(r);
        }
        List<SceneGraph> out = new ArrayList<>();
        int[] start = entry.frameStart();
        for (int t = 0; t < index.length; t++) {
            int from = start[t];
            int n = start[t + 1] - from;
            List<SceneGraph.Node> nodes = new ArrayList<>();
            double[][] boxes = new double[n][];
            int[] labels = new int[n];
            double[] scores = new double[n];
            for (int i = 0; i < n; i++) {
                float[] b = entry.boxes()[from + i];
                boxes[i] = new double[] {b[1], b[2], b[3], b[4]};
                labels[i] = entry.labels()[from + i];
                scores[i] = entry.scores()[from + i];
                nodes.add(new SceneGraph.Node(i, labels[i], Vocabulary.OBJECT_CLASSES.get(labels[i]), scores[i],
                        boxes[i]));
            }
            List<int[]> fp = new ArrayList<>();
            List<SceneGraph.Pair> pl = new ArrayList<>();
            List<double[]> a = new ArrayList<>();
            List<double[]> s = new ArrayList<>();
            List<double[]> c = new ArrayList<>();
            for (int k = 0; k < pairs; k++) {
                if (entry.imIdx()[k] != t) {
                    continue;
                }
                int[] p = {entry.pairs()[k][0] - from, entry.pairs()[k][1] - from};
                fp.add(p);
                a.add(att[k]);
                s.add(spa[k]);
                c.add(con[k]);
                pl.add(new SceneGraph.Pair(p[0], p[1], att[k], spa[k], con[k]));
            }
            FramePrediction pred = new FramePrediction(boxes, labels, scores, fp.toArray(new int[0][]),
                    a.toArray(new double[0][]), s.toArray(new double[0][]), c.toArray(new double[0][]));
            PredictedGraph g = PredictedGraph.of(pred, Constraint.WITH).topK(topK);
            List<SceneGraph.Triplet> triplets = new ArrayList<>();
            for (PredictedGraph.Edge e : g.edges()) {
                triplets.add(new SceneGraph.Triplet(e.subject(), Vocabulary.PREDICATES.get(e.predicate()),
                        e.object(), e.predicate(), group(e.predicate()), e.score(), g.tripletScore(e)));
            }
            out.add(new SceneGraph(index[t], names[t], nodes, pl, triplets));
        }
        return out;
    }

    /** attention, spatial or contacting. */
    static String group(int predicate) {
        return predicate < Vocabulary.SPATIAL_OFFSET ? "attention"
                : predicate < Vocabulary.CONTACTING_OFFSET ? "spatial" : "contacting";
    }

    private static double[][] rows(Map<String, INDArray> outputs, String name, int rows) {
        double[][] out = new double[rows][];
        if (rows == 0) {
            return out;
        }
        INDArray d = outputs.get(name).castTo(DataType.DOUBLE);
        for (int i = 0; i < rows; i++) {
            out[i] = d.getRow(i).toDoubleVector();
        }
        return out;
    }
}
