package org.m3sgg.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Vocabulary;

/**
 * A video's relations over time: one row per (object class, predicate) seen in the ground truth or the
 * prediction, grouped by relation type (attention, spatial, contacting, each under its heading), one column per
 * frame. A cell is grey-blue where only the ground truth has the relation, orange
 * where only the prediction has it and green where both do.
 *
 * <p>Action Genome has no object track ids, so the object class stands for the object across frames (two objects
 * of one class in a frame share a row).
 */
public final class Timeline {

    private Timeline() {}

    static final Color GT_ONLY = new Color(0x9FB3C8);
    static final Color PRED_ONLY = new Color(0xF28E2B);
    static final Color BOTH = new Color(0x59A14F);
    private static final Color GRID = new Color(0xE2E4E8);

    /** Ground truth only. */
    public static BufferedImage render(AgVideo video) {
        return render(video, null, 0);
    }

    /**
     * @param predictions frame key -> predicted graph, or null for the ground truth alone; frames without an entry
     *     count as predicting nothing
     * @param topK triplets of each prediction that count (by triplet score)
     */
    public static BufferedImage render(AgVideo video, Map<String, PredictedGraph> predictions, int topK) {
        List<AgFrame> frames = video.frames();
        if (frames.isEmpty()) {
            throw new KitException("video " + video.id() + " has no frames to draw");
        }
        int n = frames.size();
        // row key = objectClass * 26 + predicate, so a TreeSet orders rows by object then predicate id
        List<Set<Integer>> gt = new ArrayList<>();
        List<Set<Integer>> pred = new ArrayList<>();
        TreeSet<Integer> rows = new TreeSet<>();
        for (AgFrame f : frames) {
            Set<Integer> g = relations(PredictedGraph.groundTruth(f));
            gt.add(g);
            rows.addAll(g);
            Set<Integer> p = new HashSet<>();
            if (predictions != null) {
                PredictedGraph pg = predictions.get(f.key());
                if (pg != null) {
                    p = relations(pg.topK(topK));
                }
            }
            pred.add(p);
            rows.addAll(p);
        }
        List<String> columns = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            AgFrame f = frames.get(c);
            columns.add(f.frameNumber() >= 0 ? Integer.toString(f.frameNumber()) : Integer.toString(c));
        }
        String heading = "relations over time  \u00b7  " + video.id() + "  \u00b7  " + n + " frames"
                + (predictions == null ? "" : "  \u00b7  prediction top " + topK);
        return draw(heading, columns, gt, pred, rows, true, predictions != null);
    }

    /**
     * A prediction's relations over time without ground truth (a video the kit runs inference on): one column per
     * graph, labelled by {@code columns} (frame numbers), the top-{@code topK} triplets of each graph.
     */
    public static BufferedImage predicted(String title, List<String> columns, List<PredictedGraph> graphs,
            int topK) {
        if (graphs.isEmpty()) {
            throw new KitException(title + ": no frames to draw");
        }
        if (columns.size() != graphs.size()) {
            throw new KitException(title + ": " + columns.size() + " column labels for " + graphs.size() + " frames");
        }
        List<Set<Integer>> gt = new ArrayList<>();
        List<Set<Integer>> pred = new ArrayList<>();
        TreeSet<Integer> rows = new TreeSet<>();
        for (PredictedGraph g : graphs) {
            Set<Integer> p = relations(g.topK(topK));
            gt.add(Set.of());
            pred.add(p);
            rows.addAll(p);
        }
        String heading = "relations over time  \u00b7  " + title + "  \u00b7  " + graphs.size()
                + " frames  \u00b7  top " + topK + " triplets per frame";
        return draw(heading, columns, gt, pred, rows, false, true);
    }

    private static BufferedImage draw(String heading, List<String> columns, List<Set<Integer>> gt,
            List<Set<Integer>> pred, TreeSet<Integer> rows, boolean withTruth, boolean withPrediction) {
        int n = columns.size();
        List<Integer> rowList = order(rows);

        Font labelFont = Images.font(Font.PLAIN, 12);
        Font small = Images.font(Font.PLAIN, 10);
        Font title = Images.font(Font.BOLD, 14);
        BufferedImage probe = Images.canvas(1, 1);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fl = pg.getFontMetrics(labelFont);
        FontMetrics fs = pg.getFontMetrics(small);
        FontMetrics ft = pg.getFontMetrics(title);

        Font headFont = Images.font(Font.BOLD, 12);
        FontMetrics fh = pg.getFontMetrics(headFont);
        int labelW = 0;
        for (int key : rowList) {
            labelW = Math.max(labelW, key < 0 ? fh.stringWidth(groupLabel(key)) : fl.stringWidth(rowLabel(key)));
        }
        pg.dispose();
        int cell = Math.max(6, Math.min(26, 900 / n));
        int rowH = fl.getHeight() + 6;
        int pad = 12;
        int gridX = pad + labelW + 10;
        int titleH = ft.getHeight() + 8;
        int legendH = fl.getHeight() + 10;
        int gridY = pad + titleH + legendH;
        int colLabelW = fs.stringWidth("000000");
        int width = Math.max(gridX + n * cell + pad, pad + 640);
        int height = gridY + rowList.size() * rowH + colLabelW + 2 * pad;
        BufferedImage img = Images.canvas(width, height);
        Graphics2D g = Images.graphics(img);

        g.setFont(title);
        g.setColor(Images.INK);
        g.drawString(heading, pad, pad + ft.getAscent());
        int lx = pad;
        int ly = pad + titleH;
        g.setFont(labelFont);
        if (!withTruth) {
            legend(g, fl, lx, ly, PRED_ONLY, "predicted");
        } else {
            lx = legend(g, fl, lx, ly, GT_ONLY, withPrediction ? "ground truth only" : "ground truth");
            if (withPrediction) {
                lx = legend(g, fl, lx, ly, PRED_ONLY, "prediction only");
                legend(g, fl, lx, ly, BOTH, "both");
            }
        }

        int prevObject = -1;
        for (int r = 0; r < rowList.size(); r++) {
            int key = rowList.get(r);
            int y = gridY + r * rowH;
            if (key < 0) {
                // a group heading across the whole row, a dark rule above it
                g.setColor(new Color(0xEEF1F5));
                g.fillRect(pad, y + 1, gridX + n * cell - pad, rowH - 1);
                g.setColor(new Color(0x444444));
                g.drawLine(pad, y, gridX + n * cell, y);
                g.setFont(headFont);
                g.setColor(Images.INK);
                g.drawString(groupLabel(key), pad + 2, y + (rowH - fh.getHeight()) / 2 + fh.getAscent());
                prevObject = -1;
                continue;
            }
            if (key / Vocabulary.NUM_PREDICATES != prevObject && prevObject >= 0) {
                g.setColor(new Color(0x888888));
                g.drawLine(gridX - 6, y, gridX + n * cell, y);   // a rule between objects
            }
            prevObject = key / Vocabulary.NUM_PREDICATES;
            g.setColor(Images.INK);
            g.setFont(labelFont);
            String label = rowLabel(key);
            g.drawString(label, gridX - 10 - fl.stringWidth(label), y + (rowH - fl.getHeight()) / 2 + fl.getAscent());
            for (int c = 0; c < n; c++) {
                boolean inGt = gt.get(c).contains(key);
                boolean inPred = pred.get(c).contains(key);
                Color fill = inGt && inPred ? BOTH : inGt ? GT_ONLY : inPred ? PRED_ONLY : null;
                if (fill != null) {
                    g.setColor(fill);
                    g.fillRect(gridX + c * cell + 1, y + 2, cell - 2, rowH - 4);
                }
            }
        }
        g.setColor(GRID);
        for (int r = 0; r <= rowList.size(); r++) {
            g.drawLine(gridX, gridY + r * rowH, gridX + n * cell, gridY + r * rowH);
        }
        // frame numbers under the grid, rotated, thinned so they never overlap
        g.setFont(small);
        g.setColor(Images.INK);
        int every = Math.max(1, (int) Math.ceil((fs.getHeight() + 2) / (double) cell));
        int baseY = gridY + rowList.size() * rowH + 4;
        for (int c = 0; c < n; c += every) {
            String t = columns.get(c);
            AffineTransform saved = g.getTransform();
            g.translate(gridX + c * cell + cell / 2.0 + fs.getAscent() / 2.0, baseY);
            g.rotate(Math.PI / 2);
            g.drawString(t, 0, 0);
            g.setTransform(saved);
        }
        g.dispose();
        return img;
    }

    private static int legend(Graphics2D g, FontMetrics fm, int x, int y, Color c, String text) {
        g.setColor(c);
        g.fillRect(x, y + 2, 14, fm.getHeight() - 4);
        g.setColor(Images.INK);
        g.drawString(text, x + 20, y + fm.getAscent());
        return x + 20 + fm.stringWidth(text) + 24;
    }

    /** The relation type of a row key's predicate. */
    static Vocabulary.Group group(int key) {
        int p = key % Vocabulary.NUM_PREDICATES;
        return p < Vocabulary.SPATIAL_OFFSET ? Vocabulary.Group.ATTENTION
                : p < Vocabulary.CONTACTING_OFFSET ? Vocabulary.Group.SPATIAL : Vocabulary.Group.CONTACTING;
    }

    /** The heading of a group row ({@code -1 - ordinal}). */
    static String groupLabel(int headingRow) {
        return Vocabulary.Group.values()[-1 - headingRow].name().toLowerCase(java.util.Locale.ROOT)
                + " relations";
    }

    /** The rows in drawing order: group headings ({@code -1 - ordinal}) and (object, predicate) keys. */
    static List<Integer> rowOrder(AgVideo video, Map<String, PredictedGraph> predictions, int topK) {
        TreeSet<Integer> rows = new TreeSet<>();
        for (AgFrame f : video.frames()) {
            rows.addAll(relations(PredictedGraph.groundTruth(f)));
            PredictedGraph pg = predictions == null ? null : predictions.get(f.key());
            if (pg != null) {
                rows.addAll(relations(pg.topK(topK)));
            }
        }
        return order(rows);
    }

    private static List<Integer> order(java.util.Collection<Integer> rows) {
        List<Integer> keys = new ArrayList<>(rows);
        keys.sort(java.util.Comparator.comparingInt((Integer k) -> group(k).ordinal())
                .thenComparingInt(k -> k / Vocabulary.NUM_PREDICATES).thenComparingInt(k -> k));
        List<Integer> out = new ArrayList<>();
        Vocabulary.Group current = null;
        for (int k : keys) {
            if (group(k) != current) {
                current = group(k);
                out.add(-1 - current.ordinal());
            }
            out.add(k);
        }
        return out;
    }

    static String rowLabel(int key) {
        return Vocabulary.OBJECT_CLASSES.get(key / Vocabulary.NUM_PREDICATES) + "  \u00b7  "
                + Vocabulary.PREDICATES.get(key % Vocabulary.NUM_PREDICATES);
    }

    /** (object class, predicate) keys of a graph's triplets; the object is the non-person end of the edge. */
    static Set<Integer> relations(PredictedGraph graph) {
        Set<Integer> out = new HashSet<>();
        for (PredictedGraph.Edge e : graph.edges()) {
            int obj = graph.label(e.subject()) == Vocabulary.PERSON ? e.object() : e.subject();
            out.add(graph.label(obj) * Vocabulary.NUM_PREDICATES + e.predicate());
        }
        return out;
    }

    /** Counts of (gt only, prediction only, both) cells: what the picture shows, as numbers for tests and text. */
    static int[] cellCounts(AgVideo video, Map<String, PredictedGraph> predictions, int topK) {
        int[] counts = new int[3];
        Map<String, PredictedGraph> preds = predictions == null ? new HashMap<>() : predictions;
        for (AgFrame f : video.frames()) {
            Set<Integer> g = relations(PredictedGraph.groundTruth(f));
            PredictedGraph pg = preds.get(f.key());
            Set<Integer> p = pg == null ? Set.of() : relations(pg.topK(topK));
            for (int k : g) {
                counts[p.contains(k) ? 2 : 0]++;
            }
            for (int k : p) {
                if (!g.contains(k)) {
                    counts[1]++;
                }
            }
        }
        return counts;
    }
}
