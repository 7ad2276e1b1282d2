package org.m3sgg.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npy;
import org.m3sgg.testing.Fixtures;

class DetectorInputTest {

    /** The reference's preprocessing of its two 60 x 100 frames at target 96 (STTran's loader, cv2 4.6). */
    @Test
    void matchesTheDetectorFixture() throws IOException {
        Path dir = Fixtures.dir("detector-reference");
        int[] shape = new int[4];
        byte[] rgb = uint8(dir.resolve("in_frames_rgb.npy"), shape);
        NdArray data = Npy.read(dir.resolve("in_im_data.npy"));
        NdArray info = Npy.read(dir.resolve("in_im_info.npy"));
        assertArrayEquals(new int[] {2, 60, 100, 3}, shape);
        List<DetectorInput.Blob> blobs = new ArrayList<>();
        for (int t = 0; t < shape[0]; t++) {
            blobs.add(DetectorInput.sttran(image(rgb, t, shape[1], shape[2], BufferedImage.TYPE_3BYTE_BGR), 96));
        }
        DetectorInput.Batch batch = DetectorInput.batch(blobs);
        assertArrayEquals(data.shape(), new int[] {batch.frames(), 3, batch.height(), batch.width()});
        float[] want = data.floats();
        double max = 0;
        for (int i = 0; i < want.length; i++) {
            max = Math.max(max, Math.abs(want[i] - batch.images()[i]));
        }
        System.out.printf("detector-reference preprocessing: max |diff| %.3e over %d values%n", max, want.length);
        assertTrue(max <= 1e-4, "max diff " + max);
        float[] wantInfo = info.floats();
        for (int t = 0; t < 2; t++) {
            for (int k = 0; k < 3; k++) {
                assertEquals(wantInfo[t * 3 + k], batch.imInfo()[t][k], 0f, "im_info[" + t + "][" + k + "]");
            }
        }
        // the same pixels as TYPE_INT_RGB give the same blob
        DetectorInput.Blob asInt = DetectorInput.sttran(image(rgb, 1, 60, 100, BufferedImage.TYPE_INT_RGB), 96);
        assertArrayEquals(blobs.get(1).chw(), asInt.chw());
    }

    @Test
    void noCapOnTheLongSide() {
        // 480 x 270 Charades frames: 600 / 270 on both axes, 1066.67 -> 1067 (the reference's 1000 cap is off)
        DetectorInput.Blob b = DetectorInput.sttran(new BufferedImage(480, 270, BufferedImage.TYPE_3BYTE_BGR));
        assertEquals(600, b.height());
        assertEquals(1067, b.width());
        assertEquals((float) (600.0 / 270.0), b.scale(), 0f);
    }

    @Test
    void outputSizeRoundsHalfToEvenAsOpenCv() {
        assertEquals(2, DetectorInput.outputSize(5, 0.5));    // 2.5 -> 2
        assertEquals(4, DetectorInput.outputSize(7, 0.5));    // 3.5 -> 4
        assertEquals(1067, DetectorInput.outputSize(480, 600.0 / 270));
    }

    @Test
    void constantImageStaysConstantMinusTheMeans() {
        BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                img.setRGB(x, y, 200 << 16 | 100 << 8 | 50);
            }
        }
        DetectorInput.Blob b = DetectorInput.sttran(img, 50);
        assertEquals(50, b.height());
        assertEquals(80, b.width());   // 37 * 50 / 23 = 80.43
        int plane = b.height() * b.width();
        float[] bgr = {(float) (50 - 102.9801), (float) (100 - 115.9465), (float) (200 - 122.7717)};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                assertEquals(bgr[c], b.chw()[c * plane + i], 1e-4f, "channel " + c + " pixel " + i);
            }
        }
    }

    /** A horizontal ramp: interior columns interpolate linearly, border columns take the edge pixel. */
    @Test
    void rampInterpolatesLinearlyWithClampedBorders() {
        int w = 11;
        BufferedImage img = new BufferedImage(w, 4, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < w; x++) {
                int v = 10 * x;
                img.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        DetectorInput.Blob b = DetectorInput.sttran(img, 9);   // scale 2.25: 11 -> 24.75 -> 25 columns
        assertEquals(25, b.width());
        assertEquals(9, b.height());
        double scale = 9.0 / 4;
        for (int dx = 0; dx < b.width(); dx++) {
            double sx = (dx + 0.5) / scale - 0.5;
            double want = 10 * Math.min(Math.max(sx, 0), w - 1) - 102.9801;
            for (int dy = 0; dy < b.height(); dy++) {
                assertEquals(want, b.chw()[dy * b.width() + dx], 1e-4, "column " + dx + " row " + dy);
            }
        }
    }

    @Test
    void batchPadsWithZerosAndTakesTheFirstScale() {
        Random r = new Random(3);
        DetectorInput.Blob a = DetectorInput.sttran(noise(r, 17, 25), 20);    // 20 wide, 29 tall (29.41)
        DetectorInput.Blob b = DetectorInput.sttran(noise(r, 30, 20), 20);    // 30 wide, 20 tall
        assertEquals(20, a.width());
        assertEquals(29, a.height());
        DetectorInput.Batch batch = DetectorInput.batch(List.of(a, b));
        assertEquals(2, batch.frames());
        assertEquals(29, batch.height());
        assertEquals(30, batch.width());
        for (float[] row : batch.imInfo()) {
            assertArrayEquals(new float[] {29, 30, a.scale()}, row);
        }
        List<DetectorInput.Blob> both = List.of(a, b);
        for (int t = 0; t < 2; t++) {
            DetectorInput.Blob x = both.get(t);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 29; y++) {
                    for (int col = 0; col < 30; col++) {
                        float want = col < x.width() && y < x.height()
                                ? x.chw()[(c * x.height() + y) * x.width() + col] : 0f;
                        assertEquals(want, batch.images()[((t * 3 + c) * 29 + y) * 30 + col], 0f);
                    }
                }
            }
        }
        assertThrows(KitException.class, () -> DetectorInput.batch(List.of()));
        assertThrows(KitException.class, () -> DetectorInput.sttran(noise(r, 4, 4), 0));
    }

    static BufferedImage noise(Random r, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    /** Frame t of [T, H, W, 3] RGB bytes as an image of the given type. */
    static BufferedImage image(byte[] rgb, int t, int h, int w, int type) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = ((t * h + y) * w + x) * 3;
                img.setRGB(x, y, (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff));
            }
        }
        return img;
    }

    /** A C-order {@code |u1} .npy (the kit's Npy has no uint8): its bytes, its shape into {@code shape}. */
    static byte[] uint8(Path file, int[] shape) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int major = all[6];
        int len = major == 1 ? (all[8] & 0xff) | (all[9] & 0xff) << 8
                : (all[8] & 0xff) | (all[9] & 0xff) << 8 | (all[10] & 0xff) << 16 | (all[11] & 0xff) << 24;
        int start = (major == 1 ? 10 : 12) + len;
        String header = new String(all, major == 1 ? 10 : 12, len, StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'|u1'") && header.contains("'fortran_order': False"), header);
        String dims = header.substring(header.indexOf("'shape': (") + 10, header.indexOf(')'));
        String[] parts = dims.split(",");
        int n = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                shape[n++] = Integer.parseInt(p.trim());
            }
        }
        byte[] out = new byte[all.length - start];
        System.arraycopy(all, start, out, 0, out.length);
        return out;
    }
}
