package org.m3sgg.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.m3sgg.api.KitException;

/**
 * A video file decoded by FFmpeg through JavaCV's {@link FFmpegFrameGrabber}, as 8-bit BGR frames. Frame times are
 * the stream's timestamps, relative to the first decoded frame; a frame without one is placed at
 * {@code position / frame rate}.
 */
final class VideoSource implements FrameSource {

    private final Path file;
    private final Sampling sampling;
    private final FFmpegFrameGrabber grabber;
    private final double fps;
    private final int width;
    private final int height;
    private final Sampling.Selector selector;
    private int position;
    private long firstTimestamp = Long.MIN_VALUE;
    private boolean closed;

    VideoSource(Path file, Sampling sampling) {
        if (!Files.isRegularFile(file)) {
            throw new KitException(file + ": no such video file");
        }
        if (!Files.isReadable(file)) {
            throw new KitException(file + ": video file is not readable (permissions)");
        }
        Ffmpeg.load();
        this.file = file;
        this.sampling = sampling;
        FFmpegFrameGrabber g = new FFmpegFrameGrabber(file.toFile());
        g.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
        g.setImageScalingFlags(Ffmpeg.SCALING);
        try {
            g.start();
        } catch (Exception e) {
            closeQuietly(g);
            throw new KitException(file + ": not a readable video (FFmpeg: " + Ffmpeg.reason(e) + ")", e);
        }
        if (!g.hasVideo() || g.getImageWidth() < 1 || g.getImageHeight() < 1) {
            closeQuietly(g);
            throw new KitException(file + ": has no video stream (expected a video file such as .mp4)");
        }
        this.grabber = g;
        this.width = g.getImageWidth();
        this.height = g.getImageHeight();
        this.fps = g.getVideoFrameRate();
        if (sampling.byRate() && !(fps > 0 && Double.isFinite(fps))) {
            close();
            throw new KitException(file + ": the video stream has no frame rate; sample it every n-th frame"
                    + " instead of at " + sampling.fps() + " fps");
        }
        this.selector = sampling.selector(fps > 0 && Double.isFinite(fps) ? fps : 1);
    }

    @Override
    public Optional<Frame> next() {
        if (closed) {
            throw new IllegalStateException("video source " + file + " is closed");
        }
        while (true) {
            org.bytedeco.javacv.Frame f;
            try {
                f = grabber.grabImage();
            } catch (Exception e) {
                throw new KitException(file + ": frame " + position + " cannot be decoded (FFmpeg: "
                        + Ffmpeg.reason(e) + ")", e);
            }
            if (f == null) {
                return Optional.empty();
            }
            if (f.image == null || f.imageWidth < 1) {
                continue;
            }
            int i = position++;
            if (selector.keep(i, seconds(i, f.timestamp))) {
                return Optional.of(new Frame(i, Frame.videoName(i), copy(f, i)));
            }
        }
    }

    private double seconds(int position, long timestampMicros) {
        if (timestampMicros < 0 || timestampMicros == avutil.AV_NOPTS_VALUE) {
            return fps > 0 ? position / fps : position;
        }
        if (firstTimestamp == Long.MIN_VALUE) {
            firstTimestamp = timestampMicros;
        }
        return (timestampMicros - firstTimestamp) / 1e6;
    }

    /** The grabber reuses its buffers: each kept frame is copied into an image of its own. */
    private BufferedImage copy(org.bytedeco.javacv.Frame f, int index) {
        if (f.imageWidth != width || f.imageHeight != height) {
            throw new KitException(file + ": frame " + index + " is " + f.imageWidth + "x" + f.imageHeight
                    + ", the video's first frame is " + width + "x" + height);
        }
        if (f.imageChannels != 3 || f.imageDepth != org.bytedeco.javacv.Frame.DEPTH_UBYTE) {
            throw new KitException(file + ": frame " + index + " decoded as " + f.imageChannels + " channels of depth "
                    + f.imageDepth + ", expected 8-bit BGR");
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        ByteBuffer src = ((ByteBuffer) f.image[0]).duplicate();
        int rowBytes = width * 3;
        for (int y = 0; y < height; y++) {
            src.position(y * f.imageStride);
            src.get(dst, y * rowBytes, rowBytes);
        }
        return img;
    }

    @Override
    public String describe() {
        String codec = grabber.getVideoCodecName();
        int n = grabber.getLengthInVideoFrames();
        return "video " + file + " (" + width + "x" + height + (fps > 0 ? String.format(", %.3g fps", fps) : "")
                + (codec != null ? ", " + codec : "") + (n > 0 ? ", about " + n + " frames" : "") + "), "
                + sampling.describe();
    }

    /** The stream's frame rate (0 when the file does not give one). */
    double frameRate() {
        return fps;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly(grabber);
        }
    }

    private static void closeQuietly(FFmpegFrameGrabber g) {
        try {
            g.stop();
            g.release();
        } catch (Exception ignored) {
            // closing a failed or finished decoder: nothing left to report
        }
    }
}
