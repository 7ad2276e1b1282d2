package org.m3sgg.features;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.m3sgg.api.KitException;

/** Writes a file through a temporary file in the same folder and a rename, so readers never see half a file. */
final class AtomicFiles {

    /** The body of a write; may throw I/O errors. */
    interface Body {
        void write(OutputStream os) throws IOException;
    }

    private AtomicFiles() {}

    static void write(Path file, Body body) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.write(os);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new KitException("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the rename succeeded, or the error above is the one worth reporting
                }
            }
        }
    }
}
