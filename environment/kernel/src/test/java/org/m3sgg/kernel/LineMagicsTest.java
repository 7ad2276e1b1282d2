package org.m3sgg.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineMagicsTest {

    @Test
    void aCellSplitsIntoCodeAndMagicLinesInTheirOrder() {
        List<LineMagics.Piece> p = LineMagics.split("int a = 1;\n%jars lib/*.jar\n  %maven g:a:1 'x y'\na + 1");
        assertEquals(4, p.size());
        assertEquals("int a = 1;\n", p.get(0).code());
        assertEquals("jars", p.get(1).magic());
        assertEquals(List.of("lib/*.jar"), p.get(1).args());
        assertEquals("maven", p.get(2).magic());
        assertEquals(List.of("g:a:1", "x y"), p.get(2).args());
        assertEquals("a + 1\n", p.get(3).code());
    }

    @Test
    void codeWithPercentSignsAndCellMagicsIsNotALineMagic() {
        List<LineMagics.Piece> p = LineMagics.split("int r = 7 % 3;\n%%loadFromPOM\nString s = \"%d\";");
        assertEquals(1, p.size());
        assertFalse(p.get(0).isMagic());
    }

    @Test
    void wordsKeepQuotedSpacesAndRejectAnOpenQuote() {
        assertEquals(List.of("a", "b c", ""), LineMagics.words(" a \"b c\" ''"));
        assertThrows(IllegalArgumentException.class, () -> LineMagics.words("a 'b"));
    }

    @Test
    void jarsAndClasspathAddWhatTheGlobsMatchAndSayWhenNothingDoes(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.write(dir.resolve("lib/a.jar"), new byte[0]);
        Files.write(dir.resolve("lib/b.jar"), new byte[0]);
        Files.writeString(dir.resolve("lib/notes.txt"), "x");
        List<String> added = new ArrayList<>();
        LineMagics m = new LineMagics(added::add, new MavenDependencies(dir.resolve("m2")));
        List<String> jars = m.run("jars", List.of(dir.resolve("lib").toString() + "/*.jar"));
        assertEquals(2, jars.size());
        assertTrue(jars.stream().allMatch(j -> j.endsWith(".jar")));
        m.run("classpath", List.of(dir.resolve("lib").toString()));
        assertEquals(3, added.size());
        var e = assertThrows(LineMagics.MagicError.class, () -> m.run("jars", List.of(dir + "/none/*.jar")));
        assertTrue(e.getMessage().startsWith("%jars: "), e.getMessage());
        assertThrows(LineMagics.MagicError.class, () -> m.run("jars", List.of()));
    }

    @Test
    void badMagicsSayWhatWasExpected(@TempDir Path dir) {
        LineMagics m = new LineMagics(s -> { }, new MavenDependencies(dir));
        assertTrue(assertThrows(LineMagics.MagicError.class, () -> m.run("nope", List.of())).getMessage()
                .contains("unknown line magic %nope"));
        assertTrue(assertThrows(LineMagics.MagicError.class, () -> m.run("maven", List.of("not-coordinates")))
                .getMessage().contains("bad coordinates 'not-coordinates'"));
        assertTrue(assertThrows(LineMagics.MagicError.class, () -> m.run("mavenRepo", List.of("id")))
                .getMessage().contains("expected ID URL"));
        assertTrue(assertThrows(LineMagics.MagicError.class, () -> m.run("mavenRepo", List.of("id", "ftp://x")))
                .getMessage().contains("not an http(s) or file URL"));
    }

    @Test
    void mavenResolvesFromAFileRepositoryWithDependencies(@TempDir Path dir) throws Exception {
        // a two-artifact repository: demo:app:1 depends on demo:lib:2
        Path repo = dir.resolve("repo");
        writeArtifact(repo, "lib", "2", "");
        writeArtifact(repo, "app", "1", "<dependencies><dependency><groupId>demo</groupId><artifactId>lib</artifactId>"
                + "<version>2</version></dependency></dependencies>");
        MavenDependencies maven = new MavenDependencies(dir.resolve("local"));
        List<String> added = new ArrayList<>();
        LineMagics m = new LineMagics(added::add, maven);
        m.run("mavenRepo", List.of("demo", repo.toUri().toString()));
        List<String> files = m.run("maven", List.of("demo:app:1"));
        assertEquals(2, files.size(), files.toString());
        assertTrue(files.get(0).endsWith("app-1.jar") && files.get(1).endsWith("lib-2.jar"), files.toString());
        assertEquals(files, added);
        var e = assertThrows(LineMagics.MagicError.class, () -> m.run("maven", List.of("demo:missing:9")));
        assertTrue(e.getMessage().startsWith("%maven: "), e.getMessage());
    }

    private static void writeArtifact(Path repo, String artifact, String version, String deps) throws Exception {
        Path d = repo.resolve("demo").resolve(artifact).resolve(version);
        Files.createDirectories(d);
        Files.writeString(d.resolve(artifact + "-" + version + ".pom"), "<project><modelVersion>4.0.0</modelVersion>"
                + "<groupId>demo</groupId><artifactId>" + artifact + "</artifactId><version>" + version
                + "</version>" + deps + "</project>");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(
                d.resolve(artifact + "-" + version + ".jar")))) {
            out.putNextEntry(new java.util.zip.ZipEntry("META-INF/" + artifact + ".txt"));
        }
    }
}
