package org.m3sgg.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;
import tech.tablesaw.api.Table;

/**
 * What a notebook cell returns to show something. Works the same under the kit's kernel (installed by
 * environment/setup.sh), IJava/JJava and rapaio after {@link Notebook#setup()}:
 * <ul>
 *   <li>a {@link BufferedImage} as the cell's last value shows as PNG in all these kernels;</li>
 *   <li>an {@link Html} value shows as HTML (rapaio renders {@code toString()} as HTML; the others get a
 *       renderer registered by {@link Notebook#setup()}).</li>
 * </ul>
 */
public final class Display {

    private Display() {}

    public static Html html(String html) {
        return new Html(html);
    }

    /** A table with plain numbers (3 decimals). */
    public static Html table(Table table) {
        return table(table, Tables.NumberStyle.plain(3));
    }

    public static Html table(Table table, Tables.NumberStyle style) {
        return new Html(Tables.html(table, style));
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
        return new Html("<img alt=\"chart\" src=\"data:image/png;base64," + base64Png(image) + "\"/>");
    }

    /** Several tables, HTML fragments, images or texts in one output, top to bottom. */
    public static Html all(Object... parts) {
        StringBuilder sb = new StringBuilder("<div>");
        for (Object p : parts) {
            sb.append("<div style=\"margin:6px 0\">");
            if (p instanceof Html h) {
                sb.append(h.html());
            } else if (p instanceof BufferedImage img) {
                sb.append(imageHtml(img).html());
            } else if (p instanceof Table t) {
                sb.append(Tables.html(t, Tables.NumberStyle.plain(3)));
            } else {
                sb.append("<pre>").append(Html.escape(String.valueOf(p))).append("</pre>");
            }
            sb.append("</div>");
        }
        return new Html(sb.append("</div>").toString());
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
