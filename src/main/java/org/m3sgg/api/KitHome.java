package org.m3sgg.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the kit lives (pom.xml, configs/, datasets/), for defaults such as the bundled world. */
public final class KitHome {

    /** The bundled synthetic Action Genome world, relative to the kit's root. */
    public static final String BUNDLED_WORLD = "datasets/synthetic-ag";

    private KitHome() {}

    /**
     * The kit's root: {@code M3SGG_HOME} (set by the kernel spec), else the {@code m3sgg.home} property (set by
     * the launcher), else the first folder at or above the working directory with the kit's pom.xml (a notebook
     * runs in notebooks/).
     */
    public static Path home() {
        String env = System.getenv("M3SGG_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        String prop = System.getProperty("m3sgg.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path found = findHome(Path.of(System.getProperty("user.dir")));
        if (found == null) {
            throw new KitException("cannot find the M3SGG-J folder from " + System.getProperty("user.dir")
                    + ": set M3SGG_HOME to the folder holding the kit's pom.xml");
        }
        return found;
    }

    /** The bundled synthetic world under {@link #home()}. */
    public static Path bundledWorld() {
        return home().resolve(BUNDLED_WORLD);
    }

    /** The first folder at or above {@code start} holding the kit's pom.xml, or null. */
    public static Path findHome(Path start) {
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            try {
                if (Files.isRegularFile(pom) && Files.readString(pom).contains("<artifactId>m3sgg-j</artifactId>")) {
                    return p;
                }
            } catch (IOException e) {
                // unreadable pom: keep walking up
            }
        }
        return null;
    }
}
