package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.FramePrediction;

class PredictedGraphTest {

    /** Person (node 0) and a cup (node 1), one pair person -> cup. */
    private static FramePrediction onePair() {
        double[] spatial = {0.1, 0.2, 0.05, 0.9, 0.3, 0.0};              // best: spatial 3
        double[] contacting = new double[17];
        contacting[4] = 0.6;                                              // best: contacting 4
        contacting[10] = 0.5;
        return new FramePrediction(new double[][] {{0, 0, 10, 20}, {5, 5, 8, 9}}, new int[] {Vocabulary.PERSON, 7},
                new double[] {1, 0.8}, new int[][] {{0, 1}}, new double[][] {{0.1, 0.7, 0.2}},
                new double[][] {spatial}, new double[][] {contacting});
    }

    @Test
    void withConstraintKeepsEachGroupsBestPredicateInTheEvaluatorsDirection() {
        PredictedGraph g = PredictedGraph.of(onePair(), Constraint.WITH);
        assertEquals(2, g.size());
        assertEquals(7, g.label(1));
        assertEquals(0.8, g.score(1));
        assertEquals(List.of(new PredictedGraph.Edge(0, 1, 1, 0.7),
                new PredictedGraph.Edge(1, 0, Vocabulary.SPATIAL_OFFSET + 3, 0.9),
                new PredictedGraph.Edge(0, 1, Vocabulary.CONTACTING_OFFSET + 4, 0.6)), g.edges());
    }

    @Test
    void withoutConstraintEveryPredicateIsAnEdgeAndTopKRanksByTripletScore() {
        PredictedGraph g = PredictedGraph.of(onePair(), Constraint.NO);
        assertEquals(Vocabulary.NUM_PREDICATES, g.edges().size());
        // triplet score = 1 x 0.8 x predicate probability: spatial 3 (0.9), attention 1 (0.7), contacting 4 (0.6)
        List<Integer> top = g.topK(3).edges().stream().map(PredictedGraph.Edge::predicate).toList();
        assertEquals(List.of(Vocabulary.SPATIAL_OFFSET + 3, 1, Vocabulary.CONTACTING_OFFSET + 4), top);
    }
}
