package org.m3sgg.api;

/**
 * An error caused by the user's input (a file, a key, a config value), reported as one clear line without a
 * stack trace. The message names the file, key or frame and what was expected.
 */
public class KitException extends RuntimeException {

    public KitException(String message) {
        super(message);
    }

    public KitException(String message, Throwable cause) {
        super(message, cause);
    }
}
