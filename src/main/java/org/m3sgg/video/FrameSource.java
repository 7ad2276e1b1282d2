package org.m3sgg.video;

import java.util.Optional;

/**
 * Frames in order, one at a time (a video is never held in memory whole). Sampling is applied by the source:
 * {@link #next()} returns only the kept frames, with their positions in the source as {@link Frame#index()}.
 * Errors (an unreadable file, a frame of another size) are {@link org.m3sgg.api.KitException}s naming the file and
 * frame.
 */
public interface FrameSource extends AutoCloseable {

    /** The next kept frame, or empty at the end. */
    Optional<Frame> next();

    /** What is being read, for messages and logs: the path, the size, the rate, the sampling. */
    String describe();

    @Override
    void close();
}
