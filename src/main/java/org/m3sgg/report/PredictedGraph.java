package org.m3sgg.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.FramePrediction;

/**
 * The scene graph of one frame as the viewer draws it: boxes with labels and scores, and scored
 * subject -> object edges carrying a global predicate id. It holds a model's prediction, or the ground truth via
 * {@link #groundTruth(AgFrame)}.
 *
 * @param boxes node boxes in original pixels, {@code [N]}
 * @param labels object class id per node (1 = person), {@code [N]}
 * @param scores detection/classification score per node, {@code [N]} (1 for ground truth and PredCLS)
 * @param edges relation triplets between node indices
 */
public record PredictedGraph(List<Box> boxes, int[] labels, double[] scores, List<Edge> edges) {

    /**
     * One relation triplet.
     *
     * @param subject node index of the subject
     * @param object node index of the object
     * @param predicate global predicate id 0..25 (see {@link Vocabulary#PREDICATES})
     * @param score the predicate score (the evaluator ranks by this times both node scores)
     */
    public record Edge(int subject, int object, int predicate, double score) {}

    public PredictedGraph {
        boxes = List.copyOf(boxes);
        labels = labels.clone();
        scores = scores.clone();
        edges = List.copyOf(edges);
        int n = boxes.size();
        if (labels.length != n || scores.length != n) {
            throw new KitException("scene graph: " + n + " boxes but " + labels.length + " labels and "
                    + scores.length + " scores, expected one of each per box");
        }
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= Vocabulary.NUM_OBJECT_CLASSES) {
                throw new KitException("scene graph: node " + i + " has label " + labels[i]
                        + ", expected an object class id 0..36");
            }
        }
        for (Edge e : edges) {
            if (e.subject() < 0 || e.subject() >= n || e.object() < 0 || e.object() >= n) {
                throw new KitException("scene graph: edge " + e + " refers to a node outside 0.." + (n - 1));
            }
            if (e.predicate() < 0 || e.predicate() >= Vocabulary.NUM_PREDICATES) {
                throw new KitException("scene graph: edge " + e + " has predicate " + e.predicate()
                        + ", expected a global predicate id 0..25");
            }
        }
    }

    @Override
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public double[] scores() {
        return scores.clone();
    }

    public int size() {
        return boxes.size();
    }

    public int label(int node) {
        return labels[node];
    }

    public double score(int node) {
        return scores[node];
    }

    /**
     * The {@code k} best edges by triplet score (subject score x object score x predicate score, the evaluator's
     * ranking); ties keep input order. Nodes are kept as they are.
     */
    public PredictedGraph topK(int k) {
        if (k < 0) {
            throw new KitException("top-k must be >= 0, got " + k);
        }
        List<Edge> sorted = new ArrayList<>(edges);
        sorted.sort(Comparator.comparingDouble((Edge e) -> -tripletScore(e)));
        return new PredictedGraph(boxes, labels, scores, sorted.subList(0, Math.min(k, sorted.size())));
    }

    public double tripletScore(Edge e) {
        return scores[e.subject()] * scores[e.object()] * e.score();
    }

    /**
     * The ground truth of a frame in the evaluator's triplet form: node 0 is the person, nodes 1.. the objects in
     * annotation order; attention and contacting edges go person -> object, spatial edges object -> person (the
     * evaluator's direction). All scores are 1.
     */
    public static PredictedGraph groundTruth(AgFrame frame) {
        List<Box> boxes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        int n = frame.objects().size() + 1;
        int[] labels = new int[n];
        double[] scores = new double[n];
        boxes.add(frame.personBox());
        labels[0] = Vocabulary.PERSON;
        scores[0] = 1;
        int b = 1;
        for (AgObject o : frame.objects()) {
            boxes.add(o.box());
            labels[b] = o.label();
            scores[b] = 1;
            for (int a : o.attention()) {
                edges.add(new Edge(0, b, a, 1));
            }
            for (int s : o.spatial()) {
                edges.add(new Edge(b, 0, Vocabulary.SPATIAL_OFFSET + s, 1));
            }
            for (int c : o.contacting()) {
                edges.add(new Edge(0, b, Vocabulary.CONTACTING_OFFSET + c, 1));
            }
            b++;
        }
        return new PredictedGraph(boxes, labels, scores, edges);
    }

    /**
     * A model's prediction for one frame as the viewer draws it, with the triplets the evaluator would rank under
     * {@code constraint}: with the constraint, each pair's best attention, best spatial and best contacting
     * predicate; without it (and for {@code semi}), every predicate of every pair with its probability (the
     * viewer's top-k then keeps the best). Attention and contacting edges go subject -> object, spatial edges
     * object -> subject, the evaluator's direction.
     */
    public static PredictedGraph of(FramePrediction p, Constraint constraint) {
        List<Box> boxes = new ArrayList<>();
        for (double[] b : p.boxes()) {
            boxes.add(new Box(b[0], b[1], b[2], b[3]));
        }
        List<Edge> edges = new ArrayList<>();
        for (int k = 0; k < p.pairs().length; k++) {
            int s = p.pairs()[k][0];
            int o = p.pairs()[k][1];
            addGroup(edges, s, o, 0, p.attention()[k], constraint == Constraint.WITH);
            addGroup(edges, o, s, Vocabulary.SPATIAL_OFFSET, p.spatial()[k], constraint == Constraint.WITH);
            addGroup(edges, s, o, Vocabulary.CONTACTING_OFFSET, p.contacting()[k], constraint == Constraint.WITH);
        }
        return new PredictedGraph(boxes, p.labels(), p.scores(), edges);
    }

    /** One predicate group of a pair: its best predicate only ({@code best}), or all of them. */
    private static void addGroup(List<Edge> edges, int from, int to, int offset, double[] probs, boolean best) {
        if (best) {
            int arg = 0;
            for (int i = 1; i < probs.length; i++) {
                if (probs[i] > probs[arg]) {
                    arg = i;
                }
            }
            edges.add(new Edge(from, to, offset + arg, probs[arg]));
        } else {
            for (int i = 0; i < probs.length; i++) {
                edges.add(new Edge(from, to, offset + i, probs[i]));
            }
        }
    }

    /**
     * Whether {@code edge} of this graph matches a triplet of {@code truth}: same predicate, same subject and
     * object classes, and both boxes overlapping with IoU >= 0.5 (the evaluator's rule and +1 pixel convention).
     */
    public boolean matches(Edge edge, PredictedGraph truth) {
        for (Edge g : truth.edges) {
            if (g.predicate() == edge.predicate() && truth.labels[g.subject()] == labels[edge.subject()]
                    && truth.labels[g.object()] == labels[edge.object()]
                    && iou(truth.boxes.get(g.subject()), boxes.get(edge.subject())) >= 0.5
                    && iou(truth.boxes.get(g.object()), boxes.get(edge.object())) >= 0.5) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether this graph (a prediction) recalls the ground-truth triplet {@code truthEdge} of {@code truth}: one of
     * its edges matches it by {@link #matches}'s rule.
     */
    public boolean recalls(Edge truthEdge, PredictedGraph truth) {
        for (Edge e : edges) {
            if (e.predicate() == truthEdge.predicate() && labels[e.subject()] == truth.labels[truthEdge.subject()]
                    && labels[e.object()] == truth.labels[truthEdge.object()]
                    && iou(boxes.get(e.subject()), truth.boxes.get(truthEdge.subject())) >= 0.5
                    && iou(boxes.get(e.object()), truth.boxes.get(truthEdge.object())) >= 0.5) {
                return true;
            }
        }
        return false;
    }

    /** "subject predicate object" with class and predicate names, e.g. "person holding cup". */
    public String tripletText(Edge e) {
        return org.m3sgg.data.Vocabulary.OBJECT_CLASSES.get(labels[e.subject()]) + " "
                + org.m3sgg.data.Vocabulary.PREDICATES.get(e.predicate()) + " "
                + org.m3sgg.data.Vocabulary.OBJECT_CLASSES.get(labels[e.object()]);
    }

    /** IoU with the +1 pixel convention of the evaluator's box overlap. */
    static double iou(Box a, Box b) {
        double iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()) + 1;
        double ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()) + 1;
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        double areaA = (a.x2() - a.x1() + 1) * (a.y2() - a.y1() + 1);
        double areaB = (b.x2() - b.x1() + 1) * (b.y2() - b.y1() + 1);
        return inter / (areaA + areaB - inter);
    }
}
