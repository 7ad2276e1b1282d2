package org.m3sgg.report;

/**
 * A piece of HTML for a notebook cell. The rapaio kernel renders a cell's value through {@code toString()} as
 * {@code text/html}, so returning this object shows the HTML; under IJava/JJava, {@link Notebook#setup()} registers
 * a renderer for this type.
 */
public record Html(String html) {

    public Html {
        if (html == null) {
            throw new IllegalArgumentException("html must not be null");
        }
    }

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
}
