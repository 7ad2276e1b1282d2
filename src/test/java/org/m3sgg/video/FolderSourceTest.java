package org.m3sgg.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

class FolderSourceTest {

    @TempDir
    Path tmp;

    /** A w x h image whose pixel (0, 0) carries {@code tag} in its red channel. */
    static BufferedImage tagged(int tag, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, tag << 16 | (x * 7 & 0xff) << 8 | (y * 5 & 0xff));
            }
        }
        return img;
    }

    static int tag(Frame f) {
        return f.image().getRGB(0, 0) >> 16 & 0xff;
    }

    static List<Frame> all(FrameSource s) {
        List<Frame> out = new ArrayList<>();
        for (Optional<Frame> f = s.next(); f.isPresent(); f = s.next()) {
            out.add(f.get());
        }
        return out;
    }

    /** Action Genome's dump: frame numbers of the original video, zero padded; order by the number. */
    @Test
    void actionGenomeFolderInNumberOrder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("frames/0A8CF.mp4"));
        int[] numbers = {89, 7, 1043, 250};
        for (int n : numbers) {
            ImageIO.write(tagged(n % 251, 24, 16), "png", dir.resolve(String.format("%06d.png", n)).toFile());
        }
        Files.writeString(dir.resolve("notes.txt"), "not a frame");
        try (FrameSource s = FrameSources.open(dir, Sampling.ALL)) {
            List<Frame> frames = all(s);
            assertEquals(List.of("000007.png", "000089.png", "000250.png", "001043.png"),
                    frames.stream().map(Frame::name).toList());
            assertEquals(List.of(0, 1, 2, 3), frames.stream().map(Frame::index).toList());
            assertEquals(List.of(7, 89, 250 % 251, 1043 % 251), frames.stream().map(FolderSourceTest::tag).toList());
            assertTrue(s.describe().contains("4 images"), s.describe());
            for (Frame f : frames) {
                assertEquals(BufferedImage.TYPE_3BYTE_BGR, f.image().getType());
                assertEquals(24, f.width());
            }
        }
    }

    /** Any sequence: by the last number in the name (img2 before img10), jpg and png mixed, unnumbered last. */
    @Test
    void anySequenceSortedByNumberThenName() throws IOException {
        for (String n : List.of("img10.png", "img2.JPG", "img1.jpeg", "b.png", "a.png", "clip3_img2.png")) {
            ImageIO.write(tagged(1, 8, 8), n.toLowerCase().endsWith("png") ? "png" : "jpg", tmp.resolve(n).toFile());
        }
        try (FrameSource s = FrameSources.folder(tmp, Sampling.ALL)) {
            assertEquals(List.of("img1.jpeg", "clip3_img2.png", "img2.JPG", "img10.png", "a.png", "b.png"),
                    all(s).stream().map(Frame::name).toList());
        }
    }

    @Test
    void samplingEveryNAndByNominalRate() throws IOException {
        for (int i = 0; i < 10; i++) {
            ImageIO.write(tagged(i, 8, 6), "png", tmp.resolve(String.format("%06d.png", i)).toFile());
        }
        try (FrameSource s = FrameSources.folder(tmp, Sampling.every(3))) {
            assertEquals(List.of(0, 3, 6, 9), all(s).stream().map(Frame::index).toList());
        }
        try (FrameSource s = FrameSources.folder(tmp, Sampling.fps(10), 25)) {
            // targets 0, 0.1, 0.2, ... s at 25 fps: frames 0, 2.5 -> 2 (tie: earlier), 5, 7.5 -> 7
            assertEquals(List.of(0, 2, 5, 7), all(s).stream().map(FolderSourceTest::tag).toList());
        }
        try (FrameSource s = FrameSources.folder(tmp, Sampling.fps(30), 25)) {
            assertEquals(10, all(s).size());
        }
        KitException e = assertThrows(KitException.class, () -> FrameSources.folder(tmp, Sampling.fps(5)));
        assertTrue(e.getMessage().contains("no frame rate"), e.getMessage());
    }

    @Test
    void mixedSizesNameTheFrame() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("VID.mp4"));
        ImageIO.write(tagged(0, 64, 36), "png", dir.resolve("000001.png").toFile());
        ImageIO.write(tagged(0, 48, 27), "png", dir.resolve("000012.png").toFile());
        try (FrameSource s = FrameSources.folder(dir, Sampling.ALL)) {
            s.next();
            KitException e = assertThrows(KitException.class, s::next);
            assertEquals(dir.resolve("000012.png") + " is 48x27, the folder's first frame is 64x36 (000001.png)",
                    e.getMessage());
        }
    }

    @Test
    void emptyMissingAndUnreadable() throws IOException {
        KitException empty = assertThrows(KitException.class, () -> FrameSources.folder(tmp, Sampling.ALL));
        assertTrue(empty.getMessage().startsWith(tmp + ": no frames"), empty.getMessage());
        Files.createDirectories(tmp.resolve("frames/0A8CF.mp4"));
        KitException root = assertThrows(KitException.class,
                () -> FrameSources.folder(tmp.resolve("frames"), Sampling.ALL));
        assertTrue(root.getMessage().endsWith("give one video's folder, e.g. " + tmp.resolve("frames/0A8CF.mp4")),
                root.getMessage());
        KitException missing = assertThrows(KitException.class,
                () -> FrameSources.open(tmp.resolve("nope"), Sampling.ALL));
        assertTrue(missing.getMessage().contains("no such video file or frame folder"), missing.getMessage());
        Files.writeString(tmp.resolve("000003.png"), "this is text");
        try (FrameSource s = FrameSources.folder(tmp, Sampling.ALL)) {
            KitException bad = assertThrows(KitException.class, s::next);
            assertTrue(bad.getMessage().startsWith(tmp.resolve("000003.png") + ": not a readable PNG/JPG image"),
                    bad.getMessage());
        }
    }

    /** Grey and alpha PNGs come out as RGB with the stored values (no colour management). */
    @Test
    void greyAndAlphaBecomeRgb() throws IOException {
        BufferedImage grey = new BufferedImage(4, 3, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 77);
        ImageIO.write(grey, "png", tmp.resolve("1.png").toFile());
        BufferedImage argb = new BufferedImage(4, 3, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(1, 1, 0x10203040);
        ImageIO.write(argb, "png", tmp.resolve("2.png").toFile());
        try (FrameSource s = FrameSources.folder(tmp, Sampling.ALL)) {
            List<Frame> f = all(s);
            assertEquals(77 << 16 | 77 << 8 | 77, f.get(0).image().getRGB(1, 1) & 0xffffff);
            assertEquals(0x203040, f.get(1).image().getRGB(1, 1) & 0xffffff);
            assertEquals(BufferedImage.TYPE_3BYTE_BGR, f.get(1).image().getType());
        }
    }

    @Test
    void samplingValidation() {
        assertThrows(KitException.class, () -> Sampling.every(0));
        assertThrows(KitException.class, () -> Sampling.fps(0));
        assertThrows(KitException.class, () -> Sampling.fps(Double.NaN));
        assertThrows(KitException.class, () -> new Sampling(2, 5));
        assertEquals("every 3rd frame", Sampling.every(3).describe());
        assertEquals("every 11th frame", Sampling.every(11).describe());
    }
}
