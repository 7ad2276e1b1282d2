package org.m3sgg.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Locates the shared reference fixtures: a {@code shared/fixtures} folder beside the repository or one of its parents. */
public final class Fixtures {

    private Fixtures() {}

    /** The fixtures root, searching from {@code user.dir} upwards for {@code <parent>/shared/fixtures}. */
    public static Optional<Path> root() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A fixture folder; fails the test (not skips) when the fixtures cannot be found, so CI cannot pass silently. */
    public static Path dir(String name) {
        Path root = root().orElseThrow(() -> new AssertionError(
                "shared/fixtures not found beside the repository (searched up from " + System.getProperty("user.dir") + ")"));
        Path d = root.resolve(name);
        if (!Files.isDirectory(d)) {
            throw new AssertionError("fixture folder missing: " + d);
        }
        return d;
    }
}
