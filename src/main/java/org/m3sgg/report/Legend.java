package org.m3sgg.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.util.ArrayList;
import java.util.List;
import org.m3sgg.api.KitException;

/**
 * A legend drawn below a figure's panels: entries laid out left to right and wrapped onto further lines when the
 * next one would cross the right edge, so every entry shows in full however long the run names are (a name wider
 * than the whole figure is shortened with an ellipsis, the only case that cuts text).
 *
 * <p>The layout is computed before drawing ({@link #layout}), so a figure knows its height in advance and tests can
 * check that every entry lies inside the image.
 */
public final class Legend {

    /** How an entry's key is drawn: a filled box (bars), a line with a dot (curves), or text only (a note). */
    public enum Kind { BOX, LINE, NOTE }

    public record Entry(String name, Color color, Kind kind) {
        public Entry {
            if (name == null || color == null || kind == null) {
                throw new KitException("legend entry: name, colour and kind must be given");
            }
        }
    }

    /** Where each entry goes, relative to the legend's top-left corner, and the total height. */
    public record Layout(List<Rectangle> boxes, List<String> texts, int height) {}

    static final Font FONT = Images.font(Font.PLAIN, 13);
    private static final int KEY_W = 18;
    private static final int KEY_GAP = 6;
    private static final int ENTRY_GAP = 22;
    private static final int LINE_GAP = 4;
    private static final int PAD = 8;

    private final List<Entry> entries;

    public Legend(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** One entry per name, coloured with {@link Charts#PALETTE} in order. */
    public static Legend of(Kind kind, List<String> names) {
        List<Entry> e = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            e.add(new Entry(names.get(i), Charts.PALETTE[i % Charts.PALETTE.length], kind));
        }
        return new Legend(e);
    }

    public Legend plus(Entry e) {
        List<Entry> all = new ArrayList<>(entries);
        all.add(e);
        return new Legend(all);
    }

    public List<Entry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Lays the entries out in lines no wider than {@code width} pixels. */
    public Layout layout(int width) {
        FontMetrics fm = Images.metrics(FONT);
        int lineH = fm.getHeight();
        int avail = Math.max(60, width - 2 * PAD);
        List<Rectangle> boxes = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        int x = PAD;
        int y = PAD;
        for (Entry e : entries) {
            int keyW = e.kind() == Kind.NOTE ? 0 : KEY_W + KEY_GAP;
            String text = Images.ellipsize(e.name(), fm, avail - keyW);
            int w = keyW + fm.stringWidth(text);
            if (x > PAD && x + w > PAD + avail) {
                x = PAD;
                y += lineH + LINE_GAP;
            }
            boxes.add(new Rectangle(x, y, w, lineH));
            texts.add(text);
            x += w + ENTRY_GAP;
        }
        int height = entries.isEmpty() ? 0 : y + lineH + PAD;
        return new Layout(boxes, texts, height);
    }

    /** The height the legend takes at {@code width}. */
    public int height(int width) {
        return layout(width).height();
    }

    /** Draws the legend with its top-left corner at (x, y), wrapped to {@code width}. */
    public void paint(Graphics2D g, int x, int y, int width) {
        Layout l = layout(width);
        FontMetrics fm = g.getFontMetrics(FONT);
        g.setFont(FONT);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            Rectangle b = l.boxes().get(i);
            int bx = x + b.x;
            int by = y + b.y;
            int mid = by + b.height / 2;
            g.setColor(e.color());
            int textX = bx;
            if (e.kind() == Kind.BOX) {
                g.fillRect(bx, mid - 6, KEY_W - 4, 12);
                textX = bx + KEY_W + KEY_GAP;
            } else if (e.kind() == Kind.LINE) {
                g.setStroke(new BasicStroke(2.5f));
                g.drawLine(bx, mid, bx + KEY_W, mid);
                g.fillOval(bx + KEY_W / 2 - 3, mid - 3, 7, 7);
                g.setStroke(new BasicStroke(1f));
                textX = bx + KEY_W + KEY_GAP;
            }
            g.setColor(e.kind() == Kind.NOTE ? e.color() : Images.INK);
            g.drawString(l.texts().get(i), textX, by + fm.getAscent());
        }
    }
}
