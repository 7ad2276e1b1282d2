package org.m3sgg.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class M3sggKernelTest {

    private final M3sggKernel kernel = new M3sggKernel(List.of(), List.of(), List.of());

    @Test
    void anImageShowsAsPngWithItsSizeAsText() {
        var d = kernel.renderValue(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB));
        assertNotNull(d.getData(MIMEType.parse("image/png")));
        assertEquals("image 3 x 2", d.getData(MIMEType.parse("text/plain")));
        var onlyPng = kernel.renderValue(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB), "image/png");
        // the base kernel adds text/plain to any bundle: the size there too
        assertEquals("image 3 x 2", onlyPng.getData(MIMEType.parse("text/plain")));
    }

    @Test
    void environmentVariablesSplitAsIJavaSplitsThem() {
        assertEquals(List.of("/a.jar", "/b"), M3sggKernel.splitClasspath("/a.jar::/b"));
        assertEquals(List.of(), M3sggKernel.splitClasspath(" "));
        assertEquals(List.of("-Xlint", "--enable-preview"), M3sggKernel.splitOptions(" -Xlint  --enable-preview "));
    }
}
