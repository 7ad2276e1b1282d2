package org.m3sgg.data;

/**
 * One problem in an Action Genome annotation folder.
 *
 * @param kind what sort of problem
 * @param file the file it is in
 * @param key the frame key (or {@code line N} of a text file), or {@code null} when it concerns the whole file
 * @param message what was found and what was expected
 */
public record Problem(Kind kind, String file, String key, String message) {

    public enum Kind {
        MISSING_FILE, UNREADABLE_PICKLE, CLASS_FILE, UNKNOWN_NAME, MISSING_BOX, BAD_BOX, KEY_MISMATCH, FRAME_LIST,
        BAD_KEY, WRONG_TYPE
    }

    /** One line: {@code file, frame KEY: message}. */
    public String format() {
        if (key == null) {
            return file + ": " + message;
        }
        return file + (key.startsWith("line ") ? ", " : ", frame ") + key + ": " + message;
    }
}
