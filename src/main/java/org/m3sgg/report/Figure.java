package org.m3sgg.report;

import de.erichseifert.vectorgraphics2d.Processor;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.pdf.PDFProcessor;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.internal.chartpart.Chart;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;

/**
 * A figure: a size in pixels and the drawing code that fills it, so the same figure becomes a PNG at any scale
 * (2x for high-density screens, the notebook default), an SVG or a PDF with vector text and shapes.
 *
 * <p>Figures are built from panels ({@link #of(Chart)} for an XChart chart, {@link #of(String, int, int, Painter)}
 * for Java2D drawing, {@link #of(String, BufferedImage)} for a raster) laid out by {@link #grid} above one shared
 * {@link Legend} that wraps to the figure's width. A notebook cell ending in a figure shows its 2x PNG at 1x size,
 * with a one-line text/plain description for consoles and logs.
 */
public final class Figure implements Rich {

    /** Draws the figure into a {@code width x height} user space. */
    @FunctionalInterface
    public interface Painter {
        void paint(Graphics2D g);
    }

    /** The scale of the PNG a notebook shows (displayed at 1x size, so it stays sharp on high-density screens). */
    public static final double SCREEN_SCALE = 2.0;

    private final String title;
    private final int width;
    private final int height;
    private final Painter painter;
    private final Legend legend;
    private final int panels;

    private Figure(String title, int width, int height, Painter painter, Legend legend, int panels) {
        if (width <= 0 || height <= 0) {
            throw new KitException("figure '" + title + "': size " + width + "x" + height + " is not positive");
        }
        this.title = title;
        this.width = width;
        this.height = height;
        this.painter = painter;
        this.legend = legend;
        this.panels = panels;
    }

    public static Figure of(String title, int width, int height, Painter painter) {
        return new Figure(title, width, height, painter, null, 1);
    }

    /** An XChart chart at its own size. */
    public static Figure of(Chart<?, ?> chart) {
        String t = chart.getTitle() == null ? "chart" : chart.getTitle();
        return of(t, chart.getWidth(), chart.getHeight(), g -> chart.paint(g, chart.getWidth(), chart.getHeight()));
    }

    /** A raster image (a table or frame drawn elsewhere); vector exports embed it as an image. */
    public static Figure of(String title, BufferedImage image) {
        return of(title, image.getWidth(), image.getHeight(), g -> g.drawImage(image, 0, 0, null));
    }

    /**
     * Panels in rows of {@code columns}, each cell as wide as its column's widest panel, with {@code legend} (may be
     * null or empty) below all of them, wrapped to the figure's width.
     */
    public static Figure grid(String title, List<Figure> cells, int columns, Legend legend) {
        if (cells.isEmpty()) {
            throw new KitException("figure '" + title + "': no panels to lay out");
        }
        int cols = Math.max(1, Math.min(columns, cells.size()));
        int rows = (cells.size() + cols - 1) / cols;
        int[] colW = new int[cols];
        int[] rowH = new int[rows];
        for (int i = 0; i < cells.size(); i++) {
            colW[i % cols] = Math.max(colW[i % cols], cells.get(i).width);
            rowH[i / cols] = Math.max(rowH[i / cols], cells.get(i).height);
        }
        int w = 0;
        for (int c : colW) {
            w += c;
        }
        int h = 0;
        for (int r : rowH) {
            h += r;
        }
        Legend lg = legend == null || legend.isEmpty() ? null : legend;
        int plotsH = h;
        int legendH = lg == null ? 0 : lg.height(w);
        int width = w;
        int total = 0;
        for (Figure f : cells) {
            total += f.panels;
        }
        List<Figure> copy = List.copyOf(cells);
        Painter p = g -> {
            int y = 0;
            for (int r = 0; r < rows; r++) {
                int x = 0;
                for (int c = 0; c < cols && r * cols + c < copy.size(); c++) {
                    Graphics2D sub = (Graphics2D) g.create();
                    sub.translate(x, y);
                    sub.clipRect(0, 0, colW[c], rowH[r]);
                    copy.get(r * cols + c).painter.paint(sub);
                    sub.dispose();
                    x += colW[c];
                }
                y += rowH[r];
            }
            if (lg != null) {
                lg.paint(g, 0, plotsH, width);
            }
        };
        return new Figure(title, w, h + legendH, p, lg, total);
    }

    /** Panels side by side with a shared legend below. */
    public static Figure row(String title, List<Figure> cells, Legend legend) {
        return grid(title, cells, cells.size(), legend);
    }

    /** Panels top to bottom (e.g. a chart above its table). */
    public static Figure column(String title, List<Figure> cells) {
        return grid(title, cells, 1, null);
    }

    public String title() {
        return title;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The shared legend below the panels, or null. */
    public Legend legend() {
        return legend;
    }

    /** Where the legend starts (its top edge), in 1x pixels; the figure's height when there is none. */
    public int legendTop() {
        return legend == null ? height : height - legend.height(width);
    }

    /** The figure at 1x. */
    public BufferedImage image() {
        return image(1.0);
    }

    /** The figure as a raster at {@code scale} (2: twice as many pixels each way, for high-density screens). */
    public BufferedImage image(double scale) {
        if (!(scale > 0) || scale > 8) {
            throw new KitException("figure '" + title + "': scale " + scale + " is out of range, expected (0, 8]");
        }
        BufferedImage img = Images.canvas((int) Math.ceil(width * scale), (int) Math.ceil(height * scale));
        Graphics2D g = Images.graphics(img);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.scale(scale, scale);
        painter.paint(g);
        g.dispose();
        return img;
    }

    /** Writes the figure as PNG (at {@code scale}), SVG or PDF, chosen by the file's extension; atomically. */
    public Path write(Path file, double scale) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return AtomicFiles.writePng(file, image(scale));
        }
        if (name.endsWith(".svg")) {
            return writeSvg(file);
        }
        if (name.endsWith(".pdf")) {
            return writePdf(file);
        }
        throw new KitException("figure file " + file + ": unknown extension, expected .png, .svg or .pdf");
    }

    /** {@link #write(Path, double)} with PNGs at {@link #SCREEN_SCALE}. */
    public Path write(Path file) {
        return write(file, SCREEN_SCALE);
    }

    public Path writeSvg(Path file) {
        return AtomicFiles.write(file, out -> out.write(svg()));
    }

    public Path writePdf(Path file) {
        return AtomicFiles.write(file, out -> out.write(pdf()));
    }

    /** The figure as an SVG document (UTF-8) of the figure's size in px. */
    public byte[] svg() {
        return vector(new SVGProcessor(), 1.0);
    }

    /** The figure as a one-page PDF of the figure's size, 1 px = 1 pt (a 720 px wide figure is 10 inches). */
    public byte[] pdf() {
        // VectorGraphics2D's PDF page and user units are millimetres
        return vector(new PDFProcessor(true), 25.4 / 72);
    }

    private byte[] vector(Processor processor, double unit) {
        VectorGraphics2D g = new VectorGraphics2D();
        g.scale(unit, unit);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Images.BACKGROUND);
        g.fillRect(0, 0, width, height);
        painter.paint(g);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            processor.getDocument(g.getCommands(), new PageSize(0, 0, width * unit, height * unit)).writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in-memory stream
        }
        return bytes.toByteArray();
    }

    /** A PNG at {@link #SCREEN_SCALE} shown at 1x size, and a line of text. */
    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("image/png", Display.base64Png(image(SCREEN_SCALE)));
        m.put("text/plain", toString());
        return m;
    }

    @Override
    public Map<String, Map<String, Object>> mimeMetadata() {
        return Map.of("image/png", Map.of("width", width, "height", height));
    }

    /** HTML {@code <img>} of the 2x PNG at 1x size, to combine with tables in one output. */
    public Html html() {
        return html(SCREEN_SCALE);
    }

    /** HTML {@code <img>} of a PNG at {@code scale}, shown at 1x size (live views use 1x: a quarter of the work). */
    public Html html(double scale) {
        return new Html("<img alt=\"" + Html.escape(title) + "\" width=\"" + width + "\" height=\"" + height
                + "\" src=\"data:image/png;base64," + Display.base64Png(image(scale)) + "\"/>", toString());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("figure '").append(title).append("', ").append(width).append('x')
                .append(height).append(" px");
        if (panels > 1) {
            sb.append(", ").append(panels).append(" panels");
        }
        if (legend != null) {
            List<String> names = new ArrayList<>();
            legend.entries().forEach(e -> names.add(e.name()));
            sb.append("; legend: ").append(String.join(", ", names));
        }
        return sb.toString();
    }
}
