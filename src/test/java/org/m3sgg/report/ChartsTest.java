package org.m3sgg.report;

import org.m3sgg.api.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;

class ChartsTest {

    @Test
    void recallBarsWritePngWithOnePanelPerConstraint() throws Exception {
        BufferedImage img = Charts.recallBars(Samples.results()).image();
        Path png = AtomicFiles.writePng(Samples.outDir().resolve("recall-bars.png"), img);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(img.getWidth(), back.getWidth());
        assertTrue(img.getWidth() >= 680 && img.getHeight() >= 400, img.getWidth() + "x" + img.getHeight());
        assertTrue(Files.size(png) > 10_000, "a real chart, not a blank image: " + Files.size(png));
        // both runs' colours are drawn, in both panels (with and no)
        int half = img.getWidth() / 2;
        assertTrue(Samples.countColor(img.getSubimage(0, 0, half, img.getHeight()), Charts.PALETTE[0]) > 500);
        assertTrue(Samples.countColor(img.getSubimage(half, 0, half, img.getHeight()), Charts.PALETTE[1]) > 500);
    }

    @Test
    void barHeightsAreProportionalToRecall() {
        Map<String, Map<String, Map<String, Double>>> r = new LinkedHashMap<>();
        r.put("only", Map.of("with", Map.of("R@10", 0.25, "R@20", 0.5, "R@50", 1.0)));
        BufferedImage img = Charts.recallBars(r, List.of("R@10", "R@20", "R@50"), List.of("with")).image();
        AtomicFiles.writePng(Samples.outDir().resolve("recall-bars-proportional.png"), img);
        // the bars are the three longest vertical runs of the series colour, left to right: heights 1 : 2 : 4
        List<Integer> heights = new ArrayList<>();
        int prev = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            int run = Samples.longestRun(img, x, Charts.PALETTE[0]);
            if (run > 20 && prev <= 20) {
                heights.add(run);
            } else if (run > 20 && !heights.isEmpty()) {
                heights.set(heights.size() - 1, Math.max(run, heights.get(heights.size() - 1)));
            }
            prev = run;
        }
        assertEquals(3, heights.size(), "three bars: " + heights);
        int[] tallest = {heights.get(0), heights.get(1), heights.get(2)};
        assertTrue(tallest[0] > 0, "bars drawn");
        assertEquals(2.0, tallest[1] / (double) tallest[0], 0.03);
        assertEquals(4.0, tallest[2] / (double) tallest[0], 0.06);
    }

    @Test
    void predicateRecallShadesThreeBandsBehindTheBars() throws Exception {
        long[] counts = new long[26];
        double[] a = new double[26];
        double[] b = new double[26];
        for (int p = 0; p < 26; p++) {
            counts[p] = 1000 / (p + 1);
            a[p] = 0.9 - 0.03 * p;
            b[p] = 0.5;
        }
        b[20] = Double.NaN;
        Map<String, double[]> runs = new LinkedHashMap<>();
        runs.put("sttran", a);
        runs.put("tempura", b);
        PredicateBands bands = PredicateBands.thirds(counts);
        BufferedImage img = Charts.predicateRecall(runs, bands).image();
        AtomicFiles.writePng(Samples.outDir().resolve("predicate-recall.png"), img);
        assertTrue(img.getWidth() > 26 * 40, "26 groups of two bars: " + img.getWidth());
        assertTrue(img.getHeight() >= 500);
        assertTrue(Samples.countColor(img, Charts.PALETTE[0]) > 1000);
        assertTrue(Samples.countColor(img, Charts.PALETTE[1]) > 1000);
        assertTrue(Samples.distinctColors(img) > 20, "text is antialiased: many grey levels");
    }

    @Test
    void trainingCurvesAndSingleLineChart() throws Exception {
        int steps = 400;
        double[] loss = new double[steps];
        for (int i = 0; i < steps; i++) {
            loss[i] = 2.0 * Math.exp(-i / 120.0) + 0.3 + 0.15 * Math.sin(i * 1.7);
        }
        Curve raw = Curve.of("train", loss);
        Curve smooth = raw.smoothed(0.9);
        List<Curve> perEpoch = List.of(Curve.of("train", 1.8, 1.1, 0.8, 0.65), Curve.of("validation", 1.9, 1.3, 1.05,
                1.0));
        List<Curve> metrics = List.of(Curve.of("R@20 (with)", 0.41, 0.55, 0.62, 0.64),
                Curve.of("mR@20 (with)", 0.12, 0.18, 0.21, 0.23));
        BufferedImage img = Charts.training(List.of(raw, smooth), perEpoch, metrics).image();
        AtomicFiles.writePng(Samples.outDir().resolve("training.png"), img);
        assertTrue(img.getWidth() >= 1100, "three panels side by side: " + img.getWidth());
        assertTrue(Samples.countColor(img, Charts.PALETTE[0]) > 300);

        BufferedImage one = Charts.lines("loss", "step", "loss", List.of(raw), true).image();
        assertEquals(560, one.getWidth());
        assertThrows(KitException.class, () -> Charts.training(List.of(), List.of(), List.of()));
        assertThrows(KitException.class, () -> Charts.lines("x", "x", "y",
                List.of(Curve.of("nan", Double.NaN, Double.NaN)), false));
    }

    @Test
    void smoothingIsBiasCorrectedAndSkipsNaN() {
        Curve c = Curve.of("c", 1, 1, Double.NaN, 1);
        double[] y = c.smoothed(0.9).y();
        assertEquals(1.0, y[0], 1e-12);   // no pull towards zero at the start
        assertEquals(1.0, y[1], 1e-12);
        assertTrue(Double.isNaN(y[2]));
        assertEquals(1.0, y[3], 1e-12);
        Curve d = Curve.of("d", 0, 10);
        // second point: (0.5*0.5*0 + 0.5*10) / (0.5*0.5 + 0.5) = 5 / 0.75
        assertEquals(5 / 0.75, d.smoothed(0.5).y()[1], 1e-12);
        assertThrows(KitException.class, () -> new Curve("bad", new double[2], new double[3]));
    }

    @Test
    void benchmarkChartStacksBarsAboveTheTable() throws Exception {
        List<BenchmarkRow> rows = new ArrayList<>();
        rows.add(new BenchmarkRow("sttran", "d=1936 h=8 ff=2048", 2.5, 0.45, 49.2, 100_480_000L));
        rows.add(new BenchmarkRow("tempura", "d=1936 K=4", 3.1, 0.6, 45.0, 103_100_000L));
        rows.add(new BenchmarkRow("dsg-detr", "d=1936", Double.NaN, 0.5, Double.NaN, -1));
        BufferedImage img = Charts.benchmark(rows).image();
        AtomicFiles.writePng(Samples.outDir().resolve("benchmark.png"), img);
        assertTrue(img.getHeight() > 380 + 80, "chart plus table");
        assertTrue(Samples.countColor(img, Charts.PALETTE[0]) > 300);
        assertTrue(Samples.countColor(img, Charts.PALETTE[1]) > 100);

        BufferedImage table = TableImage.render(ResultTables.benchmark(rows), Tables.NumberStyle.plain(3));
        AtomicFiles.writePng(Samples.outDir().resolve("benchmark-table.png"), table);
        assertTrue(table.getWidth() > 400 && table.getHeight() > 80);
    }
}
