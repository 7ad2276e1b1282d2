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
    void htmlRendererIsRegisteredThroughTheKernelsPublicApi() {
        String used = KernelDisplay.registerHtml(
                List.of("org.m3sgg.no.SuchKernel", FakeKernel.class.getName()), getClass().getClassLoader());
        assertEquals(FakeKernel.class.getName(), used);
        var out = FakeKernel.getKernelInstance().getRenderer().render(Display.html("<b>R@20</b>"));
        assertEquals("<b>R@20</b>", out.data.get("text/html"));
        assertEquals("<b>R@20</b>", out.data.get("text/plain"));
        assertNull(KernelDisplay.registerHtml(List.of("org.m3sgg.no.SuchKernel"), getClass().getClassLoader()));
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
