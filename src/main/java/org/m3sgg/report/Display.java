package org.m3sgg.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.m3sgg.api.KitHome;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgVideo;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.train.TrainerState;
import org.m3sgg.train.TrainingResult;
import tech.tablesaw.api.Table;

/**
 * What a notebook cell returns to show something, each with a readable text/plain next to its HTML or image:
 * <ul>
 *   <li>a {@link Figure} (every chart of {@link Charts}) shows a 2x PNG at 1x size;</li>
 *   <li>an {@link Html} value shows as HTML, its text form in consoles and logs;</li>
 *   <li>{@link #rich(Object)} turns the kit's results (evaluation and training results, Tablesaw tables, videos,
 *       frames, images) and any other value into a {@link Rich} bundle; {@link Notebook#setup()} registers it with
 *       the kit's kernel, IJava and JJava, so that a cell ending in one of those types shows it richly without a
 *       call (rapaio shows {@code toString()} as HTML: {@link Html} values work there, other values their text).</li>
 * </ul>
 */
public final class Display {

    private Display() {}

    /** The kit's types {@link Notebook#setup()} registers with a kernel's renderer (through {@link #rich}). */
    static final List<Class<?>> RICH_TYPES = List.of(Rich.class, Table.class, EvaluationResult.class,
            TrainingResult.class, AgVideo.class, AgFrame.class);

    public static Html html(String html) {
        return new Html(html);
    }

    /** A table with plain numbers (3 decimals). */
    public static Html table(Table table) {
        return table(table, Tables.NumberStyle.plain(3));
    }

    /** A table as HTML, and as aligned text for text/plain. */
    public static Html table(Table table, Tables.NumberStyle style) {
        return new Html(Tables.html(table, style), Tables.text(table, style));
    }

    /** A table of recall fractions shown as percentages with one decimal. */
    public static Html recall(Table table) {
        return table(table, Tables.NumberStyle.percentages());
    }

    /** The image itself: every supported kernel renders a returned BufferedImage as PNG. */
    public static BufferedImage image(BufferedImage image) {
        return image;
    }

    /** An image embedded in HTML as a data URI, to put it in one output with tables ({@link #all}). */
    public static Html imageHtml(BufferedImage image) {
        return new Html("<img alt=\"chart\" src=\"data:image/png;base64," + base64Png(image) + "\"/>",
                "image " + image.getWidth() + "x" + image.getHeight() + " px");
    }

    /** Plain text, shown as text in every front end (HTML-escaped where HTML is used). */
    public static Html text(Object value) {
        String s = String.valueOf(value);
        return new Html("<pre style=\"margin:0\">" + Html.escape(s) + "</pre>", s);
    }

    /** Several tables, figures, HTML fragments, images or texts in one output, top to bottom. */
    public static Html all(Object... parts) {
        StringBuilder sb = new StringBuilder("<div>");
        List<String> texts = new ArrayList<>();
        for (Object p : parts) {
            Html h = p instanceof Figure f ? f.html() : p instanceof BufferedImage img ? imageHtml(img) : asHtml(p);
            sb.append("<div style=\"margin:6px 0\">").append(h.html()).append("</div>");
            texts.add(h.text());
        }
        return new Html(sb.append("</div>").toString(), String.join("\n\n", texts));
    }

    private static Html asHtml(Object value) {
        Rich r = rich(value);
        if (r instanceof Html h) {
            return h;
        }
        Map<String, String> b = r.mimeBundle();
        String text = b.get("text/plain");
        if (b.containsKey("text/html")) {
            return new Html(b.get("text/html"), text);
        }
        if (b.containsKey("image/png")) {
            return new Html("<img alt=\"" + Html.escape(text) + "\" src=\"data:image/png;base64,"
                    + b.get("image/png") + "\"/>", text);
        }
        return text(text);
    }

    /**
     * A rich form of any value: the kit's results get tables and summaries, images a PNG, anything else its
     * {@code toString()} as text (escaped in the HTML form, so a {@code List<String>} holding "&lt;b&gt;" shows as
     * written). Every bundle has text/plain.
     */
    public static Rich rich(Object value) {
        if (value instanceof Rich r) {
            return r;
        }
        if (value instanceof Table t) {
            return table(t, t.columnNames().contains("R@20") ? Tables.NumberStyle.percentages()
                    : Tables.NumberStyle.plain(3));
        }
        if (value instanceof EvaluationResult e) {
            return evaluation(e);
        }
        if (value instanceof TrainingResult t) {
            return training(t);
        }
        if (value instanceof AgVideo v) {
            return video(v);
        }
        if (value instanceof AgFrame f) {
            return frame(f);
        }
        if (value instanceof BufferedImage img) {
            return Figure.of("image", img);
        }
        return text(value);
    }

    /** Recall at K per constraint as a table, with the number of frames. */
    public static Html evaluation(EvaluationResult e) {
        Map<String, Map<String, Map<String, Double>>> one = new LinkedHashMap<>();
        one.put("result", ResultTables.scores(e));
        Table t = ResultTables.recallAll(one).removeColumns("run");
        t.setName("evaluation of " + e.frames() + " frames");
        return recall(t);
    }

    /** A training run: its state, selection and test scores. */
    public static Html training(TrainingResult r) {
        StringBuilder text = new StringBuilder();
        text.append(r.finished() ? "training run, finished" : "training run, interrupted (resume to continue)")
                .append(": ").append(shown(r.runDir())).append('\n');
        text.append(String.format(Locale.ROOT, "%d epochs done, %,d steps", r.history().size(), r.globalStep()));
        if (r.bestEpoch() >= 0) {
            text.append(String.format(Locale.ROOT, "; selected epoch %d (validation metric %.2f%%)",
                    r.bestEpoch() + 1, 100 * r.bestMetric()));
        }
        if (!r.history().isEmpty()) {
            TrainerState.EpochRecord last = r.history().get(r.history().size() - 1);
            text.append(String.format(Locale.ROOT, "; last epoch mean loss %.4f", last.trainLoss()));
        }
        if (r.test() == null) {
            return new Html("<pre style=\"margin:0\">" + Html.escape(text.toString()) + "</pre>", text.toString());
        }
        Html scores = evaluation(r.test());
        return new Html("<div><pre style=\"margin:0 0 6px 0\">" + Html.escape(text.toString()) + "</pre>"
                + scores.html() + "</div>", text + "\ntest split:\n" + scores.text());
    }

    /** A video: id, size, frames, boxes and relations. */
    public static Html video(AgVideo v) {
        String text = String.format(Locale.ROOT, "video %s: %d frames of %dx%d, %d object boxes, %d relations",
                v.id(), v.frames().size(), v.width(), v.height(), v.objectCount(), v.relationCount());
        return text(text);
    }

    /** A frame: its key and ground-truth triplets, one per line. */
    public static Html frame(AgFrame f) {
        PredictedGraph g = PredictedGraph.groundTruth(f);
        StringBuilder sb = new StringBuilder("frame " + f.key() + ": " + f.objects().size() + " objects, "
                + g.edges().size() + " triplets");
        for (PredictedGraph.Edge e : g.edges()) {
            sb.append("\n  ").append(g.tripletText(e));
        }
        return text(sb.toString());
    }

    /** A path as notebooks show it: relative to the kit's home when inside it (no machine-specific prefix). */
    static String shown(Path p) {
        if (p == null) {
            return "-";
        }
        try {
            Path home = KitHome.home().toAbsolutePath().normalize();
            Path abs = p.toAbsolutePath().normalize();
            return abs.startsWith(home) ? home.relativize(abs).toString() : p.getFileName().toString();
        } catch (RuntimeException e) {
            return p.getFileName().toString();
        }
    }

    static String base64Png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in-memory stream: cannot happen short of a broken ImageIO
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
