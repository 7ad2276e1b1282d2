package org.m3sgg.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one locator of the reference fixtures: the outputs of the reference Python implementations that live in
 * the repository under {@code src/test/resources/reference} (each folder's README says what produced it). They are
 * found on the test class path ({@code /reference/<folder>}), so a clone with nothing beside it runs every test.
 * A missing fixture fails the test that needs it with the path that was expected; it never skips.
 */
public final class Fixtures {

    /** The class-path folder of the fixtures. */
    private static final String ROOT = "/reference";

    private Fixtures() {}

    /** The fixtures folder ({@code target/test-classes/reference} in a Maven run). */
    public static Path root() {
        URL url = Fixtures.class.getResource(ROOT + "/README.md");
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new AssertionError("reference fixtures not on the test class path: expected "
                    + "src/test/resources" + ROOT + "/README.md (got " + url + ")");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new AssertionError("reference fixtures at an unusable location " + url, e);
        }
    }

    /** A fixture folder, e.g. {@code dir("sttran-reference")}. */
    public static Path dir(String name) {
        Path d = root().resolve(name);
        if (!Files.isDirectory(d)) {
            throw new AssertionError("missing reference fixture folder " + d + " (src/test/resources" + ROOT + "/"
                    + name + ")");
        }
        return d;
    }

    /** A fixture path (file or folder) that must exist, relative to the fixtures folder. */
    public static Path path(String relative) {
        Path f = root().resolve(relative);
        if (!Files.exists(f)) {
            throw new AssertionError("missing reference fixture " + f + " (src/test/resources" + ROOT + "/"
                    + relative + ")");
        }
        return f;
    }

    /** A fixture file that must exist. */
    public static Path file(String relative) {
        Path f = path(relative);
        if (!Files.isRegularFile(f)) {
            throw new AssertionError("reference fixture " + f + " is not a file");
        }
        return f;
    }

    /** The repository root (the ancestor of the working directory that holds pom.xml). */
    public static Path repoRoot() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new AssertionError("no pom.xml above " + System.getProperty("user.dir"));
    }
}
