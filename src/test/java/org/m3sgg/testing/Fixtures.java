package org.m3sgg.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the reference fixtures ({@code shared/fixtures}) that live beside the repository: walks up from the
 * Maven run's working directory until some ancestor holds {@code shared/fixtures} (CI: {@code <clone>/../shared}).
 */
public final class Fixtures {

    private Fixtures() {}

    public static Path dir() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = start; d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/fixtures folder found above " + start
                + ": the reference fixtures must sit beside the repository (../shared/fixtures)");
    }

    /** A fixture path (file or folder) that must exist. */
    public static Path path(String relative) {
        Path f = dir().resolve(relative);
        if (!Files.exists(f)) {
            throw new IllegalStateException("missing reference fixture " + f);
        }
        return f;
    }

    /** A fixture file that must exist. */
    public static Path file(String relative) {
        Path f = path(relative);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("reference fixture " + f + " is not a file");
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
        throw new IllegalStateException("no pom.xml above " + System.getProperty("user.dir"));
    }
}
