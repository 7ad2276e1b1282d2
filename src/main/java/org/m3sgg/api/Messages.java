package org.m3sgg.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * One-line renderings of library messages for the kit's errors: Jackson and SnakeYAML put a source excerpt, a caret
 * or a "[Source: ...]" line under their first line, which would break the kit's one-line errors.
 */
public final class Messages {

    private Messages() {}

    /** The longest first line kept (a parser quoting a 5,000-digit number would quote all of it). */
    static final int MAX = 200;

    /** The first line of {@code message}, trimmed and cut at {@value #MAX} characters ({@code ""} for null). */
    public static String firstLine(String message) {
        String m = message == null ? "" : message.strip();
        int nl = m.indexOf('\n');
        String first = nl < 0 ? m : m.substring(0, nl).strip();
        return first.length() > MAX ? first.substring(0, MAX) + "..." : first;
    }

    /**
     * A JSON/YAML error as one line: the parser's own first line, then {@code (line L, column C)} from the error's
     * location or, when it has none (stream limits), from {@code fallback} (null: no position).
     */
    public static String json(JsonProcessingException e, JsonLocation fallback) {
        JsonLocation at = e.getLocation() != null ? e.getLocation() : fallback;
        return firstLine(e.getOriginalMessage())
                + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
    }
}
