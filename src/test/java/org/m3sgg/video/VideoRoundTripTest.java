package org.m3sgg.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

/** A clip the project renders and encodes itself, decoded again: frames, sizes, pixels, sampling, errors. */
class VideoRoundTripTest {

    static final int W = 160;
    static final int H = 96;
    static final int N = 12;
    static final double FPS = 24;

    @TempDir
    static Path tmp;

    static List<BufferedImage> rendered;
    static Path clip;

    /** Frame i: grey background, a red box moving right, a blue box moving down, a green bar. */
    static BufferedImage render(int i) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, W, H);
        g.setColor(new Color(220, 40, 40));
        g.fillRect(8 + 8 * i, 10, 32, 24);
        g.setColor(new Color(40, 60, 220));
        g.fillRect(100, 4 + 5 * i, 28, 20);
        g.setColor(new Color(30, 200, 60));
        g.fillRect(0, 80, W, 16);
        g.dispose();
        return img;
    }

    @BeforeAll
    static void encode() {
        rendered = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            rendered.add(render(i));
        }
        clip = ClipWriter.writeMp4(tmp.resolve("clip.mp4"), rendered, FPS);
    }

    static List<Frame> decode(Path file, Sampling s) {
        List<Frame> out = new ArrayList<>();
        try (FrameSource src = FrameSources.open(file, s)) {
            for (var f = src.next(); f.isPresent(); f = src.next()) {
                out.add(f.get());
            }
        }
        return out;
    }

    static double meanAbsDiff(BufferedImage a, BufferedImage b) {
        int[] pa = Pixels.rgb(a);
        int[] pb = Pixels.rgb(b);
        long sum = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int s = 0; s <= 16; s += 8) {
                sum += Math.abs((pa[i] >> s & 0xff) - (pb[i] >> s & 0xff));
            }
        }
        return sum / (3.0 * pa.length);
    }

    @Test
    void everyFrameComesBackClose() {
        List<Frame> frames = decode(clip, Sampling.ALL);
        assertEquals(N, frames.size());
        double worst = 0;
        for (int i = 0; i < N; i++) {
            Frame f = frames.get(i);
            assertEquals(i, f.index());
            assertEquals(String.format("frame-%06d", i), f.name());
            assertEquals(W, f.width());
            assertEquals(H, f.height());
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, f.image().getType());
            double d = meanAbsDiff(rendered.get(i), f.image());
            worst = Math.max(worst, d);
            // each frame is nearer to its own rendering than to its neighbours' (the boxes move)
            if (i > 0) {
                assertTrue(d < meanAbsDiff(rendered.get(i - 1), f.image()), "frame " + i);
            }
        }
        System.out.printf("video round trip (%s, %dx%d, %d frames): worst mean |diff| %.2f of 255%n",
                ClipWriter.encoderName(), W, H, N, worst);
        assertTrue(worst < 3.0, "worst mean abs diff " + worst);
    }

    @Test
    void samplingEveryThirdAndAtHalfRate() {
        assertEquals(List.of(0, 3, 6, 9), decode(clip, Sampling.every(3)).stream().map(Frame::index).toList());
        List<Frame> half = decode(clip, Sampling.fps(FPS / 2));
        assertEquals(List.of(0, 2, 4, 6, 8, 10), half.stream().map(Frame::index).toList());
        // the kept frames are the right pictures, not just the right numbers
        for (Frame f : half) {
            assertTrue(meanAbsDiff(rendered.get(f.index()), f.image()) < 3.0, "frame " + f.index());
        }
        assertEquals(N, decode(clip, Sampling.fps(60)).size());
        try (FrameSource s = FrameSources.video(clip, Sampling.ALL)) {
            String d = s.describe();
            assertTrue(d.contains("160x96") && d.contains("24.0 fps"), d);
        }
    }

    @Test
    void oddSizesArePaddedAndGifsWritten() throws IOException {
        List<BufferedImage> odd = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            odd.add(render(i).getSubimage(0, 0, 75, 41));
        }
        Path f = ClipWriter.writeMp4(tmp.resolve("odd.mp4"), odd, 10);
        List<Frame> back = decode(f, Sampling.ALL);
        assertEquals(3, back.size());
        assertEquals(76, back.get(0).width());
        assertEquals(42, back.get(0).height());
        Path gif = ClipWriter.writeGif(tmp.resolve("clip.gif"), rendered.subList(0, 4), 100);
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertEquals(4, reader.getNumImages(true));
            assertEquals(W, reader.read(0).getWidth());
        } finally {
            reader.dispose();
        }
        try (ClipWriter w = ClipWriter.mp4(tmp.resolve("sizes.mp4"), 32, 32, 5)) {
            w.add(render(0).getSubimage(0, 0, 32, 32));
            KitException e = assertThrows(KitException.class, () -> w.add(render(0)));
            assertTrue(e.getMessage().contains("frame 1 is 160x96, the clip's first frame is 32x32"), e.getMessage());
        }
        assertFalse(Files.exists(tmp.resolve("sizes.mp4")));
    }

    @Test
    void badFilesGetOneNamedLine() throws IOException {
        Path missing = tmp.resolve("missing.mp4");
        KitException e1 = assertThrows(KitException.class, () -> FrameSources.video(missing, Sampling.ALL));
        assertEquals(missing + ": no such video file", e1.getMessage());
        Path text = Files.writeString(tmp.resolve("notes.mp4"), "this is not a video\n".repeat(50));
        KitException e2 = assertThrows(KitException.class, () -> FrameSources.open(text, Sampling.ALL));
        assertTrue(e2.getMessage().startsWith(text + ": not a readable video (FFmpeg: "), e2.getMessage());
        assertFalse(e2.getMessage().contains("\n"));
        byte[] whole = Files.readAllBytes(clip);
        Path cut = tmp.resolve("cut.mp4");
        Files.write(cut, java.util.Arrays.copyOf(whole, 200));
        KitException e3 = assertThrows(KitException.class, () -> decode(cut, Sampling.ALL));
        assertTrue(e3.getMessage().startsWith(cut + ": "), e3.getMessage());
    }
}
