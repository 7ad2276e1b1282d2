package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;
import tech.tablesaw.api.Table;

class ResultTablesTest {

    @Test
    void recallTableHasRunsByMetricsWithCanonicalNames() {
        Table t = ResultTables.recall(Samples.results(), "with");
        assertEquals(List.of("run", "R@10", "R@20", "R@50", "mR@10", "mR@20", "mR@50"), t.columnNames());
        assertEquals(List.of("sttran", "tempura"), t.stringColumn("run").asList());
        assertEquals(0.686, t.doubleColumn("R@10").getDouble(0), 0);
        assertEquals(0.688, t.doubleColumn("R@10").getDouble(1), 0);   // given as "r@10"
        assertEquals(0.429, t.doubleColumn("mR@10").getDouble(1), 0);  // given as "MR@10"
        assertEquals(0.463, t.doubleColumn("mR@50").getDouble(1), 0);
    }

    @Test
    void metricsNotEvaluatedAreMissingNotZero() {
        Table t = ResultTables.recall(Samples.results(), "no");
        assertEquals(0.942, t.doubleColumn("R@20").getDouble(0), 0);
        assertTrue(t.doubleColumn("mR@10").isMissing(0));
        Table semi = ResultTables.recall(Samples.results(), "semi");
        assertEquals(2, semi.rowCount());
        assertTrue(semi.doubleColumn("R@10").isMissing(1));
    }

    @Test
    void longFormListsEachRunConstraintPresentInConstraintOrder() {
        Table t = ResultTables.recallAll(Samples.results());
        assertEquals(4, t.rowCount());
        assertEquals(List.of("with", "with", "no", "no"), t.stringColumn("constraint").asList());
        assertEquals(List.of("sttran", "tempura", "sttran", "tempura"), t.stringColumn("run").asList());
        assertEquals(0.994, t.doubleColumn("R@50").getDouble(3), 0);
    }

    @Test
    void percentagesAndDuplicateSpellingsAreRejectedWithTheirRun() {
        Map<String, Map<String, Map<String, Double>>> r = Map.of("m", Map.of("with", Map.of("R@10", 68.6)));
        KitException e = assertThrows(KitException.class, () -> ResultTables.recall(r, "with"));
        assertTrue(e.getMessage().contains("'m'") && e.getMessage().contains("R@10 = 68.6"), e.getMessage());
        Map<String, Map<String, Map<String, Double>>> d = Map.of("m",
                Map.of("with", new LinkedHashMap<>(Map.of("R@10", 0.5, "r@10", 0.6))));
        assertThrows(KitException.class, () -> ResultTables.recall(d, "with"));
    }

    @Test
    void csvIsExactAndMissingCellsAreEmpty(@TempDir Path dir) throws Exception {
        Table t = ResultTables.recall(Samples.results(), "no");
        Path csv = Tables.writeCsv(t, dir.resolve("sub/recall-no.csv"));
        List<String> lines = Files.readAllLines(csv);
        assertEquals("run,R@10,R@20,R@50,mR@10,mR@20,mR@50", lines.get(0));
        assertEquals("sttran,0.779,0.942,0.991,,,", lines.get(1));
        assertEquals("tempura,0.804,0.942,0.994,,,", lines.get(2));
        // the temp file was renamed away: only the CSV remains
        try (var files = Files.list(csv.getParent())) {
            assertEquals(List.of(csv), files.toList());
        }
        // an existing file is replaced whole
        Tables.writeCsv(ResultTables.recall(Samples.results(), "with"), csv);
        assertTrue(Files.readString(csv).startsWith("run,R@10"));
        assertEquals(3, Files.readAllLines(csv).size());
    }

    @Test
    void csvQuotesFieldsWithCommas() {
        Table t = ResultTables.benchmark(List.of(new BenchmarkRow("sttran", "d=1936, h=8", 2.5, 0.4, 49.2,
                100_500_000L)));
        String csv = Tables.csv(t);
        assertEquals("model,widths,step s,inference s,GFLOP/s,params\nsttran,\"d=1936, h=8\",2.5,0.4,49.2,100500000\n",
                csv);
    }

    @Test
    void htmlShowsPercentagesAndEscapes() {
        String html = Tables.html(ResultTables.recall(Samples.results(), "no"), Tables.NumberStyle.percentages());
        assertTrue(html.contains(">77.9<") && html.contains(">99.4<"), html);
        assertTrue(html.contains("values in %"));
        assertTrue(html.contains(">\u2013<"), "missing cells show a dash");
        Table odd = ResultTables.benchmark(List.of(new BenchmarkRow("<script>", "", Double.NaN, 1, 2, -1)));
        String h2 = Display.table(odd).html();
        assertFalse(h2.contains("<script>"));
        assertTrue(h2.contains("&lt;script&gt;"));
    }

    @Test
    void bandsRankByCountAndSplitNineNineEight() {
        long[] counts = new long[26];
        for (int p = 0; p < 26; p++) {
            counts[p] = (p * 7919L) % 101;   // a scrambled but fixed frequency profile
        }
        counts[3] = counts[4];   // a tie: lower id must come first
        PredicateBands b = PredicateBands.thirds(counts);
        int[] order = b.order();
        for (int r = 1; r < 26; r++) {
            assertTrue(counts[order[r - 1]] >= counts[order[r]]);
            if (counts[order[r - 1]] == counts[order[r]]) {
                assertTrue(order[r - 1] < order[r]);
            }
        }
        assertEquals(9, b.members(PredicateBands.Band.HEAD).size());
        assertEquals(9, b.members(PredicateBands.Band.BODY).size());
        assertEquals(8, b.members(PredicateBands.Band.TAIL).size());
        assertEquals(PredicateBands.Band.HEAD, b.band(order[0]));
        assertEquals(PredicateBands.Band.TAIL, b.band(order[25]));
        assertThrows(KitException.class, () -> PredicateBands.byRank(new long[25], 9, 9));
        assertThrows(KitException.class, () -> PredicateBands.byRank(counts, 20, 9));
    }

    @Test
    void relationCountsFollowTheEvaluatorsTripletCount() {
        long[] counts = PredicateBands.countRelations(List.of(Samples.frame("a.mp4/000001.png")));
        long[] expected = new long[26];
        expected[0] = 1;    // cup: looking_at
        expected[1] = 1;    // table: not_looking_at
        expected[3 + 2] = 1;  // cup: in_front_of
        expected[3 + 1] = 1;  // table: beneath
        expected[9 + 5] = 1;  // cup: holding
        expected[9 + 12] = 1; // table: touching
        expected[9 + 8] = 1;  // table: not_contacting
        assertArrayEquals(expected, counts);
        assertEquals(Samples.frame("a.mp4/000001.png").relationCount(), Arrays.stream(counts).sum());
    }

    @Test
    void perPredicateTableSortedByFrequencyWithBandsAndShares() {
        long[] counts = new long[26];
        for (int p = 0; p < 26; p++) {
            counts[p] = 26 - p;   // id 0 most frequent
        }
        counts[25] = 100;         // writing_on made the most frequent
        PredicateBands bands = PredicateBands.thirds(counts);
        double[] recall = new double[26];
        for (int p = 0; p < 26; p++) {
            recall[p] = p / 25.0;
        }
        recall[7] = Double.NaN;
        Map<String, double[]> runs = new LinkedHashMap<>();
        runs.put("a", recall);
        Table t = ResultTables.perPredicate(runs, bands);
        assertEquals(List.of("id", "predicate", "group", "train count", "train share", "band", "a"), t.columnNames());
        assertEquals("writing_on", t.stringColumn("predicate").get(0));
        assertEquals("contacting", t.stringColumn("group").get(0));
        assertEquals("head", t.stringColumn("band").get(0));
        assertEquals(1.0, t.doubleColumn("a").getDouble(0), 0);
        long total = Arrays.stream(counts).sum();
        assertEquals(100.0 / total, t.doubleColumn("train share").getDouble(0), 1e-15);
        assertEquals("looking_at", t.stringColumn("predicate").get(1));
        assertEquals("attention", t.stringColumn("group").get(1));
        int row7 = t.intColumn("id").asList().indexOf(7);
        assertTrue(t.doubleColumn("a").isMissing(row7));

        Table plain = ResultTables.perPredicate(runs);
        assertEquals(26, plain.rowCount());
        assertEquals(Vocabulary.PREDICATES, plain.stringColumn("predicate").asList());

        Table summary = ResultTables.bandSummary(runs, bands);
        // head = writing_on (25) + ids 0..7 (7 missing) -> mean of {25, 0..6} / 25
        double head = (25 + 0 + 1 + 2 + 3 + 4 + 5 + 6) / 8.0 / 25.0;
        assertEquals(head, summary.doubleColumn(1).getDouble(0), 1e-12);
        double all = 0;
        int n = 0;
        for (int p = 0; p < 26; p++) {
            if (p != 7) {
                all += p / 25.0;
                n++;
            }
        }
        assertEquals(all / n, summary.doubleColumn("all (26)").getDouble(0), 1e-12);
    }

    @Test
    void perPredicateInputIsChecked() {
        assertThrows(KitException.class, () -> ResultTables.perPredicate(Map.of("x", new double[25])));
        double[] bad = new double[26];
        bad[3] = 1.5;
        KitException e = assertThrows(KitException.class, () -> ResultTables.perPredicate(Map.of("x", bad)));
        assertTrue(e.getMessage().contains("above"), e.getMessage());
        KitException e2 = assertThrows(KitException.class,
                () -> ResultTables.predicateVector("x", Map.of("holdng", 0.5)));
        assertTrue(e2.getMessage().contains("holdng"));
        double[] v = ResultTables.predicateVector("x", Map.of("holding", 0.5));
        assertEquals(0.5, v[9 + 5], 0);
        assertTrue(Double.isNaN(v[0]));
    }

    @Test
    void evaluatorResultsBecomeTableMapsAndAbsentPredicatesAreMissingNotZero() {
        java.util.EnumMap<org.m3sgg.eval.Constraint, org.m3sgg.eval.ConstraintResult> by =
                new java.util.EnumMap<>(org.m3sgg.eval.Constraint.class);
        for (org.m3sgg.eval.Constraint c : org.m3sgg.eval.Constraint.values()) {
            double base = c.ordinal() / 10.0;
            double[][] perPredicate = new double[4][26];
            perPredicate[1][5] = 0.25;   // K = 20, predicate 5
            long[] counts = new long[26];
            counts[5] = 4;
            counts[6] = 2;               // present, recall 0: a real miss
            by.put(c, new org.m3sgg.eval.ConstraintResult(c, 3, new double[] {base, base + 0.1, base + 0.2, base + 0.3},
                    new double[] {0.01, 0.02, 0.03, 0.04}, new double[4], perPredicate, new double[4][26], counts));
        }
        var result = new org.m3sgg.eval.EvaluationResult(3, by);
        Map<String, Map<String, Double>> s = ResultTables.scores(result);
        assertEquals(List.of("with", "semi", "no"), List.copyOf(s.keySet()));
        assertEquals(ResultTables.RECALL_METRICS, List.copyOf(s.get("semi").keySet()));
        assertEquals(0.1 + 0.1, s.get("semi").get("R@20"), 1e-12);
        assertEquals(0.03, s.get("no").get("mR@50"), 1e-12);
        double[] v = ResultTables.predicateRecall(result, org.m3sgg.eval.Constraint.WITH, 20);
        assertEquals(0.25, v[5]);
        assertEquals(0.0, v[6]);
        assertTrue(Double.isNaN(v[0]));
    }
}
