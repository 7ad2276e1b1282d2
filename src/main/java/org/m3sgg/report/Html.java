package org.m3sgg.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A piece of HTML for a notebook cell, with its text/plain fallback (what a console, a log or a kernel without
 * HTML shows). Under IJava-style kernels, {@link Notebook#setup()} registers a renderer for {@link Rich} values.
 *
 * @param html the HTML fragment
 * @param text a readable plain-text form of the same content (several lines where the content has them)
 */
public record Html(String html, String text) implements Rich {

    public Html {
        if (html == null || text == null) {
            throw new IllegalArgumentException("html and text must not be null");
        }
    }

    /** HTML whose plain-text form is the HTML with its tags removed. */
    public Html(String html) {
        this(html, html == null ? null : plainText(html));
    }

    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/html", html);
        m.put("text/plain", text);
        return m;
    }

    /** The HTML (kernels that show {@code toString()} as HTML keep working). */
    @Override
    public String toString() {
        return html;
    }

    /** Escapes text for use inside HTML element content or a double-quoted attribute. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Tags dropped (block ends become line breaks), the five entities above decoded. */
    static String plainText(String html) {
        String s = html.replaceAll("(?i)<br\\s*/?>|</(p|div|tr|h\\d|li|pre)>", "\n")
                .replaceAll("(?i)</t[dh]>", "  ")
                .replaceAll("<[^>]*>", "");
        s = s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
        return s.replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }
}
