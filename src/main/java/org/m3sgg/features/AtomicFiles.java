package org.m3sgg.features;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.m3sgg.api.KitException;

/** Writes a file through a temporary file in the same folder and a rename, so readers never see half a file. */
public final class AtomicFiles {

    /** The body of a write; may throw I/O errors. */
    interface Body {
        void write(OutputStream os) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Temporary files are created owner-only (0600/0700); a dataset should end up like any other written file
     * (0644/0755). No-op where the file system has no POSIX permissions.
     */
    public static void readableByAll(Path p) throws IOException {
        try {
            boolean dir = Files.isDirectory(p);
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                    dir ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
    }

    static void write(Path file, Body body) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.write(os);
            }
            readableByAll(tmp);
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
