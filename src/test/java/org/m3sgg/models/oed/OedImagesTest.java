package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.models.sttran.SttranParity;
import org.m3sgg.testing.Fixtures;

/** OED's preprocessing: PIL's bilinear resize bit for bit, the evaluation size rule, padding and mask. */
class OedImagesTest {

    private static final Path DIR = Fixtures.dir("oed-resize");

    private static JsonNode cases() throws IOException {
        return new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
    }

    @Test
    void bilinearResizeEqualsPilBitForBit() throws IOException {
        int n = 0;
        for (JsonNode c : cases().path("cases")) {
            OedImages.Rgb src = OedImages.fromArray(SttranParity.npy(DIR, c.path("source").asText()));
            OedImages.Rgb ref = OedImages.fromArray(SttranParity.npy(DIR, c.path("file").asText()));
            OedImages.Rgb out = OedImages.resize(src, c.path("height").asInt(), c.path("width").asInt());
            assertEquals(ref.height(), out.height());
            assertEquals(ref.width(), out.width());
            assertArrayEquals(ref.pixels(), out.pixels(), c.path("file").asText());
            n++;
        }
        assertEquals(8, n, "every case of cases.json");
    }

    @Test
    void evaluationSizeFollowsOedsRule() throws IOException {
        int n = 0;
        for (JsonNode s : cases().path("eval_sizes")) {
            int[] got = OedImages.evalSize(s.path("width").asInt(), s.path("height").asInt());
            assertArrayEquals(new int[] {s.path("resized").get(0).asInt(), s.path("resized").get(1).asInt()}, got,
                    s.toString());
            n++;
        }
        assertEquals(15, n);
        // 480 x 270: 1000 * 270 / 480 = 562.5 rounds half to even
        assertArrayEquals(new int[] {562, 999}, OedImages.evalSize(480, 270));
    }

    @Test
    void batchPadsBottomRightWithTheMask() {
        OedImages.Rgb a = new OedImages.Rgb(2, 3, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255, 1, 2, 3,
                4, 5, 6, 7, 8, 9, 10, 11, 12});
        OedImages.Rgb b = new OedImages.Rgb(3, 1, new byte[9]);
        OedImages.Batch batch = OedImages.batch(List.of(a, b));
        assertArrayEquals(new long[] {2, 3, 3, 3}, batch.images().shape());
        assertTrue(batch.mask()[0][2][0] && !batch.mask()[0][1][2]);
        assertTrue(batch.mask()[1][0][1] && !batch.mask()[1][2][0]);
        assertEquals(0f, batch.images().getFloat(0, 1, 2, 1));
        assertEquals((0f / 255f - 0.485f) / 0.229f, batch.images().getFloat(0, 0, 0, 0));
        assertEquals((255f / 255f - 0.456f) / 0.224f, batch.images().getFloat(0, 1, 0, 1));
    }

    @Test
    void badFramesAreNamedErrors() {
        assertThrows(KitException.class, () -> new OedImages.Rgb(2, 2, new byte[5]));
        assertThrows(KitException.class, () -> OedImages.batch(List.of()));
        assertThrows(KitException.class, () -> OedImages.evalSize(0, 10));
    }
}
