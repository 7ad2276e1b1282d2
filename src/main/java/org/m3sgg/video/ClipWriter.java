package org.m3sgg.video;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.report.Animation;

/**
 * Encodes frames to an MP4 file (H.264 when the FFmpeg build has an encoder for it, else MPEG-4 part 2), one frame
 * at a time, or to a looping GIF ({@link Animation}). The MP4 is written to a temporary sibling and renamed when
 * {@link #close()} finishes it, so an interrupted write leaves no half file.
 *
 * <p>MP4's YUV 4:2:0 needs an even width and height: an odd-sized frame gets one more column or row repeating its
 * edge. Every frame must have the size of the first.
 */
public final class ClipWriter implements AutoCloseable {

    private final Path file;
    private final Path tmp;
    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final int encodedWidth;
    private final int encodedHeight;
    private final org.bytedeco.javacv.Frame buffer;
    private int frames;
    private boolean closed;

    private ClipWriter(Path file, int width, int height, double fps) {
        if (width < 1 || height < 1) {
            throw new KitException(file + ": cannot encode frames of " + width + "x" + height);
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new KitException(file + ": frame rate " + fps + " is not allowed, expected a rate > 0");
        }
        Ffmpeg.load();
        this.file = file.toAbsolutePath();
        this.width = width;
        this.height = height;
        this.encodedWidth = width + (width & 1);
        this.encodedHeight = height + (height & 1);
        try {
            this.tmp = AtomicFiles.temporarySibling(this.file);
        } catch (IOException e) {
            throw new KitException("cannot write " + this.file + ": " + e.getMessage(), e);
        }
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), encodedWidth, encodedHeight, 0);
        r.setFormat("mp4");
        r.setFrameRate(fps);
        r.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
        r.setImageScalingFlags(Ffmpeg.SCALING);
        int codec = h264Available() ? avcodec.AV_CODEC_ID_H264 : avcodec.AV_CODEC_ID_MPEG4;
        r.setVideoCodec(codec);
        // about 1 bit per pixel per frame: frames of flat colours and text stay sharp
        r.setVideoBitrate((int) Math.min(50_000_000, Math.max(400_000, (double) encodedWidth * encodedHeight * fps)));
        r.setGopSize((int) Math.max(1, Math.round(fps)));
        try {
            r.start();
        } catch (Exception e) {
            deleteQuietly(tmp);
            throw new KitException(this.file + ": cannot start the MP4 encoder (FFmpeg: " + Ffmpeg.reason(e) + ")", e);
        }
        this.recorder = r;
        this.buffer = new org.bytedeco.javacv.Frame(encodedWidth, encodedHeight, org.bytedeco.javacv.Frame.DEPTH_UBYTE,
                3);
    }

    /** An MP4 writer for frames of {@code width x height} at {@code fps} frames per second. */
    public static ClipWriter mp4(Path file, int width, int height, double fps) {
        return new ClipWriter(file, width, height, fps);
    }

    /** Writes {@code frames} (all of one size) as an MP4 at {@code fps}; returns the file. */
    public static Path writeMp4(Path file, List<BufferedImage> frames, double fps) {
        if (frames.isEmpty()) {
            throw new KitException(file + ": no frames to encode");
        }
        try (ClipWriter w = mp4(file, frames.get(0).getWidth(), frames.get(0).getHeight(), fps)) {
            for (BufferedImage f : frames) {
                w.add(f);
            }
        }
        return file;
    }

    /** Writes {@code frames} as a looping GIF, each shown {@code delayMillis} (20..60000); returns the file. */
    public static Path writeGif(Path file, List<BufferedImage> frames, int delayMillis) {
        return Animation.of(frames, delayMillis, file.getFileName().toString()).write(file);
    }

    /** Whether this FFmpeg build can encode H.264 (else MP4s are MPEG-4 part 2). */
    public static boolean h264Available() {
        Ffmpeg.load();
        AVCodec c = avcodec.avcodec_find_encoder(avcodec.AV_CODEC_ID_H264);
        return c != null && !c.isNull();
    }

    /** The encoder in use: FFmpeg's name for it ({@code libopenh264}, {@code mpeg4}, ...). */
    public static String encoderName() {
        Ffmpeg.load();
        AVCodec c = avcodec.avcodec_find_encoder(h264Available() ? avcodec.AV_CODEC_ID_H264
                : avcodec.AV_CODEC_ID_MPEG4);
        return c == null || c.isNull() ? "none" : c.name().getString();
    }

    /** Encodes the next frame. */
    public void add(BufferedImage image) {
        if (closed) {
            throw new IllegalStateException("clip writer for " + file + " is closed");
        }
        if (image.getWidth() != width || image.getHeight() != height) {
            abort();
            throw new KitException(file + ": frame " + frames + " is " + image.getWidth() + "x" + image.getHeight()
                    + ", the clip's first frame is " + width + "x" + height);
        }
        int[] rgb = Pixels.rgb(image);
        ByteBuffer dst = (ByteBuffer) buffer.image[0];
        int stride = buffer.imageStride;
        for (int y = 0; y < encodedHeight; y++) {
            int sy = Math.min(y, height - 1);
            for (int x = 0; x < encodedWidth; x++) {
                int p = rgb[sy * width + Math.min(x, width - 1)];
                int o = y * stride + 3 * x;
                dst.put(o, (byte) p);
                dst.put(o + 1, (byte) (p >> 8));
                dst.put(o + 2, (byte) (p >> 16));
            }
        }
        try {
            recorder.record(buffer, avutil.AV_PIX_FMT_BGR24);
        } catch (Exception e) {
            abort();
            throw new KitException(file + ": frame " + frames + " cannot be encoded (FFmpeg: " + Ffmpeg.reason(e) + ")",
                    e);
        }
        frames++;
    }

    /** Frames encoded so far. */
    public int frames() {
        return frames;
    }

    /** Finishes the file and puts it in place (an MP4 without frames is an error, and nothing is written). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (frames == 0) {
            abort();
            throw new KitException(file + ": no frames were given to encode");
        }
        closed = true;
        try {
            recorder.stop();
            recorder.release();
            AtomicFiles.moveIntoPlace(tmp, file);
        } catch (Exception e) {
            deleteQuietly(tmp);
            throw new KitException("cannot write " + file + ": " + Ffmpeg.reason(e), e);
        } finally {
            buffer.close();
        }
    }

    private void abort() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
            recorder.release();
        } catch (Exception ignored) {
            // the error being reported is the one that matters
        }
        buffer.close();
        deleteQuietly(tmp);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary name; removeTemporaries cleans it later
        }
    }
}
