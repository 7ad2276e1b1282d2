package org.m3sgg.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npy;
import org.m3sgg.testing.Fixtures;

/**
 * STTran's {@code prep_im_for_blob} (cv2 4.6 {@code resize INTER_LINEAR} on float32) and {@code im_list_to_blob}
 * on frames of assorted sizes, read from PNG as the loader reads them (fixture {@code sttran-preprocess}).
 */
class OpenCvResizeParityTest {

    @Test
    void everyCaseMatchesOpenCv() throws IOException {
        Path dir = Fixtures.dir("sttran-preprocess");
        JsonNode meta = new ObjectMapper().readTree(dir.resolve("cases.json").toFile());
        double worst = 0;
        int n = 0;
        StringBuilder report = new StringBuilder();
        for (JsonNode c : meta.get("cases")) {
            String name = c.get("name").asText();
            BufferedImage img = ImageIO.read(dir.resolve(name + ".png").toFile());
            assertEquals(c.get("width").asInt(), img.getWidth(), name);
            DetectorInput.Blob b = DetectorInput.sttran(img, c.get("target").asInt());
            NdArray want = Npy.read(dir.resolve(name + "_blob.npy"));
            int h = want.dim(0);
            int w = want.dim(1);
            assertEquals(c.get("out_height").asInt(), b.height(), name + " height");
            assertEquals(c.get("out_width").asInt(), b.width(), name + " width");
            assertEquals((float) c.get("scale").asDouble(), b.scale(), 0f, name + " scale");
            float[] hwc = want.floats();
            double max = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int ch = 0; ch < 3; ch++) {
                        double d = Math.abs(hwc[(y * w + x) * 3 + ch] - b.chw()[(ch * h + y) * w + x]);
                        max = Math.max(max, d);
                    }
                }
            }
            report.append(String.format("  %-26s %3dx%-3d -> %3dx%-3d max |diff| %.2e%n", name, c.get("width").asInt(),
                    c.get("height").asInt(), w, h, max));
            assertTrue(max <= 1e-4, name + ": max diff " + max);
            worst = Math.max(worst, max);
            n++;
        }
        System.out.printf("OpenCV %s INTER_LINEAR parity, %d cases, worst max |diff| %.2e%n%s",
                meta.get("opencv").asText(), n, worst, report);
    }

    @Test
    void videoBlobAndImInfoAsTheLoader() throws IOException {
        Path dir = Fixtures.dir("sttran-preprocess");
        List<DetectorInput.Blob> blobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            blobs.add(DetectorInput.sttran(ImageIO.read(dir.resolve("video_" + i + ".png").toFile()), 20));
        }
        DetectorInput.Batch batch = DetectorInput.batch(blobs);
        NdArray want = Npy.read(dir.resolve("video_blob.npy"));
        assertArrayEquals(want.shape(), new int[] {batch.frames(), 3, batch.height(), batch.width()});
        float[] w = want.floats();
        double max = 0;
        for (int i = 0; i < w.length; i++) {
            max = Math.max(max, Math.abs(w[i] - batch.images()[i]));
        }
        assertTrue(max <= 1e-4, "max diff " + max);
        float[] info = Npy.read(dir.resolve("video_im_info.npy")).floats();
        for (int t = 0; t < 3; t++) {
            assertArrayEquals(new float[] {info[3 * t], info[3 * t + 1], info[3 * t + 2]}, batch.imInfo()[t]);
        }
    }
}
