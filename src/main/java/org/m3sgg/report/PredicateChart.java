package org.m3sgg.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;

/**
 * Per-predicate recall bars, predicates sorted by training frequency, on one shared axis with the head, body and
 * tail bands shaded behind the bars.
 *
 * <p>Drawn with Java2D rather than XChart: XChart cannot shade category ranges, and splitting the bands into
 * separate XChart panels gave each panel its own plot height (its rotated labels differ in length), so the
 * bands' bars were not comparable.
 */
final class PredicateChart {

    private PredicateChart() {}

    private static final Color[] BAND_TINT = {new Color(0xEAF1FB), new Color(0xF4F4F4), new Color(0xFDF0E4)};
    private static final Color GRID = new Color(0xD9D9D9);

    static Figure render(String title, Map<String, double[]> recallByRun, PredicateBands bands) {
        if (recallByRun.isEmpty()) {
            throw new KitException("per-predicate recall chart: no runs given");
        }
        recallByRun.forEach(ResultTables::checkPredicateVector);
        Font titleFont = Images.font(Font.BOLD, 15);
        Font bandFont = Images.font(Font.BOLD, 12);
        Font tick = Images.font(Font.PLAIN, 12);
        Font axis = Images.font(Font.PLAIN, 13);
        FontMetrics ft = Images.metrics(titleFont);
        FontMetrics fb = Images.metrics(bandFont);
        FontMetrics fk = Images.metrics(tick);
        FontMetrics fa = Images.metrics(axis);

        int runs = recallByRun.size();
        int[] order = bands.order();
        int barW = runs == 1 ? 20 : Math.max(5, 32 / runs);
        int groupW = runs * barW + 10;
        int labelLen = 0;
        for (String p : Vocabulary.PREDICATES) {
            labelLen = Math.max(labelLen, fk.stringWidth(p));
        }
        int left = 20 + fa.getHeight() + fk.stringWidth("100") + 10;
        int top = 14 + ft.getHeight() + 10 + 2 * fb.getHeight() + 14;
        int plotW = order.length * groupW;
        int plotH = 320;
        int width = left + plotW + 20;
        int height = top + plotH + 8 + labelLen + 8;
        Legend legend = Legend.of(Legend.Kind.BOX, new ArrayList<>(recallByRun.keySet()))
                .plus(new Legend.Entry("\u00d7 predicate absent from the test set", new Color(0x666666),
                        Legend.Kind.NOTE));
        Figure.Painter painter = g -> paint(g, title, recallByRun, bands, left, top, plotW, plotH, groupW, barW);
        return Figure.grid(title, List.of(Figure.of(title, width, height, painter)), 1, legend);
    }

    private static void paint(Graphics2D g, String title, Map<String, double[]> recallByRun, PredicateBands bands,
            int left, int top, int plotW, int plotH, int groupW, int barW) {
        Font titleFont = Images.font(Font.BOLD, 15);
        Font bandFont = Images.font(Font.BOLD, 12);
        Font tick = Images.font(Font.PLAIN, 12);
        Font axis = Images.font(Font.PLAIN, 13);
        FontMetrics ft = Images.metrics(titleFont);
        FontMetrics fb = Images.metrics(bandFont);
        FontMetrics fk = Images.metrics(tick);
        FontMetrics fa = Images.metrics(axis);
        int runs = recallByRun.size();
        int[] order = bands.order();

        g.setFont(titleFont);
        g.setColor(Images.INK);
        g.drawString(title, left, 14 + ft.getAscent());

        // band shading and captions: the bands are contiguous runs of the frequency order
        double total = bands.total();
        int start = 0;
        for (int bi = 0; bi < PredicateBands.Band.values().length; bi++) {
            PredicateBands.Band band = PredicateBands.Band.values()[bi];
            List<Integer> members = bands.members(band);
            if (members.isEmpty()) {
                continue;
            }
            long count = 0;
            for (int p : members) {
                count += bands.count(p);
            }
            int x0 = left + start * groupW;
            int w = members.size() * groupW;
            int shadeTop = top - 2 * fb.getHeight() - 8;
            g.setColor(BAND_TINT[bi]);
            g.fillRect(x0, shadeTop, w, plotH + (top - shadeTop));
            g.setColor(Images.INK);
            g.setFont(bandFont);
            String l1 = band.label + " (" + members.size() + " predicates)";
            String l2 = String.format(Locale.ROOT, "%.1f%% of training relations",
                    total == 0 ? 0.0 : 100 * count / total);
            g.drawString(l1, x0 + (w - fb.stringWidth(l1)) / 2, shadeTop + 3 + fb.getAscent());
            g.setFont(tick);
            g.drawString(l2, x0 + (w - fk.stringWidth(l2)) / 2, shadeTop + 3 + fb.getHeight() + fk.getAscent());
            start += members.size();
        }

        // y grid and ticks
        g.setFont(tick);
        for (int v = 0; v <= 100; v += 20) {
            int y = top + plotH - v * plotH / 100;
            g.setColor(GRID);
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {3, 3}, 0));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(Images.INK);
            String s = Integer.toString(v);
            g.drawString(s, left - 6 - fk.stringWidth(s), y + fk.getAscent() / 2 - 1);
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Images.INK);
        g.drawLine(left, top + plotH, left + plotW, top + plotH);
        AffineTransform saved = g.getTransform();
        g.setFont(axis);
        String yTitle = "recall (%)";
        g.translate(16 + fa.getAscent(), top + plotH / 2.0 + fa.stringWidth(yTitle) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(yTitle, 0, 0);
        g.setTransform(saved);

        // bars, then each predicate's name rotated a quarter turn, starting just under the axis
        List<String> names = new ArrayList<>(recallByRun.keySet());
        for (int r = 0; r < order.length; r++) {
            int p = order[r];
            int gx = left + r * groupW + 5;
            for (int k = 0; k < runs; k++) {
                double v = recallByRun.get(names.get(k))[p];
                int x = gx + k * barW;
                if (Double.isNaN(v)) {
                    g.setColor(new Color(0x666666));
                    g.setFont(Images.font(Font.BOLD, 12));
                    g.drawString("\u00d7", x + (barW - g.getFontMetrics().stringWidth("\u00d7")) / 2,
                            top + plotH - 3);
                    continue;
                }
                int h = (int) Math.round(v * plotH);
                g.setColor(Charts.PALETTE[k % Charts.PALETTE.length]);
                g.fillRect(x, top + plotH - h, barW - 1, h);
            }
            g.setColor(Images.INK);
            g.setFont(tick);
            String name = Vocabulary.PREDICATES.get(p);
            saved = g.getTransform();
            g.translate(left + r * groupW + groupW / 2.0 + fk.getAscent() / 2.0 - 1, top + plotH + 6);
            g.rotate(Math.PI / 2);
            g.drawString(name, 0, 0);
            g.setTransform(saved);
        }
    }
}
