package org.m3sgg.eval;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the reference fixtures ({@code shared/fixtures}) that live beside the repository: walks up from the
 * Maven run's working directory until some ancestor holds {@code shared/fixtures} (CI: {@code <clone>/../shared};
 * helper worktrees: {@code /work/wt/NAME} with {@code /work/shared}).
 */
final class SharedFixtures {

    private SharedFixtures() {}

    static Path dir() {
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

    static Path file(String relative) {
        Path f = dir().resolve(relative);
        if (!Files.isRegularFile(f)) {
            throw new IllegalStateException("missing reference fixture " + f);
        }
        return f;
    }

    /** The repository root (the ancestor of the working directory that holds pom.xml). */
    static Path repoRoot() {
        for (Path d = Path.of(System.getProperty("user.dir")).toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no pom.xml above " + System.getProperty("user.dir"));
    }
}
