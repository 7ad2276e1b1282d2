package org.m3sgg.video;

import java.nio.file.Files;
import java.nio.file.Path;
import org.m3sgg.api.KitException;

/** Opens frame folders and video files as {@link FrameSource}s. */
public final class FrameSources {

    private FrameSources() {}

    /**
     * A folder of frames ({@link #folder(Path, Sampling)}) or a video file ({@link #video(Path, Sampling)}),
     * whichever {@code fileOrFolder} is.
     */
    public static FrameSource open(Path fileOrFolder, Sampling sampling) {
        return open(fileOrFolder, sampling, 0);
    }

    /**
     * As {@link #open(Path, Sampling)}; a folder is played at {@code folderFps} frames per second (0: unknown) for
     * rate sampling.
     */
    public static FrameSource open(Path fileOrFolder, Sampling sampling, double folderFps) {
        if (Files.isDirectory(fileOrFolder)) {
            return folder(fileOrFolder, sampling, folderFps);
        }
        if (Files.isRegularFile(fileOrFolder)) {
            return video(fileOrFolder, sampling);
        }
        throw new KitException(fileOrFolder + ": no such video file or frame folder");
    }

    /**
     * The PNG and JPG images of a folder (Action Genome's {@code frames/VID.mp4/NNNNNN.png} or any sequence) in the
     * order of the last number in their names, then by name; names without a number come last. All frames must
     * have the size of the first one read. A folder has no frame rate of its own: rate sampling needs
     * {@link #folder(Path, Sampling, double)}.
     */
    public static FrameSource folder(Path folder, Sampling sampling) {
        return folder(folder, sampling, 0);
    }

    /** As {@link #folder(Path, Sampling)}, the frames played at {@code nominalFps} (0: unknown). */
    public static FrameSource folder(Path folder, Sampling sampling, double nominalFps) {
        return new FolderSource(folder, sampling, nominalFps);
    }

    /** A video file decoded by FFmpeg (any container and codec of bytedeco's FFmpeg 5.0 build). */
    public static FrameSource video(Path file, Sampling sampling) {
        return new VideoSource(file, sampling);
    }
}
