package org.m3sgg.report;

import org.m3sgg.api.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.m3sgg.api.KitException;
import tech.tablesaw.api.Table;

/**
 * Report charts drawn with XChart and Java2D (no browser, no CDN). Every method returns a {@link Figure}: a
 * notebook cell ending in one shows a 2x PNG at 1x size; {@link Figure#write} saves PNG, SVG or PDF (atomically,
 * through {@link AtomicFiles}); {@link Figure#image()} gives the raster. Legends are one shared {@link Legend} below
 * the panels, wrapped to the figure's width, so long run names are never cut off.
 *
 * <p>Recall inputs are fractions in [0, 1]; the charts show percentages.
 */
public final class Charts {

    private Charts() {}

    /** Tableau 10: distinct, print-friendly series colours. */
    public static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC)
    };

    private static final Font TITLE = Images.font(Font.BOLD, 15);
    private static final Font AXIS_TITLE = Images.font(Font.PLAIN, 13);
    private static final Font TICKS = Images.font(Font.PLAIN, 12);
    private static final Font LEGEND = Images.font(Font.PLAIN, 12);

    /** Figures wider than this many pixels put their panels on more than one row. */
    public static final int MAX_WIDTH = 1200;

    /** Value labels on bars: always one decimal, so 50.0 and 49.8 read alike. */
    public static final String VALUE_PATTERN = "0.0";

    // ---- recall ---------------------------------------------------------------------------------------------

    /** Grouped bars of R@10/20/50 per run, one panel per constraint present. */
    public static Figure recallBars(Map<String, Map<String, Map<String, Double>>> results) {
        return recallBars(results, List.of("R@10", "R@20", "R@50"), ResultTables.constraints(results));
    }

    /**
     * Grouped bars: one panel per constraint, the metrics along x, one bar per run, one legend of the runs below
     * all panels. Panels go on further rows when one row would be wider than {@link #MAX_WIDTH}.
     *
     * @param results run -> constraint -> metric -> recall fraction (see {@link ResultTables#recall})
     */
    public static Figure recallBars(Map<String, Map<String, Map<String, Double>>> results,
            List<String> metrics, List<String> constraints) {
        if (results.isEmpty()) {
            throw new KitException("recall chart: no runs given");
        }
        if (constraints.isEmpty() || metrics.isEmpty()) {
            throw new KitException("recall chart: no constraint or no metric to show");
        }
        List<Figure> panels = new ArrayList<>();
        int runs = results.size();
        int panelW = Math.max(340, 90 + metrics.size() * (30 + 20 * runs));
        for (String constraint : constraints) {
            Table t = ResultTables.recall(results, constraint, metrics);
            CategoryChart chart = new CategoryChartBuilder().width(panelW).height(400)
                    .title(constraint + " constraint").yAxisTitle("recall (%)").build();
            styleCategory(chart, 0);
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
            chart.getStyler().setLabelsVisible(runs * metrics.size() <= 36);
            chart.getStyler().setLabelsFont(Images.font(Font.PLAIN, 10));
            chart.getStyler().setLabelsRotation(90);
            chart.getStyler().setLabelsPosition(0.5);
            List<String> cats = new ArrayList<>();
            for (String m : metrics) {
                cats.add(ResultTables.canonicalMetric(m));
            }
            for (int r = 0; r < t.rowCount(); r++) {
                List<Double> ys = new ArrayList<>();
                for (int m = 0; m < metrics.size(); m++) {
                    var col = t.doubleColumn(m + 1);
                    ys.add(col.isMissing(r) ? null : 100 * col.getDouble(r));
                }
                chart.addSeries(t.stringColumn("run").get(r), cats, ys);
            }
            panels.add(Figure.of(chart));
        }
        int cols = Math.max(1, Math.min(constraints.size(), MAX_WIDTH / panelW));
        return Figure.grid("recall at K per constraint", panels, cols,
                Legend.of(Legend.Kind.BOX, new ArrayList<>(results.keySet())));
    }

    /**
     * Per-predicate recall, predicates sorted by training frequency, head/body/tail bands shaded, one bar per run
     * (see {@link PredicateChart} for why this one is drawn without XChart).
     *
     * @param recallByRun run -> recall per global predicate id {@code [26]} (NaN: absent from the test set)
     */
    public static Figure predicateRecall(Map<String, double[]> recallByRun, PredicateBands bands) {
        return predicateRecall("per-predicate recall, most frequent predicates first", recallByRun, bands);
    }

    public static Figure predicateRecall(String title, Map<String, double[]> recallByRun, PredicateBands bands) {
        return PredicateChart.render(title, recallByRun, bands);
    }

    // ---- training curves ------------------------------------------------------------------------------------

    /** A line chart of several curves, its legend below; with {@code logY}, non-positive y values are dropped. */
    public static Figure lines(String title, String xTitle, String yTitle, List<Curve> curves, boolean logY) {
        return linePanel(title, xTitle, yTitle, curves, logY, 560, 400);
    }

    /**
     * The training picture: loss per step, loss per epoch (train and validation), metrics per epoch, side by side,
     * each with its own legend below it (the panels show different series). Empty lists leave their panel out.
     */
    public static Figure training(List<Curve> lossPerStep, List<Curve> lossPerEpoch, List<Curve> metricPerEpoch) {
        return training(lossPerStep, lossPerEpoch, metricPerEpoch, 1.0);
    }

    /** {@link #training(List, List, List)} with every panel's size multiplied by {@code size} (e.g. 0.75). */
    public static Figure training(List<Curve> lossPerStep, List<Curve> lossPerEpoch, List<Curve> metricPerEpoch,
            double size) {
        List<Figure> panels = new ArrayList<>();
        int h = (int) Math.round(360 * size);
        if (!lossPerStep.isEmpty()) {
            panels.add(linePanel("loss per step", "step", "loss", lossPerStep, false, (int) Math.round(440 * size),
                    h));
        }
        if (!lossPerEpoch.isEmpty()) {
            panels.add(linePanel("loss per epoch", "epoch", "loss", lossPerEpoch, false,
                    (int) Math.round(380 * size), h));
        }
        if (!metricPerEpoch.isEmpty()) {
            List<Curve> pct = new ArrayList<>();
            for (Curve c : metricPerEpoch) {
                double[] y = c.y();
                for (int i = 0; i < y.length; i++) {
                    y[i] *= 100;
                }
                pct.add(new Curve(c.name(), c.x(), y));
            }
            panels.add(linePanel("validation metrics", "epoch", "%", pct, false, (int) Math.round(380 * size), h));
        }
        if (panels.isEmpty()) {
            throw new KitException("training chart: no curves given");
        }
        return Figure.row("training curves", panels, null);
    }

    private static Figure linePanel(String title, String xTitle, String yTitle, List<Curve> curves, boolean logY,
            int w, int h) {
        XYChart chart = lineChart(title, xTitle, yTitle, curves, logY, w, h);
        List<String> names = new ArrayList<>(chart.getSeriesMap().keySet());
        return Figure.grid(title, List.of(Figure.of(chart)), 1, Legend.of(Legend.Kind.LINE, names));
    }

    private static XYChart lineChart(String title, String xTitle, String yTitle, List<Curve> curves, boolean logY,
            int w, int h) {
        XYChart chart = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        styleAxes(chart.getStyler());
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        chart.getStyler().setMarkerSize(5);
        int added = 0;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        int maxPoints = 0;
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Curve c : curves) {
            double[] x = c.x();
            double[] y = c.y();
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < x.length; i++) {
                if (Double.isFinite(y[i]) && (!logY || y[i] > 0)) {
                    xs.add(x[i]);
                    ys.add(y[i]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            xMin = Math.min(xMin, xs.get(0));
            xMax = Math.max(xMax, xs.get(xs.size() - 1));
            maxPoints = Math.max(maxPoints, xs.size());
            // XChart refuses two series of one name (a raw curve and its smoothed copy): number the second
            String name = c.name();
            for (int k = 2; !seen.add(name); k++) {
                name = c.name() + " (" + k + ")";
            }
            XYSeries s = chart.addSeries(name, xs, ys);
            // a marker per point only where points are few enough to tell apart (epochs, not steps)
            s.setMarker(xs.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            s.setMarkerColor(Charts.PALETTE[added % PALETTE.length]);
            s.setLineColor(Charts.PALETTE[added % PALETTE.length]);
            added++;
        }
        if (added == 0) {
            throw new KitException("chart '" + title + "': no finite points to draw");
        }
        if (!logY) {
            // every tick with the same number of decimals (no "2" next to "2.1"), as many as the tick step needs
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (XYSeries s : chart.getSeriesMap().values()) {
                for (double v : s.getYData()) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            chart.getStyler().setYAxisDecimalPattern(tickPattern(lo, hi));
        }
        if (maxPoints > 40 && xMax > xMin) {
            // XChart puts a tick on every k-th point of equally spaced x data (steps 1, 2, 3...) and packs the
            // labels edge to edge; half a step of margin on each side makes the axis range off-grid, so XChart
            // falls back to round tick values (0, 100, 200...)
            double half = (xMax - xMin) / (maxPoints - 1) / 2;
            chart.getStyler().setXAxisMin(xMin - half);
            chart.getStyler().setXAxisMax(xMax + half);
        }
        return chart;
    }

    /** A decimal pattern with a fixed number of decimals, enough for ticks about a sixth of the range apart. */
    static String tickPattern(double lo, double hi) {
        double step = (hi - lo) / 6;
        int decimals = !(step > 0) || step >= 1 ? 0 : Math.min(4, (int) Math.ceil(-Math.log10(step)));
        return decimals == 0 ? "#,##0" : "#,##0." + "0".repeat(decimals);
    }

    // ---- benchmark ------------------------------------------------------------------------------------------

    /**
     * Speed and size of models: bars of training-step and inference time per model, above the full table
     * (model, widths, step time, inference time, GFLOP/s, parameters).
     */
    public static Figure benchmark(List<BenchmarkRow> rows) {
        Figure bars = benchmarkBars(rows);
        BufferedImage table = TableImage.render(ResultTables.benchmark(rows), Tables.NumberStyle.plain(3));
        return Figure.column("benchmark", List.of(bars, Figure.of("benchmark table", table)));
    }

    /** The bars of {@link #benchmark} with their legend. */
    static Figure benchmarkBars(List<BenchmarkRow> rows) {
        if (rows.isEmpty()) {
            throw new KitException("benchmark chart: no rows given");
        }
        List<String> models = new ArrayList<>();
        List<Double> step = new ArrayList<>();
        List<Double> infer = new ArrayList<>();
        for (BenchmarkRow r : rows) {
            models.add(r.model());
            step.add(Double.isFinite(r.stepSeconds()) ? 1000 * r.stepSeconds() : null);
            infer.add(Double.isFinite(r.inferenceSeconds()) ? 1000 * r.inferenceSeconds() : null);
        }
        int w = Math.min(MAX_WIDTH, Math.max(520, 120 + rows.size() * 110));
        CategoryChart chart = new CategoryChartBuilder().width(w).height(380).title("time per batch")
                .yAxisTitle("milliseconds").build();
        styleCategory(chart, rows.size() > 5 ? 45 : 0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(Images.font(Font.PLAIN, 10));
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.addSeries("training step", models, step);
        chart.addSeries("inference", models, infer);
        return Figure.grid("time per batch", List.of(Figure.of(chart)), 1,
                Legend.of(Legend.Kind.BOX, List.of("training step", "inference")));
    }

    // ---- styling --------------------------------------------------------------------------------------------

    private static void styleCategory(CategoryChart chart, int labelRotation) {
        styleAxes(chart.getStyler());
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setXAxisLabelRotation(labelRotation);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        // XChart formats bar labels with the y-axis tick format (one format for both): one decimal everywhere, so
        // no label reads "50" next to "49.8"
        chart.getStyler().setYAxisDecimalPattern(VALUE_PATTERN);
    }

    private static void styleAxes(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setPlotGridLinesColor(new Color(0xDD, 0xDD, 0xDD));
        s.setLegendBorderColor(new Color(0xCC, 0xCC, 0xCC));
        s.setChartTitleFont(TITLE);
        s.setAxisTitleFont(AXIS_TITLE);
        s.setAxisTickLabelsFont(TICKS);
        s.setLegendFont(LEGEND);
        s.setSeriesColors(PALETTE);
        s.setAntiAlias(true);
        s.setChartPadding(12);
        s.setLegendVisible(false);   // the figure draws one legend that wraps (Legend); XChart's cuts names off
    }
}
