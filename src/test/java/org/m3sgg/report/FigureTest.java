package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

class FigureTest {

    @Test
    void pngAtTwiceTheSizeSvgAndPdfFromOneFigure(@TempDir Path dir) throws Exception {
        Figure f = Charts.recallBars(Samples.results());
        BufferedImage one = f.image();
        BufferedImage two = f.image(2);
        assertEquals(f.width(), one.getWidth());
        assertEquals(2 * f.width(), two.getWidth());
        assertEquals(2 * f.height(), two.getHeight());
        // the 2x image is the same picture: the series colour covers about four times the pixels
        double ratio = Samples.countColor(two, Charts.PALETTE[0]) / (double) Samples.countColor(one, Charts.PALETTE[0]);
        assertEquals(4.0, ratio, 0.6);

        Path svg = f.write(dir.resolve("recall.svg"));
        String text = Files.readString(svg, StandardCharsets.UTF_8);
        assertTrue(text.contains("<svg"), "an SVG document");
        // XChart draws its own text as outlines (still vector); the kit's legend stays searchable text
        assertTrue(text.contains(">tempura<"), "legend entries are text in the SVG");
        assertTrue(text.contains("<path"), "shapes, not one embedded raster");
        Path pdf = f.write(dir.resolve("recall.pdf"));
        byte[] bytes = Files.readAllBytes(pdf);
        assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertTrue(bytes.length > 2000, "a real page: " + bytes.length);
        String head = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(head.contains("/MediaBox [0 0 " + f.width() + " " + f.height() + "]"), "page of the figure's size");
        Path png = f.write(dir.resolve("recall.png"));
        assertEquals(2 * f.width(), ImageIO.read(png.toFile()).getWidth(), "PNG files default to 2x");
        assertEquals(f.width(), ImageIO.read(f.write(dir.resolve("one.png"), 1).toFile()).getWidth());
        KitException bad = assertThrows(KitException.class, () -> f.write(dir.resolve("recall.jpg")));
        assertTrue(bad.getMessage().contains("recall.jpg") && bad.getMessage().contains(".png, .svg or .pdf"));
        assertThrows(KitException.class, () -> f.image(0));
        try (var s = Files.list(dir)) {
            assertEquals(4, s.count(), "no temporaries left");
        }
    }

    @Test
    void notebookBundleIsA2xPngShownAt1xWithText() throws Exception {
        Figure f = Charts.lines("loss", "step", "loss", List.of(Curve.of("train", 3, 2, 1)), false);
        var bundle = f.mimeBundle();
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(bundle.get("image/png"))));
        assertEquals(2 * f.width(), png.getWidth());
        assertEquals(f.width(), f.mimeMetadata().get("image/png").get("width"));
        assertTrue(bundle.get("text/plain").startsWith("figure 'loss', 560x"), bundle.get("text/plain"));
        assertTrue(bundle.get("text/plain").contains("legend: train"));
        assertTrue(f.html().html().contains("width=\"560\""));
    }

    @Test
    void legendWrapsToTheWidthAndShortensOnlyWhatCannotFit() {
        Legend l = Legend.of(Legend.Kind.BOX, List.of("a long run name number one", "a long run name number two",
                "three"));
        assertEquals(1, lines(l.layout(2000)));
        assertTrue(lines(l.layout(300)) >= 2, "wraps");
        for (var b : l.layout(300).boxes()) {
            assertTrue(b.x + b.width <= 300, "inside: " + b);
        }
        Legend.Layout tiny = l.layout(80);
        assertTrue(tiny.texts().get(0).endsWith("\u2026"), "a name wider than the figure is shortened");
    }

    private static int lines(Legend.Layout l) {
        return (int) l.boxes().stream().mapToInt(b -> b.y).distinct().count();
    }
}
