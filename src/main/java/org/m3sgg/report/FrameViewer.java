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
 * drawn on the same person-object arrow. In the prediction row, green predicates match a ground-truth triplet
 * (same classes and predicate, both boxes at IoU >= 0.5) and red ones do not.
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
        rows.add(Images.titled("ground truth  \u00b7  " + frame.key() + "  \u00b7  " + truth.edges().size()
                + " triplets", row(truth, null, background, w, h, options)));
        if (prediction != null) {
            PredictedGraph top = prediction.topK(options.topK());
            rows.add(Images.titled("prediction  \u00b7  top " + top.edges().size()
                    + " triplets by score  \u00b7  green: matches ground truth, red: does not",
                    row(top, truth, background, w, h, options)));
        }
        return Images.vstack(rows, 6);
    }

    /** One row: frame panel and graph panel. With {@code truth}, edges are coloured by whether they match it. */
    static BufferedImage row(PredictedGraph g, PredictedGraph truth, BufferedImage background, int w, int h,
            Options o) {
        Set<Integer> shown = new LinkedHashSet<>();
        for (PredictedGraph.Edge e : g.edges()) {
            shown.add(e.subject());
            shown.add(e.object());
        }
        if (truth == null) {
            // the ground truth shows every annotated box, related or not
            for (int i = 0; i < g.size(); i++) {
                shown.add(i);
            }
        }
        BufferedImage frame = framePanel(g, shown, truth != null, background, w, h, o.maxSide());
        BufferedImage graph = graphPanel(g, truth, frame.getHeight());
        return Images.hstack(List.of(frame, graph), 12);
    }

    // ---- frame panel ----------------------------------------------------------------------------------------

    static BufferedImage framePanel(PredictedGraph g, Set<Integer> shown, boolean withScores,
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
            gr.setColor(colorOf(g.label(i)));
            gr.setStroke(new BasicStroke(2.5f));
            gr.drawRect((int) Math.round(b.x1() * s), (int) Math.round(b.y1() * s),
                    (int) Math.round(b.width() * s), (int) Math.round(b.height() * s));
        }
        gr.setFont(TAG);
        FontMetrics fm = gr.getFontMetrics();
        for (int i : shown) {
            Box b = g.boxes().get(i);
            String text = nodeText(g, i, withScores);
            int tw = fm.stringWidth(text) + 8;
            int th = fm.getHeight() + 2;
            int x = clamp((int) Math.round(b.x1() * s), 0, pw - tw);
            int y = (int) Math.round(b.y1() * s) - th;
            if (y < 0) {
                y = clamp((int) Math.round(b.y1() * s) + 2, 0, ph - th);   // no room above: tag inside the box
            }
            Color c = colorOf(g.label(i));
            gr.setColor(c);
            gr.fillRect(x, y, tw, th);
            gr.setColor(textOn(c));
            gr.drawString(text, x + 4, y + 1 + fm.getAscent());
        }
        gr.dispose();
        return img;
    }

    // ---- graph panel ----------------------------------------------------------------------------------------

    /** Edges of one (left node, right node) pair: the person side on the left. */
    private record Pair(int left, int right) {}

    static BufferedImage graphPanel(PredictedGraph g, PredictedGraph truth, int minHeight) {
        Map<Pair, List<PredictedGraph.Edge>> pairs = new LinkedHashMap<>();
        for (PredictedGraph.Edge e : g.edges()) {
            boolean subjPerson = g.label(e.subject()) == Vocabulary.PERSON;
            boolean objPerson = g.label(e.object()) == Vocabulary.PERSON;
            Pair p = !subjPerson && objPerson ? new Pair(e.object(), e.subject()) : new Pair(e.subject(), e.object());
            pairs.computeIfAbsent(p, k -> new ArrayList<>()).add(e);
        }
        boolean scored = truth != null;
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
                labelW = Math.max(labelW, fp.stringWidth(edgeText(g, edge, scored)) + 12);
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
                blockW = Math.max(blockW, fp.stringWidth(edgeText(g, edge, scored)));
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
                gr.setColor(truth == null ? Images.INK : g.matches(edge, truth) ? MATCH : MISS);
                String t = edgeText(g, edge, scored);
                gr.drawString(t, blockX + blockW - fp.stringWidth(t), ty);
                ty += lineH;
            }
            node(gr, fn, nodeText(g, p.right(), scored), colorOf(g.label(p.right())), rightX, ry - nodeH / 2,
                    rightW, nodeH);
            r++;
        }
        for (var e : leftRows.entrySet()) {
            int ly = (int) Math.round(e.getValue()[0] / e.getValue()[1]);
            node(gr, fn, nodeText(g, e.getKey(), scored), colorOf(g.label(e.getKey())), pad, ly - nodeH / 2, leftW,
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

    static String nodeText(PredictedGraph g, int node, boolean withScore) {
        String name = Vocabulary.OBJECT_CLASSES.get(g.label(node));
        return withScore ? String.format(Locale.ROOT, "%s %.2f", name, g.score(node)) : name;
    }

    static String edgeText(PredictedGraph g, PredictedGraph.Edge e, boolean withScore) {
        String name = Vocabulary.PREDICATES.get(e.predicate());
        return withScore ? String.format(Locale.ROOT, "%s %.2f", name, e.score()) : name;
    }

    /** A fixed colour per object class, the same in every row and every frame; people are always dark blue. */
    static Color colorOf(int label) {
        return label == Vocabulary.PERSON ? PERSON_COLOR : Charts.PALETTE[(label * 7) % Charts.PALETTE.length];
    }

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
