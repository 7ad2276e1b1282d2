package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.models.oed.OedImages;
import org.m3sgg.models.oed.OedPredictor;
import org.m3sgg.models.sttran.SttranParity;
import org.m3sgg.testing.Fixtures;

/** {@code m3sgg oed-predict}: the fixture's temporal checkpoint on its three frames written as PNG files. */
class OedPredictCommandTest {

    @TempDir
    Path tmp;

    @Test
    void temporalCheckpointOnPngFrames() throws Exception {
        Path dir = Fixtures.dir("oed-reference");
        Path frames = Files.createDirectories(tmp.resolve("video"));
        for (int f = 0; f < 3; f++) {
            OedImages.Rgb rgb = OedImages.fromArray(SttranParity.npy(dir, "in_temporal_frame" + f + "_uint8.npy"));
            BufferedImage img = new BufferedImage(rgb.width(), rgb.height(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < rgb.height(); y++) {
                for (int x = 0; x < rgb.width(); x++) {
                    img.setRGB(x, y, rgb.at(y, x, 0) << 16 | rgb.at(y, x, 1) << 8 | rgb.at(y, x, 2));
                }
            }
            ImageIO.write(img, "png", frames.resolve(String.format("%06d.png", f)).toFile());
        }
        Path out = tmp.resolve("oed.json");
        CliRun r = CliRun.run("oed-predict", "--checkpoint", dir.resolve("oed_sgdet_temporal.zip.tar").toString(),
                "--frames", frames.toString(), "--out", out.toString(), "--prm-topk", "16,10,6");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().isEmpty(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertTrue(j.get("temporal").asBoolean());
        assertEquals(3, j.get("frames").size());
        JsonNode f0 = j.get("frames").get(0);
        // 200 x 128 -> short side 600: 937 x 600
        assertEquals(600, f0.get("input_height").asInt());
        assertEquals(937, f0.get("input_width").asInt());
        assertEquals("000001.png", f0.get("reference_frames").get(0).asText());
        assertEquals("000002.png", f0.get("reference_frames").get(1).asText());
        assertEquals(40, f0.get("scores").size());
        assertEquals(20, f0.get("contacting_distribution").size());

        CliRun none = CliRun.run("oed-predict", "--checkpoint", dir.resolve("oed_sgdet_temporal.zip.tar").toString(),
                "--frames", Files.createDirectories(tmp.resolve("empty")).toString(), "--out", out.toString());
        assertTrue(none.code() != 0 && none.err().contains("no *.png") && none.err().lines().count() == 1, none.all());
    }

    @Test
    void referenceFramesFollowOedsEvaluationRule() {
        assertArrayEquals(new int[] {6, 14}, OedPredictor.referenceFrames(10, 30, 4, 2));
        assertArrayEquals(new int[] {1, 4}, OedPredictor.referenceFrames(0, 30, 4, 2));
        assertArrayEquals(new int[] {1, 2}, OedPredictor.referenceFrames(0, 3, 4, 2));
        assertArrayEquals(new int[] {0, 0}, OedPredictor.referenceFrames(1, 2, 4, 2));
        assertArrayEquals(new int[] {25, 26, 27, 28}, OedPredictor.referenceFrames(29, 30, 4, 4));
        assertArrayEquals(new int[] {6, 9, 13}, OedPredictor.referenceFrames(10, 30, 4, 3));
    }
}
