package org.m3sgg.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A table drawn as an image: for figures in a report, and for kernels or viewers that show images but not HTML.
 */
public final class TableImage {

    private TableImage() {}

    private static final Color HEADER_BG = new Color(0xE8, 0xEC, 0xF2);
    private static final Color ZEBRA = new Color(0xF6, 0xF7, 0xF9);
    private static final Color RULE = new Color(0xBB, 0xBB, 0xBB);

    public static BufferedImage render(Table table, Tables.NumberStyle style) {
        Font body = Images.font(Font.PLAIN, 13);
        Font head = Images.font(Font.BOLD, 13);
        Font title = Images.font(Font.BOLD, 14);
        BufferedImage probe = Images.canvas(1, 1);
        Graphics2D pg = probe.createGraphics();
        FontMetrics fb = pg.getFontMetrics(body);
        FontMetrics fh = pg.getFontMetrics(head);
        FontMetrics ft = pg.getFontMetrics(title);
        pg.dispose();

        int cols = table.columnCount();
        int rows = table.rowCount();
        String[][] text = new String[rows][cols];
        int[] widths = new int[cols];
        for (int c = 0; c < cols; c++) {
            Column<?> col = table.column(c);
            widths[c] = fh.stringWidth(col.name());
            for (int r = 0; r < rows; r++) {
                text[r][c] = Tables.cell(col, r, style);
                widths[c] = Math.max(widths[c], fb.stringWidth(text[r][c]));
            }
        }
        int padX = 10;
        int rowH = fb.getHeight() + 8;
        String caption = table.name() == null ? "" : table.name();
        if (style.percent()) {
            caption = caption.isEmpty() ? "values in %" : caption + " (values in %)";
        }
        int titleH = caption.isEmpty() ? 0 : ft.getHeight() + 8;
        int w = 2 * padX;
        for (int cw : widths) {
            w += cw + 2 * padX;
        }
        w = Math.max(w, ft.stringWidth(caption) + 2 * padX);
        int h = titleH + rowH * (rows + 1) + 2 * padX;
        BufferedImage img = Images.canvas(w, h);
        Graphics2D g = Images.graphics(img);
        int y0 = padX;
        if (!caption.isEmpty()) {
            g.setFont(title);
            g.setColor(Images.INK);
            g.drawString(caption, padX, y0 + ft.getAscent());
            y0 += titleH;
        }
        g.setColor(HEADER_BG);
        g.fillRect(padX, y0, w - 2 * padX, rowH);
        for (int r = 0; r < rows; r++) {
            if (r % 2 == 1) {
                g.setColor(ZEBRA);
                g.fillRect(padX, y0 + rowH * (r + 1), w - 2 * padX, rowH);
            }
        }
        int x = padX;
        for (int c = 0; c < cols; c++) {
            Column<?> col = table.column(c);
            boolean right = Tables.numeric(col);
            g.setColor(Images.INK);
            g.setFont(head);
            drawCell(g, fh, col.name(), x + padX, widths[c], y0, rowH, right);
            g.setFont(body);
            for (int r = 0; r < rows; r++) {
                drawCell(g, fb, text[r][c], x + padX, widths[c], y0 + rowH * (r + 1), rowH, right);
            }
            x += widths[c] + 2 * padX;
        }
        g.setColor(RULE);
        g.drawLine(padX, y0 + rowH, w - padX, y0 + rowH);
        g.drawLine(padX, y0 + rowH * (rows + 1), w - padX, y0 + rowH * (rows + 1));
        g.dispose();
        return img;
    }

    private static void drawCell(Graphics2D g, FontMetrics fm, String s, int x, int width, int y, int rowH,
            boolean right) {
        int tx = right ? x + width - fm.stringWidth(s) : x;
        int ty = y + (rowH - fm.getHeight()) / 2 + fm.getAscent();
        g.drawString(s, tx, ty);
    }
}
