package org.m3sgg.report;

import org.m3sgg.api.AtomicFiles;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Formatting and export of Tablesaw tables: HTML for notebooks, CSV for files. */
public final class Tables {

    private Tables() {}

    /** How double cells are printed. */
    public record NumberStyle(int decimals, boolean percent) {

        public NumberStyle {
            if (decimals < 0 || decimals > 12) {
                throw new IllegalArgumentException("decimals must be in 0..12, got " + decimals);
            }
        }

        /** Fractions shown as percentages with one decimal, as papers print recall. */
        public static NumberStyle percentages() {
            return new NumberStyle(1, true);
        }

        public static NumberStyle plain(int decimals) {
            return new NumberStyle(decimals, false);
        }
    }

    /** The text of one cell as HTML and the table image show it; missing cells are an en dash. */
    public static String cell(Column<?> column, int row, NumberStyle style) {
        if (column.isMissing(row)) {
            return "\u2013";
        }
        Object v = column.get(row);
        if (v instanceof Double d) {
            double x = style.percent() ? d * 100 : d;
            return String.format(Locale.ROOT, "%." + style.decimals() + "f", x);
        }
        if (v instanceof Long || v instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
        }
        return String.valueOf(v);
    }

    static boolean numeric(Column<?> c) {
        return c.type().equals(tech.tablesaw.api.ColumnType.DOUBLE)
                || c.type().equals(tech.tablesaw.api.ColumnType.INTEGER)
                || c.type().equals(tech.tablesaw.api.ColumnType.LONG)
                || c.type().equals(tech.tablesaw.api.ColumnType.FLOAT);
    }

    /**
     * A self-contained HTML table (inline styles only, no scripts or external CSS), numbers right-aligned. With a
     * percent style, the caption says so.
     */
    public static String html(Table table, NumberStyle style) {
        StringBuilder sb = new StringBuilder();
        sb.append("<table style=\"border-collapse:collapse;font-family:sans-serif;font-size:13px\">");
        String caption = table.name() == null ? "" : table.name();
        if (style.percent()) {
            caption = caption.isEmpty() ? "values in %" : caption + " (values in %)";
        }
        if (!caption.isEmpty()) {
            sb.append("<caption style=\"text-align:left;font-weight:bold;padding:4px\">")
                    .append(Html.escape(caption)).append("</caption>");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : table.columns()) {
            sb.append("<th style=\"border-bottom:2px solid #444;padding:3px 8px;text-align:")
                    .append(numeric(c) ? "right" : "left").append("\">").append(Html.escape(c.name()))
                    .append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append("<tr>");
            for (Column<?> c : table.columns()) {
                sb.append("<td style=\"border-bottom:1px solid #ddd;padding:3px 8px;text-align:")
                        .append(numeric(c) ? "right" : "left").append("\">")
                        .append(Html.escape(cell(c, r, style))).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
        return sb.toString();
    }

    /**
     * The table as aligned plain text, one line per row (the text/plain form of a table in a notebook, a log or a
     * console): the caption, a header, a rule, then the cells formatted as {@link #cell} formats them, numbers
     * right-aligned.
     */
    public static String text(Table table, NumberStyle style) {
        int cols = table.columnCount();
        int[] w = new int[cols];
        String[][] cells = new String[table.rowCount()][cols];
        for (int c = 0; c < cols; c++) {
            Column<?> col = table.column(c);
            w[c] = col.name().length();
            for (int r = 0; r < table.rowCount(); r++) {
                cells[r][c] = cell(col, r, style);
                w[c] = Math.max(w[c], cells[r][c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        String caption = table.name() == null ? "" : table.name();
        if (style.percent()) {
            caption = caption.isEmpty() ? "values in %" : caption + " (values in %)";
        }
        if (!caption.isEmpty()) {
            sb.append(caption).append('\n');
        }
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < cols; c++) {
            Column<?> col = table.column(c);
            sb.append(c == 0 ? "" : "  ").append(pad(col.name(), w[c], numeric(col)));
            rule.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        }
        sb.append('\n').append(rule);
        for (int r = 0; r < table.rowCount(); r++) {
            sb.append('\n');
            for (int c = 0; c < cols; c++) {
                sb.append(c == 0 ? "" : "  ").append(pad(cells[r][c], w[c], numeric(table.column(c))));
            }
        }
        return sb.toString().replaceAll(" +\n", "\n").stripTrailing();
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return right ? fill + s : s + fill;
    }

    /**
     * CSV text: a header row, then values at full precision (doubles as Java prints them, so they read back
     * exactly); missing cells are empty; fields with commas, quotes or line breaks are quoted.
     */
    public static String csv(Table table) {
        StringBuilder sb = new StringBuilder();
        int n = table.columnCount();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(quote(table.column(i).name()));
        }
        sb.append('\n');
        for (int r = 0; r < table.rowCount(); r++) {
            for (int i = 0; i < n; i++) {
                Column<?> c = table.column(i);
                sb.append(i == 0 ? "" : ",");
                if (!c.isMissing(r)) {
                    sb.append(quote(String.valueOf(c.get(r))));
                }
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@link #csv(Table)} to {@code target} atomically (temp file + rename). */
    public static Path writeCsv(Table table, Path target) {
        String text = csv(table);
        return AtomicFiles.write(target, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
        });
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
