package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import org.m3sgg.report.fakekernel.BaseKernelRenderer;
import org.m3sgg.report.fakekernel.FakeKernel;

class NotebookTest {

    @Test
    void quickFlagParsing() {
        assertTrue(Notebook.parseFlag("1"));
        assertTrue(Notebook.parseFlag(" TRUE "));
        assertTrue(Notebook.parseFlag("yes"));
        assertFalse(Notebook.parseFlag("0"));
        assertFalse(Notebook.parseFlag(""));
        assertFalse(Notebook.parseFlag(null));
    }

    @Test
    void homeIsFoundFromTheNotebooksFolder(@TempDir Path dir) throws Exception {
        Path kit = dir.resolve("kit");
        Files.createDirectories(kit.resolve("notebooks"));
        Files.writeString(kit.resolve("pom.xml"), "<project><artifactId>m3sgg-j</artifactId></project>");
        assertEquals(kit.toAbsolutePath(), KitHome.findHome(kit.resolve("notebooks")));
        Files.writeString(dir.resolve("pom.xml"), "<project><artifactId>other</artifactId></project>");
        assertNull(KitHome.findHome(dir));
        // the Maven run's own folder is the kit
        assertTrue(Files.isRegularFile(KitHome.findHome(Path.of("")).resolve("pom.xml")));
    }

    @Test
    void setupOutsideAKernelIsHarmlessAndIdempotent() {
        Notebook.Info a = Notebook.setup();
        assertEquals("none", a.kernel());
        assertFalse(a.htmlRenderer());
        assertTrue(a == Notebook.setup());
        assertTrue(a.toString().contains("quick mode"));
    }

    @Test
    void richRenderersAreRegisteredThroughTheKernelsPublicApi() throws Exception {
        String used = KernelDisplay.registerRenderers(
                List.of("org.m3sgg.no.SuchKernel", FakeKernel.class.getName()), getClass().getClassLoader());
        assertEquals(FakeKernel.class.getName(), used);
        var renderer = FakeKernel.getKernelInstance().getRenderer();
        var out = renderer.render(Display.html("<b>R@20</b>"));
        assertEquals("<b>R@20</b>", out.data.get("text/html"));
        assertEquals("R@20", out.data.get("text/plain"), "HTML has a text form without tags");

        // a figure: a 2x PNG shown at its 1x width, and a line of text
        Figure fig = Charts.recallBars(Samples.results());
        var f = renderer.render(fig);
        byte[] png = Base64.getDecoder().decode((String) f.data.get("image/png"));
        BufferedImage img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(2 * fig.width(), img.getWidth());
        assertEquals(java.util.Map.of("width", fig.width(), "height", fig.height()), f.metadata.get("image/png"));
        assertTrue(((String) f.data.get("text/plain")).startsWith("figure 'recall at K"));

        // a Tablesaw table is a table in HTML and one line per row in text, not one collapsed line
        var t = renderer.render(ResultTables.recall(Samples.results(), "with"));
        String text = (String) t.data.get("text/plain");
        assertTrue(((String) t.data.get("text/html")).startsWith("<table"));
        assertTrue(text.lines().count() >= 4, text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("sttran") && l.contains("68.6")), text);

        assertNull(KernelDisplay.registerRenderers(List.of("org.m3sgg.no.SuchKernel"), getClass().getClassLoader()));
    }

    @Test
    void registrationWorksWithBasekernelsRealRenderer() {
        assertEquals(BaseKernelRenderer.class.getName(), KernelDisplay.registerRenderers(
                List.of(BaseKernelRenderer.class.getName()), getClass().getClassLoader()));
        var renderer = BaseKernelRenderer.getKernelInstance().getRenderer();
        com.google.gson.Gson gson = new com.google.gson.Gson();
        // a figure, found through the Rich interface: its PNG, text and the 1x width as Jupyter's metadata
        Figure fig = Charts.lines("loss", "step", "loss", List.of(Curve.of("train", 3, 2, 1)), false);
        var json = gson.toJsonTree(renderer.render(fig)).getAsJsonObject();
        assertTrue(json.getAsJsonObject("data").has("image/png"), json.toString().substring(0, 200));
        assertEquals(fig.toString(), json.getAsJsonObject("data").get("text/plain").getAsString());
        assertEquals(fig.width(), json.getAsJsonObject("metadata").getAsJsonObject("image/png").get("width")
                .getAsInt());
        // a Tablesaw table (a registered class): HTML and multi-line text
        var table = gson.toJsonTree(renderer.render(ResultTables.recall(Samples.results(), "with")))
                .getAsJsonObject().getAsJsonObject("data");
        assertTrue(table.get("text/html").getAsString().startsWith("<table"));
        assertTrue(table.get("text/plain").getAsString().lines().count() >= 4);
        // anything else keeps the kernel's own text/plain
        var list = gson.toJsonTree(renderer.render(List.of("<b>"))).getAsJsonObject().getAsJsonObject("data");
        assertEquals("[<b>]", list.get("text/plain").getAsString());
        assertFalse(list.has("text/html"));
    }

    @Test
    void anyValueGetsEscapedHtmlAndItsOwnText() {
        Rich r = Display.rich(List.of("<b>person</b>", "a & b"));
        assertEquals("[<b>person</b>, a & b]", r.mimeBundle().get("text/plain"));
        String html = r.mimeBundle().get("text/html");
        assertTrue(html.contains("[&lt;b&gt;person&lt;/b&gt;, a &amp; b]"), html);
        assertTrue(!html.contains("<b>"), "no tag of the value reaches the HTML");
        Html frame = Display.frame(Samples.frame("V.mp4/000010.png"));
        assertTrue(frame.text().contains("person looking_at cup"), frame.text());
        assertTrue(Display.video(Samples.video()).text().startsWith("video TEST1.mp4: 4 frames of 640x360"));
    }

    @Test
    void displayAndUpdateGoThroughTheFirstKernelThatAnswers() {
        ClassLoader loader = getClass().getClassLoader();
        List<String> kernels = List.of("org.m3sgg.no.SuchDisplay", FakeKernel.NoKernelDisplay.class.getName(),
                FakeKernel.Display.class.getName());
        FakeKernel.Display.CALLS.clear();
        String id = KernelDisplay.display(kernels, "epoch 1", loader);
        assertEquals("id-1", id);
        assertTrue(KernelDisplay.updateDisplay(kernels, id, "epoch 2", loader));
        assertEquals("update id-1", FakeKernel.Display.CALLS.get(1)[0]);
        assertEquals("epoch 2", FakeKernel.Display.CALLS.get(1)[1]);
        assertFalse(KernelDisplay.updateDisplay(kernels, null, "x", loader));
        // outside a kernel (this test JVM): nothing is shown, nothing fails
        assertNull(KernelDisplay.display("x"));
        assertFalse(KernelDisplay.updateDisplay("some-id", "x"));
        assertNull(KernelDisplay.display(List.of(FakeKernel.NoKernelDisplay.class.getName()), "x", loader));
    }

    @Test
    void liveViewsAreRichValuesTheKernelRendersAndNothingOutsideAKernel() {
        KernelDisplay.registerRenderers(List.of(FakeKernel.class.getName()), getClass().getClassLoader());
        FakeKernel.Display.CALLS.clear();
        ClassLoader loader = getClass().getClassLoader();
        List<String> kernels = List.of(FakeKernel.Display.class.getName());
        String id = KernelDisplay.display(kernels, Display.text("step <1>"), loader);
        KernelDisplay.updateDisplay(kernels, id, Display.text("step 2"), loader);
        // what the kernel's display function hands its renderer: both forms of the view
        var shown = FakeKernel.getKernelInstance().getRenderer().render(FakeKernel.Display.CALLS.get(0)[1]);
        assertEquals("step <1>", shown.data.get("text/plain"));
        assertTrue(((String) shown.data.get("text/html")).contains("step &lt;1&gt;"));
        var updated = FakeKernel.getKernelInstance().getRenderer().render(FakeKernel.Display.CALLS.get(1)[1]);
        assertEquals("step 2", updated.data.get("text/plain"));
        // the sink the live views use: outside a kernel it shows nothing and returns no id
        assertNull(KernelDisplay.sink().show(Display.text("x")));
    }

    @Test
    void displayHelpersProduceHtml() throws Exception {
        Html t = Display.recall(ResultTables.recall(Samples.results(), "with"));
        assertTrue(t.toString().startsWith("<table"));
        assertTrue(t.html().contains(">68.6<"));
        BufferedImage img = Images.canvas(4, 3);
        Html both = Display.all(t, img, "plain <text>");
        String s = both.html();
        int at = s.indexOf("base64,") + 7;
        byte[] png = Base64.getDecoder().decode(s.substring(at, s.indexOf('"', at)));
        BufferedImage back = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        assertEquals(4, back.getWidth());
        assertTrue(s.contains("plain &lt;text&gt;"));
        assertTrue(Display.image(img) == img);
    }

    @Test
    void backendLineNamesTheNd4jBackend() {
        String line = Notebook.backend();
        assertTrue(line.startsWith("Cpu") || line.startsWith("Jcu"), line);
    }
}
