package org.m3sgg.video;

import java.util.Properties;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.m3sgg.api.KitException;

/**
 * Loads bytedeco's FFmpeg once and silences its log: FFmpeg writes to the process's native stderr (not
 * {@code System.err}), which would put decoder chatter into CLI output, notebook cells and test logs. The kit's own
 * messages say what went wrong instead.
 *
 * <p>javacpp's platform extension ({@code -Dorg.bytedeco.javacpp.platform.extension=-onednn}, which selects libnd4j's
 * oneDNN build) is global: javacpp 1.5.7 copies it into the platform properties it caches on first use and then
 * refuses every class whose {@code @Platform} lists extensions that do not match it. FFmpeg's {@code postproc} lists
 * only {@code -gpl}, so under {@code -onednn} loading FFmpeg fails with {@code Platform "linux-x86_64" not supported
 * by class org.bytedeco.ffmpeg.global.postproc}. There is no FFmpeg build with that extension (the plain
 * {@code linux-x86_64} one is the kit's), so the extension is taken out of javacpp's cached properties while FFmpeg's
 * classes load and initialise, and put back afterwards; ND4J, loaded before or after, still sees it.
 */
final class Ffmpeg {

    /**
     * swscale's flags for the RGB <-> YUV conversions: JavaCV's default (bilinear alone) rounds coarsely, which
     * shifts mid grey by about 4 levels through an encode and decode; accurate rounding and full chroma
     * interpolation keep the round trip within a level or two on flat colours.
     */
    static final int SCALING = swscale.SWS_BILINEAR | swscale.SWS_ACCURATE_RND | swscale.SWS_FULL_CHR_H_INT
            | swscale.SWS_FULL_CHR_H_INP;

    /** The key under which javacpp keeps {@code org.bytedeco.javacpp.platform.extension} in its properties. */
    private static final String EXTENSION = "platform.extension";

    private static boolean loaded;

    private Ffmpeg() {}

    static synchronized void load() {
        if (loaded) {
            return;
        }
        Properties platform = Loader.loadProperties();
        String extension = platform.getProperty(EXTENSION);
        try {
            platform.remove(EXTENSION);
            FFmpegFrameGrabber.tryLoad();
            FFmpegFrameRecorder.tryLoad();
        } catch (Exception | UnsatisfiedLinkError e) {
            throw new KitException("video: cannot load FFmpeg (bytedeco ffmpeg 5.0 for platform "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e.getMessage(), e);
        } finally {
            if (extension != null) {
                platform.setProperty(EXTENSION, extension);
            }
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
