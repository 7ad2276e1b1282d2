package org.m3sgg.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the reference fixtures in {@code ../shared/fixtures} beside the repository, whatever the working dir. */
public final class Fixtures {

    private Fixtures() {}

    public static Path root() {
        Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (; p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            Path sibling = p.getParent() == null ? null : p.getParent().resolve("shared").resolve("fixtures");
            if (sibling != null && Files.isDirectory(sibling)) {
                return sibling;
            }
        }
        throw new IllegalStateException("shared/fixtures not found above " + System.getProperty("user.dir"));
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }
}
