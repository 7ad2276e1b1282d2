package org.m3sgg.video;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * One decoded frame.
 *
 * @param index the frame's number in its source: the 0-based position in the video's decoded stream, or in the
 *     folder's sorted file list (not the number in a file's name)
 * @param name the file name (folder) or {@code frame-%06d} of the index (video)
 * @param image {@link BufferedImage#TYPE_3BYTE_BGR} or {@link BufferedImage#TYPE_INT_RGB}, RGB semantics
 */
public record Frame(int index, String name, BufferedImage image) {

    public Frame {
        if (index < 0) {
            throw new IllegalArgumentException("frame index " + index + " is negative");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    /** The name a video frame gets: {@code frame-000012}. */
    public static String videoName(int index) {
        return String.format("frame-%06d", index);
    }
}
