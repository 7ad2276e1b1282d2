package org.m3sgg.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;

/**
 * Draws one frame: its boxes with class names and its scene graph, the ground truth above a model's prediction.
 *
 * <p>Each row shows the frame (the image when one is given, otherwise a blank canvas of the frame's size, as for
 * the bundled synthetic world) and the graph beside it: person nodes on the left, an arrow to each object carrying
 * the predicates of that person-object pair. Spatial triplets, which the evaluator writes object -> person, are
 * drawn on the same person-object arrow. Each object has its own colour, the same in both rows, and box tags are
 * placed so that they do not overlap.
 *
 * <p>With a prediction the errors are marked: in the ground-truth row a triplet is green with a tick when the
 * prediction's top-k recalls it and red with a cross when it is missed; in the prediction row a triplet is green
 * when it matches the ground truth (same classes and predicate, both boxes at IoU >= 0.5) and red when not.
 */
public final class FrameViewer {

    private FrameViewer() {}

    /**
     * @param maxSide the frame is scaled so that its longer side has this many pixels
     * @param topK how many of the prediction's best triplets to draw
     */
    public record Options(int maxSide, int topK) {

        public Options {
            if (maxSide < 64) {
                throw new KitException("frame viewer: maxSide " + maxSide + " is too small, expected >= 64");
            }
            if (topK < 0) {
                throw new KitException("frame viewer: topK must be >= 0, got " + topK);
            }
        }

        public static Options defaults() {
            return new Options(520, 10);
        }
    }

    static final Color PERSON_COLOR = new Color(0x2B4C8C);
    static final Color MATCH = new Color(0x2E8B3E);
    static final Color MISS = new Color(0xC62828);
    private static final Color CANVAS = new Color(0xF3F4F6);
    private static final Color EDGE = new Color(0x555555);
    private static final Font TAG = Images.font(Font.BOLD, 12);
    private static final Font NODE = Images.font(Font.BOLD, 13);
    private static final Font PRED = Images.font(Font.PLAIN, 12);

    /** Ground truth above the prediction for frame {@code index} of a video, on a blank canvas. */
    public static BufferedImage compare(AgVideo video, int index, PredictedGraph prediction) {
        if (index < 0 || index >= video.frames().size()) {
            throw new KitException("video " + video.id() + " has " + video.frames().size() + " frames, index "
                    + index + " is out of range");
        }
        return compare(video.frames().get(index), video.width(), video.height(), prediction, null,
                Options.defaults());
    }

    /**
     * Ground truth, and the prediction's top-k triplets when {@code prediction} is not null.
     *
     * @param width frame width in annotation pixels (0: take the image's width)
     * @param height frame height in annotation pixels (0: take the image's height)
     * @param image the frame's image file, or null to draw on a blank canvas
     */
    public static BufferedImage compare(AgFrame frame, int width, int height, PredictedGraph prediction, Path image,
            Options options) {
        BufferedImage background = image == null ? null : readImage(image, frame);
        // boxes are in the annotation's pixel space: the given frame size wins and the image is stretched to it
        // (a downscaled copy of a frame still lines up); without a size, the image's own size is used
        int w = width > 0 || background == null ? width : background.getWidth();
        int h = height > 0 || background == null ? height : background.getHeight();
        if (w <= 0 || h <= 0) {
            throw new KitException("frame " + frame.key() + ": frame size " + w + "x" + h
                    + " is not positive, expected the video's width and height");
        }
        PredictedGraph truth = PredictedGraph.groundTruth(frame);
        List<BufferedImage> rows = new ArrayList<>();
        Color[] truthColors = objectColors(truth, null);
        if (prediction == null) {
            rows.add(Images.titled("ground truth  \u00b7  " + frame.key() + "  \u00b7  " + truth.edges().size()
                    + " triplets", row(truth, null, truthColors, true, background, w, h, options)));
            return Images.vstack(rows, 6);
        }
        PredictedGraph top = prediction.topK(options.topK());
        int recalled = 0;
        for (PredictedGraph.Edge e : truth.edges()) {
            recalled += top.recalls(e, truth) ? 1 : 0;
        }
        java.util.function.Predicate<PredictedGraph.Edge> isRecalled = e -> top.recalls(e, truth);
        rows.add(Images.titled("ground truth  \u00b7  " + frame.key() + "  \u00b7  " + recalled + " of "
                + truth.edges().size() + " triplets recalled by the top " + top.edges().size()
                + "  \u00b7  \u2713 green: recalled, \u2717 red: missed",
                row(truth, isRecalled, truthColors, true, background, w, h, options)));
        java.util.function.Predicate<PredictedGraph.Edge> isCorrect = e -> top.matches(e, truth);
        rows.add(Images.titled("prediction  \u00b7  top " + top.edges().size()
                + " triplets by score  \u00b7  \u2713 green: matches ground truth, \u2717 red: does not",
                row(top, isCorrect, objectColors(top, truth), false, background, w, h, options)));
        return Images.vstack(rows, 6);
    }

    /**
     * A prediction on a frame without ground truth (a video the kit runs inference on): the frame with the boxes of
     * the top-k triplets' objects (class and score) and the graph of those triplets beside it, under a title.
     *
     * @param image the frame; boxes are in its pixels
     */
    public static BufferedImage overlay(BufferedImage image, PredictedGraph prediction, String title,
            Options options) {
        PredictedGraph top = prediction.topK(options.topK());
        String head = title + "  \u00b7  " + prediction.size() + " objects  \u00b7  top " + top.edges().size()
                + " triplets by score";
        return Images.titled(head, row(top, null, objectColors(top, null), false, image, image.getWidth(),
                image.getHeight(), options));
    }

    /**
     * Object colours that tell the objects of a frame apart: people dark blue, every other object its own colour
     * of {@link #OBJECT_PALETTE}. A predicted object takes the colour of the ground-truth object it overlaps
     * (same class, IoU >= 0.5), so one object has one colour in both rows; other predicted objects get the
     * colours after the ground truth's.
     *
     * @param truth null when {@code g} is the ground truth itself
     */
    static Color[] objectColors(PredictedGraph g, PredictedGraph truth) {
        Color[] out = new Color[g.size()];
        Color[] ref = truth == null ? null : objectColors(truth, null);
        int next = 0;
        if (truth != null) {
            for (int i = 0; i < truth.size(); i++) {
                next += truth.label(i) == Vocabulary.PERSON ? 0 : 1;
            }
        }
        for (int i = 0; i < g.size(); i++) {
            if (g.label(i) == Vocabulary.PERSON) {
                out[i] = PERSON_COLOR;
                continue;
            }
            int match = -1;
            double best = 0.5;
            for (int j = 0; truth != null && j < truth.size(); j++) {
                double iou = PredictedGraph.iou(g.boxes().get(i), truth.boxes().get(j));
                if (truth.label(j) == g.label(i) && iou >= best) {
                    best = iou;
                    match = j;
                }
            }
            out[i] = match >= 0 ? ref[match] : OBJECT_PALETTE[next++ % OBJECT_PALETTE.length];
        }
        return out;
    }

    /**
     * One row: frame panel and graph panel. With {@code good}, edges are marked green with a tick where it holds
     * and red with a cross where not (recalled or missed in the truth row, correct or wrong in the prediction's).
     */
    static BufferedImage row(PredictedGraph g, java.util.function.Predicate<PredictedGraph.Edge> good, Color[] colors,
            boolean isTruth, BufferedImage background, int w, int h, Options o) {
        Set<Integer> shown = new LinkedHashSet<>();
        for (PredictedGraph.Edge e : g.edges()) {
            shown.add(e.subject());
            shown.add(e.object());
        }
        if (isTruth) {
            // the ground truth shows every annotated box, related or not
            for (int i = 0; i < g.size(); i++) {
                shown.add(i);
            }
        }
        BufferedImage frame = framePanel(g, shown, colors, !isTruth, background, w, h, o.maxSide());
        BufferedImage graph = graphPanel(g, good, colors, !isTruth, frame.getHeight());
        return Images.hstack(List.of(frame, graph), 12);
    }

    // ---- frame panel ----------------------------------------------------------------------------------------

    static BufferedImage framePanel(PredictedGraph g, Set<Integer> shown, Color[] colors, boolean withScores,
            BufferedImage background, int w, int h, int maxSide) {
        double s = (double) maxSide / Math.max(w, h);
        int pw = Math.max(1, (int) Math.round(w * s));
        int ph = Math.max(1, (int) Math.round(h * s));
        BufferedImage img = Images.canvas(pw, ph);
        Graphics2D gr = Images.graphics(img);
        if (background != null) {
            gr.drawImage(background, 0, 0, pw, ph, null);
        } else {
            gr.setColor(CANVAS);
            gr.fillRect(0, 0, pw, ph);
            gr.setColor(new Color(0x9AA0A6));
            gr.setFont(Images.font(Font.ITALIC, 11));
            String note = "no image: " + w + "x" + h + " canvas";
            gr.drawString(note, pw - gr.getFontMetrics().stringWidth(note) - 6, ph - 6);
        }
        gr.setColor(new Color(0xBBBBBB));
        gr.drawRect(0, 0, pw - 1, ph - 1);
        // boxes first, tags after, so no box line crosses a tag
        for (int i : shown) {
            Box b = g.boxes().get(i);
            gr.setColor(colors[i]);
            gr.setStroke(new BasicStroke(2.5f));
            gr.drawRect((int) Math.round(b.x1() * s), (int) Math.round(b.y1() * s),
                    (int) Math.round(b.width() * s), (int) Math.round(b.height() * s));
        }
        gr.setFont(TAG);
        FontMetrics fm = gr.getFontMetrics();
        List<java.awt.Rectangle> placed = new ArrayList<>();
        for (int i : shown) {
            Box b = g.boxes().get(i);
            String text = nodeText(g, i, withScores);
            java.awt.Rectangle tag = placeTag(b, s, fm.stringWidth(text) + 8, fm.getHeight() + 2, pw, ph, placed);
            placed.add(tag);
            Color c = colors[i];
            gr.setColor(c);
            gr.fillRect(tag.x, tag.y, tag.width, tag.height);
            gr.setColor(textOn(c));
            gr.drawString(text, tag.x + 4, tag.y + 1 + fm.getAscent());
        }
        gr.dispose();
        return img;
    }

    /**
     * Where a box's tag goes so that it overlaps no tag placed before: above the box's top-left corner, else just
     * inside it, else below the box, else stepped down (then up) from there a tag height at a time; the first
     * free spot inside the panel wins (a crowded frame may still overlap once every spot is taken).
     */
    static java.awt.Rectangle placeTag(Box b, double s, int tw, int th, int pw, int ph,
            List<java.awt.Rectangle> placed) {
        int x = clamp((int) Math.round(b.x1() * s), 0, Math.max(0, pw - tw));
        int top = (int) Math.round(b.y1() * s);
        int bottom = (int) Math.round(b.y2() * s);
        List<Integer> ys = new ArrayList<>(List.of(top - th, top + 2, bottom + 2));
        for (int k = 1; k * th < ph; k++) {
            ys.add(top + 2 + k * th);
            ys.add(top - th - k * th);
        }
        java.awt.Rectangle first = null;
        for (int y : ys) {
            if (y < 0 || y + th > ph) {
                continue;
            }
            java.awt.Rectangle r = new java.awt.Rectangle(x, y, tw, th);
            if (first == null) {
                first = r;
            }
            boolean free = true;
            for (java.awt.Rectangle p : placed) {
                free &= !p.intersects(r);
            }
            if (free) {
                return r;
            }
        }
        return first != null ? first : new java.awt.Rectangle(x, 0, tw, th);
    }

    // ---- graph panel ----------------------------------------------------------------------------------------

    /** Edges of one (left node, right node) pair: the person side on the left. */
    private record Pair(int left, int right) {}

    static BufferedImage graphPanel(PredictedGraph g, java.util.function.Predicate<PredictedGraph.Edge> good,
            Color[] colors, boolean scored, int minHeight) {
        Map<Pair, List<PredictedGraph.Edge>> pairs = new LinkedHashMap<>();
        for (PredictedGraph.Edge e : g.edges()) {
            boolean subjPerson = g.label(e.subject()) == Vocabulary.PERSON;
            boolean objPerson = g.label(e.object()) == Vocabulary.PERSON;
            Pair p = !subjPerson && objPerson ? new Pair(e.object(), e.subject()) : new Pair(e.subject(), e.object());
            pairs.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
        }
        BufferedImage probe = Images.canvas(1, 1);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fn = pg.getFontMetrics(NODE);
        FontMetrics fp = pg.getFontMetrics(PRED);
        pg.dispose();

        // column widths from the widest texts
        int leftW = 0;
        int rightW = 0;
        int labelW = 0;
        for (var e : pairs.entrySet()) {
            leftW = Math.max(leftW, fn.stringWidth(nodeText(g, e.getKey().left(), scored)) + 20);
            rightW = Math.max(rightW, fn.stringWidth(nodeText(g, e.getKey().right(), scored)) + 20);
            for (PredictedGraph.Edge edge : e.getValue()) {
                labelW = Math.max(labelW, fp.stringWidth(mark(good, edge) + edgeText(g, edge, scored)) + 12);
            }
        }
        int nodeH = fn.getHeight() + 10;
        int lineH = fp.getHeight();
        int pad = 14;
        int gapLine = 48;   // the visible stretch of arrow between the person node and the label block
        int width = Math.max(360, pad + leftW + gapLine + labelW + 24 + rightW + pad);
        int[] rowY = new int[pairs.size()];
        int[] rowH = new int[pairs.size()];
        int y = pad;
        int r = 0;
        for (var edges : pairs.values()) {
            rowH[r] = Math.max(nodeH + 8, edges.size() * lineH + 14);
            rowY[r] = y;
            y += rowH[r] + 6;
            r++;
        }
        int height = Math.max(minHeight, y + pad);
        BufferedImage img = Images.canvas(width, height);
        Graphics2D gr = Images.graphics(img);
        if (pairs.isEmpty()) {
            gr.setColor(EDGE);
            gr.setFont(PRED);
            gr.drawString("no relations", pad, pad + lineH);
            gr.dispose();
            return img;
        }
        // left nodes sit at the mean height of their rows
        Map<Integer, double[]> leftRows = new LinkedHashMap<>();
        r = 0;
        for (Pair p : pairs.keySet()) {
            double[] acc = leftRows.computeIfAbsent(p.left(), k -> new double[2]);
            acc[0] += rowY[r] + rowH[r] / 2.0;
            acc[1]++;
            r++;
        }
        int rightX = width - pad - rightW;
        r = 0;
        for (var e : pairs.entrySet()) {
            Pair p = e.getKey();
            double[] acc = leftRows.get(p.left());
            int ly = (int) Math.round(acc[0] / acc[1]);
            int ry = rowY[r] + rowH[r] / 2;
            int blockW = 0;
            for (PredictedGraph.Edge edge : e.getValue()) {
                blockW = Math.max(blockW, fp.stringWidth(mark(good, edge) + edgeText(g, edge, scored)));
            }
            int blockX = rightX - 18 - blockW;
            int blockH = e.getValue().size() * lineH;
            // the edge runs from the person to the object; its label sits on it in a white box, so the line
            // shows on both sides of the label and ends in the arrow head at the object
            gr.setColor(EDGE);
            gr.setStroke(new BasicStroke(1.6f));
            gr.drawLine(pad + leftW, ly, blockX, ry);
            arrow(gr, blockX + blockW, ry, rightX - 1, ry);
            gr.setColor(Color.WHITE);
            gr.fillRoundRect(blockX - 5, ry - blockH / 2 - 3, blockW + 10, blockH + 6, 8, 8);
            gr.setColor(new Color(0xCCCCCC));
            gr.setStroke(new BasicStroke(1f));
            gr.drawRoundRect(blockX - 5, ry - blockH / 2 - 3, blockW + 10, blockH + 6, 8, 8);
            gr.setFont(PRED);
            int ty = ry - blockH / 2 + fp.getAscent();
            for (PredictedGraph.Edge edge : e.getValue()) {
                gr.setColor(good == null ? Images.INK : good.test(edge) ? MATCH : MISS);
                String t = mark(good, edge) + edgeText(g, edge, scored);
                gr.drawString(t, blockX + blockW - fp.stringWidth(t), ty);
                ty += lineH;
            }
            node(gr, fn, nodeText(g, p.right(), scored), colors[p.right()], rightX, ry - nodeH / 2,
                    rightW, nodeH);
            r++;
        }
        for (var e : leftRows.entrySet()) {
            int ly = (int) Math.round(e.getValue()[0] / e.getValue()[1]);
            node(gr, fn, nodeText(g, e.getKey(), scored), colors[e.getKey()], pad, ly - nodeH / 2, leftW,
                    nodeH);
        }
        gr.dispose();
        return img;
    }

    private static void node(Graphics2D g, FontMetrics fm, String text, Color c, int x, int y, int w, int h) {
        g.setColor(c);
        g.fillRoundRect(x, y, w, h, 12, 12);
        g.setColor(textOn(c));
        g.setFont(NODE);
        g.drawString(text, x + (w - fm.stringWidth(text)) / 2, y + (h - fm.getHeight()) / 2 + fm.getAscent());
    }

    private static void arrow(Graphics2D g, int x1, int y1, int x2, int y2) {
        g.drawLine(x1, y1, x2 - 6, y2);
        Path2D head = new Path2D.Double();
        head.moveTo(0, 0);
        head.lineTo(-9, -4.5);
        head.lineTo(-9, 4.5);
        head.closePath();
        AffineTransform at = AffineTransform.getTranslateInstance(x2, y2);
        at.rotate(Math.atan2(y2 - y1, x2 - x1));
        g.fill(at.createTransformedShape(head));
    }

    /** A tick or a cross before a marked edge, so the marks read without colour too. */
    private static String mark(java.util.function.Predicate<PredictedGraph.Edge> good, PredictedGraph.Edge e) {
        return good == null ? "" : good.test(e) ? "\u2713 " : "\u2717 ";
    }

    static String nodeText(PredictedGraph g, int node, boolean withScore) {
        String name = Vocabulary.OBJECT_CLASSES.get(g.label(node));
        return withScore ? String.format(Locale.ROOT, "%s %.2f", name, g.score(node)) : name;
    }

    static String edgeText(PredictedGraph g, PredictedGraph.Edge e, boolean withScore) {
        String name = Vocabulary.PREDICATES.get(e.predicate());
        return withScore ? String.format(Locale.ROOT, "%s %.2f", name, e.score()) : name;
    }

    /**
     * Object colours: distinct from each other, from the person's dark blue and from the green and red of the
     * recall marks.
     */
    static final Color[] OBJECT_PALETTE = {
        new Color(0xF28E2B), new Color(0x76B7B2), new Color(0xB07AA1), new Color(0xEDC948), new Color(0x9C755F),
        new Color(0xFF9DA7), new Color(0xA0CBE8), new Color(0x79706E), new Color(0xD4A6C8), new Color(0xB6992D)
    };

    /** Black or white text, whichever reads better on {@code c}. */
    static Color textOn(Color c) {
        double luminance = 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
        return luminance > 150 ? Color.BLACK : Color.WHITE;
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    private static BufferedImage readImage(Path image, AgFrame frame) {
        if (!Files.isRegularFile(image)) {
            throw new KitException("frame " + frame.key() + ": image file " + image + " does not exist");
        }
        try {
            BufferedImage img = ImageIO.read(image.toFile());
            if (img == null) {
                throw new KitException("frame " + frame.key() + ": " + image
                        + " is not an image Java can read (expected PNG, JPEG, GIF or BMP)");
            }
            return img;
        } catch (IOException e) {
            throw new KitException("frame " + frame.key() + ": cannot read image " + image + ": " + e.getMessage(),
                    e);
        }
    }
}
