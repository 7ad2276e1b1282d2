package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.models.ModelRegistry;

/**
 * Every chart type, drawn with the longest labels the kit produces (run labels of the notebooks, model names,
 * predicate and class names), has its whole legend inside the image: checked on the layout and on the pixels.
 */
class FigureLegendTest {

    /** The run labels the notebooks and the CLI put in legends, longest first, plus every registered model. */
    static List<String> longRunNames() {
        List<String> names = new ArrayList<>(List.of("STTran, this kit (synthetic world: not comparable)",
                "STTran, this kit (Action Genome)", "STTran, paper (ICCV 2021)", "sttran, no temporal decoder",
                "frequency baseline", "pair-mlp (this notebook)"));
        names.addAll(ModelRegistry.all().keySet());
        return names;
    }

    static Map<String, Map<String, Map<String, Double>>> results(List<String> runs) {
        Map<String, Map<String, Map<String, Double>>> r = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            double v = 0.3 + 0.05 * i;
            Map<String, Double> m = Map.of("R@10", v, "R@20", v + 0.1, "R@50", 0.5);
            r.put(runs.get(i), Map.of("with", m, "semi", m, "no", m));
        }
        return r;
    }

    /**
     * What is wrong with the legend of {@code f}, laid out at {@code layoutWidth} (the figure's own width when the
     * figure is right): entries outside the image, and entries whose key colour or text is not in the pixels.
     */
    static List<String> legendProblems(Figure f, int layoutWidth) {
        List<String> problems = new ArrayList<>();
        Legend legend = f.legend();
        if (legend == null) {
            problems.add(f.title() + ": no legend");
            return problems;
        }
        Legend.Layout l = legend.layout(layoutWidth);
        int top = f.legendTop();
        BufferedImage img = f.image();
        for (int i = 0; i < legend.entries().size(); i++) {
            Legend.Entry e = legend.entries().get(i);
            Rectangle b = new Rectangle(l.boxes().get(i));
            b.translate(0, top);
            if (b.x < 0 || b.y < 0 || b.x + b.width > img.getWidth() || b.y + b.height > img.getHeight()) {
                problems.add("'" + e.name() + "' at " + b + " is outside the " + img.getWidth() + "x"
                        + img.getHeight() + " image");
                continue;
            }
            if (!l.texts().get(i).equals(e.name())) {
                problems.add("'" + e.name() + "' is shortened to '" + l.texts().get(i) + "'");
            }
            if (e.kind() != Legend.Kind.NOTE && count(img, b, e.color()) < 25) {
                problems.add("'" + e.name() + "': no key of its colour in " + b);
            }
            Rectangle textPart = new Rectangle(b.x + b.width * 2 / 3, b.y, b.width / 3, b.height);
            if (inked(img, textPart) < 5) {
                problems.add("'" + e.name() + "': its text's end is not drawn in " + textPart);
            }
        }
        return problems;
    }

    private static int count(BufferedImage img, Rectangle r, Color c) {
        int rgb = c.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Pixels clearly darker than the background (text). */
    private static int inked(BufferedImage img, Rectangle r) {
        int n = 0;
        for (int y = r.y; y < r.y + r.height; y++) {
            for (int x = r.x; x < r.x + r.width; x++) {
                Color c = new Color(img.getRGB(x, y));
                if (c.getRed() + c.getGreen() + c.getBlue() < 3 * 160) {
                    n++;
                }
            }
        }
        return n;
    }

    private static void assertLegendInside(Figure f, String file) {
        f.write(Samples.outDir().resolve(file), 1.0);
        List<String> problems = legendProblems(f, f.width());
        assertTrue(problems.isEmpty(), f + ": " + problems);
    }

    @Test
    void recallBarsWithTheLongestRunNames() {
        List<String> runs = longRunNames();
        Figure f = Charts.recallBars(results(runs));
        assertLegendInside(f, "legend-recall-bars.png");
        assertTrue(f.width() <= Charts.MAX_WIDTH, "wrapped onto rows: " + f.width());
        assertEquals(runs.size(), f.legend().entries().size(), "one shared legend for all panels");
        // two runs, the notebook 04 case: one row of three panels
        Figure two = Charts.recallBars(results(runs.subList(0, 2)));
        assertLegendInside(two, "legend-recall-bars-two.png");
    }

    @Test
    void predicateRecallWithEveryRun() {
        List<String> runs = longRunNames();
        Map<String, double[]> byRun = new LinkedHashMap<>();
        long[] counts = new long[Vocabulary.NUM_PREDICATES];
        for (int k = 0; k < runs.size(); k++) {
            double[] v = new double[Vocabulary.NUM_PREDICATES];
            for (int p = 0; p < v.length; p++) {
                v[p] = p == 25 ? Double.NaN : (p * 7 + k * 13) % 100 / 100.0;
                counts[p] = 1000 - 30 * p;
            }
            byRun.put(runs.get(k), v);
        }
        assertLegendInside(Charts.predicateRecall(byRun, PredicateBands.thirds(counts)), "legend-predicates.png");
    }

    @Test
    void trainingAndLineChartsWithLongCurveNames() {
        Curve loss = Curve.of("train loss of sttran, no temporal decoder", 3, 2.5, 2, 1.7, 1.5);
        Figure t = Charts.training(List.of(loss, loss.smoothed(0.8)),
                List.of(Curve.of("train", 2, 1.5), Curve.of("validation (STTran, this kit)", 2.1, 1.8)),
                List.of(Curve.of("val R@20 (with constraint)", 0.3, 0.4), Curve.of("val mR@20 (with constraint)",
                        0.1, 0.2)));
        t.write(Samples.outDir().resolve("legend-training.png"), 1.0);
        // each panel has its own legend (the panels show different series): the figure's panels are checked one by
        // one through the single-panel charts they are made of
        Figure one = Charts.lines("loss", "step", "loss", List.of(loss, loss.smoothed(0.8),
                Curve.of("STTran, this kit (synthetic world: not comparable)", 1, 2, 3)), false);
        assertLegendInside(one, "legend-lines.png");
    }

    @Test
    void benchmarkWithEveryModel() {
        List<BenchmarkRow> rows = new ArrayList<>();
        for (String m : longRunNames()) {
            rows.add(new BenchmarkRow(m, "d=1936", 2.5, 0.5, 40.0, 1_000_000L));
        }
        assertLegendInside(Charts.benchmarkBars(rows), "legend-benchmark.png");
        Figure b = Charts.benchmark(rows);
        assertTrue(b.height() > Charts.benchmarkBars(rows).height(), "bars above the table");
    }

    @Test
    void theCheckFailsForALegendLaidOutWiderThanItsImage() {
        Figure f = Charts.recallBars(results(longRunNames()));
        // laid out for a 4000 px line, the entries run past the right edge: the check must say so
        List<String> problems = legendProblems(f, 4000);
        assertFalse(problems.isEmpty(), "a legend wider than the image must fail the check");
        assertTrue(problems.get(problems.size() - 1).contains("outside"), problems.toString());
        // and a figure without a legend is reported, not passed
        assertFalse(legendProblems(Figure.of("blank", Images.canvas(10, 10)), 10).isEmpty());
    }
}
