package org.m3sgg.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Java2D helpers shared by the charts, the table image and the frame viewer. */
public final class Images {

    private Images() {}

    public static final Color BACKGROUND = Color.WHITE;
    public static final Color INK = new Color(0x22, 0x22, 0x22);

    /** A white RGB canvas with antialiasing on; the caller disposes the graphics. */
    public static BufferedImage canvas(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return img;
    }

    public static Graphics2D graphics(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        return g;
    }

    public static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    /** Panels side by side, top-aligned, separated by {@code gap} pixels. */
    /** The pictures placed top-left on white canvases of the largest width and height among them. */
    public static List<BufferedImage> sameSize(List<BufferedImage> pictures) {
        int w = 0;
        int h = 0;
        for (BufferedImage img : pictures) {
            w = Math.max(w, img.getWidth());
            h = Math.max(h, img.getHeight());
        }
        List<BufferedImage> out = new ArrayList<>();
        for (BufferedImage img : pictures) {
            BufferedImage c = canvas(w, h);
            Graphics2D g = c.createGraphics();
            g.drawImage(img, 0, 0, null);
            g.dispose();
            out.add(c);
        }
        return out;
    }

    public static BufferedImage hstack(List<BufferedImage> panels, int gap) {
        int w = gap * (panels.size() - 1);
        int h = 0;
        for (BufferedImage p : panels) {
            w += p.getWidth();
            h = Math.max(h, p.getHeight());
        }
        BufferedImage out = canvas(w, h);
        Graphics2D g = out.createGraphics();
        int x = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, x, 0, null);
            x += p.getWidth() + gap;
        }
        g.dispose();
        return out;
    }

    /** Panels stacked top to bottom, left-aligned. */
    public static BufferedImage vstack(List<BufferedImage> panels, int gap) {
        int h = gap * (panels.size() - 1);
        int w = 0;
        for (BufferedImage p : panels) {
            h += p.getHeight();
            w = Math.max(w, p.getWidth());
        }
        BufferedImage out = canvas(w, h);
        Graphics2D g = out.createGraphics();
        int y = 0;
        for (BufferedImage p : panels) {
            g.drawImage(p, 0, y, null);
            y += p.getHeight() + gap;
        }
        g.dispose();
        return out;
    }

    /** Adds a bold title line above an image. */
    public static BufferedImage titled(String title, BufferedImage body) {
        Font f = font(Font.BOLD, 16);
        BufferedImage probe = canvas(1, 1);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fm = pg.getFontMetrics(f);
        pg.dispose();
        int titleH = fm.getHeight() + 12;
        int w = Math.max(body.getWidth(), fm.stringWidth(title) + 20);
        BufferedImage out = canvas(w, body.getHeight() + titleH);
        Graphics2D g = graphics(out);
        g.setColor(INK);
        g.setFont(f);
        g.drawString(title, 10, 6 + fm.getAscent());
        g.drawImage(body, 0, titleH, null);
        g.dispose();
        return out;
    }

    /** Font metrics without an image at hand (the same as on a canvas with antialiasing off). */
    public static FontMetrics metrics(Font f) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        FontMetrics fm = g.getFontMetrics(f);
        g.dispose();
        return fm;
    }

    /** {@code text} itself when it fits in {@code width} pixels, else its longest prefix that fits with "...". */
    public static String ellipsize(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String dots = "\u2026";
        int n = text.length();
        while (n > 0 && fm.stringWidth(text.substring(0, n) + dots) > width) {
            n--;
        }
        return text.substring(0, n) + dots;
    }

    /** Text width in pixels for a font, without an image at hand. */
    public static int textWidth(Font f, String s) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        int w = g.getFontMetrics(f).stringWidth(s);
        g.dispose();
        return w;
    }
}
