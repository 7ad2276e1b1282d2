package org.m3sgg.infer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.report.PredictedGraph;

/**
 * The scene graph of one sampled frame of a video (format in docs/INFER.md): the objects the SGDET pipeline kept
 * (boxes in the frame's original pixels), every (person, object) pair with the relation model's scores for all 26
 * predicates, and the frame's top-K triplets.
 *
 * @param index    the frame's number in its source (0-based position in the video or in the sorted folder)
 * @param name     the frame's file name (folder) or {@code frame-NNNNNN} (video)
 * @param objects  the nodes; {@code id} = position in this list
 * @param pairs    (subject, object) node pairs with their predicate scores
 * @param triplets the top-K triplets, best first
 */
@JsonPropertyOrder({"index", "name", "objects", "pairs", "triplets"})
public record SceneGraph(
        @JsonProperty("index") int index,
        @JsonProperty("name") String name,
        @JsonProperty("objects") List<Node> objects,
        @JsonProperty("pairs") List<Pair> pairs,
        @JsonProperty("triplets") List<Triplet> triplets) {

    /**
     * One detected object.
     *
     * @param id    position in the frame's object list
     * @param label object class id 1..36 (1 = person)
     * @param name  the class name ({@link Vocabulary#OBJECT_CLASSES})
     * @param score the pipeline's score: the person probability for the frame's human, else the best non-person
     *              class probability
     * @param box   x1, y1, x2, y2 in the frame's original pixels (clamped at 0 from below only, as STTran)
     */
    @JsonPropertyOrder({"id", "label", "name", "score", "box"})
    public record Node(@JsonProperty("id") int id, @JsonProperty("label") int label,
            @JsonProperty("name") String name, @JsonProperty("score") double score,
            @JsonProperty("box") double[] box) {}

    /**
     * One (human, object) pair with the relation model's scores.
     *
     * @param attention  softmax over the 3 attention predicates
     * @param spatial    6 independent sigmoids
     * @param contacting 17 independent sigmoids
     */
    @JsonPropertyOrder({"subject", "object", "attention", "spatial", "contacting"})
    public record Pair(@JsonProperty("subject") int subject, @JsonProperty("object") int object,
            @JsonProperty("attention") double[] attention, @JsonProperty("spatial") double[] spatial,
            @JsonProperty("contacting") double[] contacting) {}

    /**
     * One triplet, subject - predicate - object, as the evaluator ranks them with the constraint (each pair's best
     * attention, best spatial and best contacting predicate; spatial triplets go object -> person, the
     * evaluator's direction).
     *
     * @param predicateId   global predicate id 0..25 ({@link Vocabulary#PREDICATES})
     * @param type          attention, spatial or contacting
     * @param score         the predicate's probability
     * @param tripletScore  subject score x object score x predicate score, the ranking key
     */
    @JsonPropertyOrder({"subject", "predicate", "object", "predicate_id", "type", "score", "triplet_score"})
    public record Triplet(@JsonProperty("subject") int subject, @JsonProperty("predicate") String predicate,
            @JsonProperty("object") int object, @JsonProperty("predicate_id") int predicateId,
            @JsonProperty("type") String type, @JsonProperty("score") double score,
            @JsonProperty("triplet_score") double tripletScore) {}

    public SceneGraph {
        objects = List.copyOf(objects);
        pairs = List.copyOf(pairs);
        triplets = List.copyOf(triplets);
        String where = "frame " + index + " (" + name + ")";
        int n = objects.size();
        for (int i = 0; i < n; i++) {
            Node o = objects.get(i);
            if (o.id() != i) {
                throw new KitException(where + ": object " + i + " has id " + o.id() + ", expected " + i);
            }
            if (o.label() < 1 || o.label() >= Vocabulary.NUM_OBJECT_CLASSES) {
                throw new KitException(where + ": object " + i + " has label " + o.label() + ", expected 1.."
                        + (Vocabulary.NUM_OBJECT_CLASSES - 1));
            }
            if (!Vocabulary.OBJECT_CLASSES.get(o.label()).equals(o.name())) {
                throw new KitException(where + ": object " + i + " is named '" + o.name() + "', label " + o.label()
                        + " is '" + Vocabulary.OBJECT_CLASSES.get(o.label()) + "'");
            }
            probability(o.score(), where + ": object " + i + " score");
            if (o.box() == null || o.box().length != 4 || !new Box(o.box()[0], o.box()[1], o.box()[2],
                    o.box()[3]).isValid()) {
                throw new KitException(where + ": object " + i + " needs a box x1, y1, x2, y2 with x2 >= x1, "
                        + "y2 >= y1");
            }
        }
        for (Pair p : pairs) {
            node(p.subject(), n, where + ": pair subject");
            node(p.object(), n, where + ": pair object");
            scores(p.attention(), Vocabulary.NUM_ATTENTION, where + ": pair attention");
            scores(p.spatial(), Vocabulary.NUM_SPATIAL, where + ": pair spatial");
            scores(p.contacting(), Vocabulary.NUM_CONTACTING, where + ": pair contacting");
        }
        for (Triplet t : triplets) {
            node(t.subject(), n, where + ": triplet subject");
            node(t.object(), n, where + ": triplet object");
            if (t.predicateId() < 0 || t.predicateId() >= Vocabulary.NUM_PREDICATES
                    || !Vocabulary.PREDICATES.get(t.predicateId()).equals(t.predicate())) {
                throw new KitException(where + ": triplet predicate '" + t.predicate() + "' with id "
                        + t.predicateId() + " is not a predicate of " + Vocabulary.PREDICATES);
            }
            if (!GraphBuilder.group(t.predicateId()).equals(t.type())) {
                throw new KitException(where + ": triplet predicate '" + t.predicate() + "' has type '" + t.type()
                        + "', expected '" + GraphBuilder.group(t.predicateId()) + "'");
            }
            probability(t.score(), where + ": triplet score");
            probability(t.tripletScore(), where + ": triplet_score");
        }
    }

    /** One line: the frame, its counts and its triplets as "subject predicate object score". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("frame " + index + " (" + name + "): " + objects.size() + " objects, "
                + pairs.size() + " pairs, " + triplets.size() + " triplets");
        String sep = ": ";
        for (Triplet t : triplets) {
            sb.append(sep).append(objects.get(t.subject()).name()).append(' ').append(t.predicate()).append(' ')
                    .append(objects.get(t.object()).name())
                    .append(String.format(java.util.Locale.ROOT, " %.2f", t.score()));
            sep = "; ";
        }
        return sb.toString();
    }

    /** The graph as the report package draws it: the nodes and the top-K triplets as edges. */
    public PredictedGraph toPredictedGraph() {
        List<Box> boxes = new ArrayList<>();
        int[] labels = new int[objects.size()];
        double[] scores = new double[objects.size()];
        for (Node o : objects) {
            boxes.add(new Box(o.box()[0], o.box()[1], o.box()[2], o.box()[3]));
            labels[o.id()] = o.label();
            scores[o.id()] = o.score();
        }
        List<PredictedGraph.Edge> edges = new ArrayList<>();
        for (Triplet t : triplets) {
            edges.add(new PredictedGraph.Edge(t.subject(), t.object(), t.predicateId(), t.score()));
        }
        return new PredictedGraph(boxes, labels, scores, edges);
    }

    private static void node(int id, int n, String what) {
        if (id < 0 || id >= n) {
            throw new KitException(what + " " + id + " is not an object id 0.." + (n - 1));
        }
    }

    private static void probability(double v, String what) {
        if (!(v >= 0 && v <= 1)) {
            throw new KitException(what + " " + v + " is outside [0, 1]");
        }
    }

    private static void scores(double[] v, int n, String what) {
        if (v == null || v.length != n) {
            throw new KitException(what + " must hold " + n + " scores");
        }
        for (double x : v) {
            probability(x, what);
        }
    }
}
