package org.m3sgg.report;

import org.m3sgg.api.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.m3sgg.api.KitException;
import tech.tablesaw.api.Table;

/**
 * Report charts drawn with XChart into images (no browser, no CDN). Every method returns a
 * {@link BufferedImage}: a notebook cell ending in one shows it as PNG under the kit's kernel, IJava, JJava and
 * rapaio, and {@link AtomicFiles#writePng} saves it.
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

    /** Renders any XChart chart to an image at its own size. */
    public static BufferedImage render(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    // ---- recall ---------------------------------------------------------------------------------------------

    /** Grouped bars of R@10/20/50 per run, one panel per constraint present. */
    public static BufferedImage recallBars(Map<String, Map<String, Map<String, Double>>> results) {
        return recallBars(results, List.of("R@10", "R@20", "R@50"), ResultTables.constraints(results));
    }

    /**
     * Grouped bars: one panel per constraint, the metrics along x, one bar per run.
     *
     * @param results run -> constraint -> metric -> recall fraction (see {@link ResultTables#recall})
     */
    public static BufferedImage recallBars(Map<String, Map<String, Map<String, Double>>> results,
            List<String> metrics, List<String> constraints) {
        if (results.isEmpty()) {
            throw new KitException("recall chart: no runs given");
        }
        if (constraints.isEmpty() || metrics.isEmpty()) {
            throw new KitException("recall chart: no constraint or no metric to show");
        }
        List<BufferedImage> panels = new ArrayList<>();
        int panelW = Math.max(360, 80 + metrics.size() * (40 + 26 * results.size()));
        for (String constraint : constraints) {
            Table t = ResultTables.recall(results, constraint, metrics);
            CategoryChart chart = new CategoryChartBuilder().width(panelW).height(420)
                    .title(constraint + " constraint").yAxisTitle("recall (%)").build();
            styleCategory(chart, 0);
            chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0);
            chart.getStyler().setLabelsVisible(results.size() * metrics.size() <= 24);
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
            panels.add(render(chart));
        }
        return Images.hstack(panels, 0);
    }

    /**
     * Per-predicate recall, predicates sorted by training frequency, head/body/tail bands shaded, one bar per run
     * (see {@link PredicateChart} for why this one is drawn without XChart).
     *
     * @param recallByRun run -> recall per global predicate id {@code [26]} (NaN: absent from the test set)
     */
    public static BufferedImage predicateRecall(Map<String, double[]> recallByRun, PredicateBands bands) {
        return predicateRecall("per-predicate recall, most frequent predicates first", recallByRun, bands);
    }

    public static BufferedImage predicateRecall(String title, Map<String, double[]> recallByRun,
            PredicateBands bands) {
        return PredicateChart.render(title, recallByRun, bands);
    }

    // ---- training curves ------------------------------------------------------------------------------------

    /** A line chart of several curves; with {@code logY}, non-positive y values are dropped. */
    public static BufferedImage lines(String title, String xTitle, String yTitle, List<Curve> curves, boolean logY) {
        return render(lineChart(title, xTitle, yTitle, curves, logY, 560, 400));
    }

    /**
     * The training picture: loss per step, loss per epoch (train and validation), metrics per epoch, side by side.
     * Empty lists leave their panel out.
     */
    public static BufferedImage training(List<Curve> lossPerStep, List<Curve> lossPerEpoch,
            List<Curve> metricPerEpoch) {
        List<BufferedImage> panels = new ArrayList<>();
        if (!lossPerStep.isEmpty()) {
            panels.add(render(lineChart("loss per step", "step", "loss", lossPerStep, false, 520, 400)));
        }
        if (!lossPerEpoch.isEmpty()) {
            panels.add(render(lineChart("loss per epoch", "epoch", "loss", lossPerEpoch, false, 460, 400)));
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
            panels.add(render(lineChart("validation metrics", "epoch", "%", pct, false, 460, 400)));
        }
        if (panels.isEmpty()) {
            throw new KitException("training chart: no curves given");
        }
        return Images.hstack(panels, 0);
    }

    private static XYChart lineChart(String title, String xTitle, String yTitle, List<Curve> curves, boolean logY,
            int w, int h) {
        XYChart chart = new XYChartBuilder().width(w).height(h).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        styleAxes(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisLogarithmic(logY);
        chart.getStyler().setXAxisDecimalPattern("#,##0.##");
        if (!logY) {
            chart.getStyler().setYAxisDecimalPattern("#,##0.###"); // no full-precision tick labels
        }
        chart.getStyler().setMarkerSize(5);
        int added = 0;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        int maxPoints = 0;
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
            XYSeries s = chart.addSeries(c.name(), xs, ys);
            // a marker per point only where points are few enough to tell apart (epochs, not steps)
            s.setMarker(xs.size() <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            added++;
        }
        if (added == 0) {
            throw new KitException("chart '" + title + "': no finite points to draw");
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

    // ---- benchmark ------------------------------------------------------------------------------------------

    /**
     * Speed and size of models: bars of training-step and inference time per model, above the full table
     * (model, widths, step time, inference time, GFLOP/s, parameters).
     */
    public static BufferedImage benchmark(List<BenchmarkRow> rows) {
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
        int w = Math.max(520, 120 + rows.size() * 110);
        CategoryChart chart = new CategoryChartBuilder().width(w).height(380).title("time per batch")
                .yAxisTitle("milliseconds").build();
        styleCategory(chart, rows.size() > 5 ? 45 : 0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(Images.font(Font.PLAIN, 10));
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.getStyler().setDecimalPattern("#,##0");
        chart.addSeries("training step", models, step);
        chart.addSeries("inference", models, infer);
        BufferedImage table = TableImage.render(ResultTables.benchmark(rows), Tables.NumberStyle.plain(3));
        return Images.vstack(List.of(render(chart), table), 8);
    }

    // ---- styling --------------------------------------------------------------------------------------------

    private static void styleCategory(CategoryChart chart, int labelRotation) {
        styleAxes(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setAvailableSpaceFill(0.8);
        chart.getStyler().setXAxisLabelRotation(labelRotation);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        // XChart formats bar labels with the y-axis pattern: "#0.#" keeps ticks whole and labels at one decimal
        chart.getStyler().setYAxisDecimalPattern("#0.#");
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
    }
}
