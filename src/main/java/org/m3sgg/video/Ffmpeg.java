package org.m3sgg.video;

import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.m3sgg.api.KitException;

/**
 * Loads bytedeco's FFmpeg once and silences its log: FFmpeg writes to the process's native stderr (not
 * {@code System.err}), which would put decoder chatter into CLI output, notebook cells and test logs. The kit's own
 * messages say what went wrong instead.
 */
final class Ffmpeg {

    /**
     * swscale's flags for the RGB <-> YUV conversions: JavaCV's default (bilinear alone) rounds coarsely, which
     * shifts mid grey by about 4 levels through an encode and decode; accurate rounding and full chroma
     * interpolation keep the round trip within a level or two on flat colours.
     */
    static final int SCALING = swscale.SWS_BILINEAR | swscale.SWS_ACCURATE_RND | swscale.SWS_FULL_CHR_H_INT
            | swscale.SWS_FULL_CHR_H_INP;

    private static boolean loaded;

    private Ffmpeg() {}

    static synchronized void load() {
        if (loaded) {
            return;
        }
        try {
            FFmpegFrameGrabber.tryLoad();
            FFmpegFrameRecorder.tryLoad();
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new KitException("video: cannot load FFmpeg (bytedeco ffmpeg 5.0 for platform "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e.getMessage(), e);
        }
        avutil.av_log_set_level(avutil.AV_LOG_QUIET);
        loaded = true;
    }

    /** FFmpeg's words for an exception, on one line. */
    static String reason(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
