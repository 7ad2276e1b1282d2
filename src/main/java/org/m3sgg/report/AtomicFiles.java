package org.m3sgg.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import javax.imageio.ImageIO;
import org.m3sgg.api.KitException;

/**
 * Writes report files through a temporary sibling and a rename, so a reader (a notebook, a CI job) never sees a
 * half-written CSV or PNG, and an interrupted run leaves the previous file intact.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Something that writes the whole file content to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static Path write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            // temp files are created owner-only; a report file should read like any other file
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            return abs;
        } catch (IOException e) {
            throw new KitException("cannot write " + abs + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the rename already happened or the directory is gone: nothing left to clean
                }
            }
        }
    }

    public static Path writeString(Path target, String text) {
        return write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a PNG; the image must be non-empty. */
    public static Path writePng(Path target, BufferedImage image) {
        return write(target, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
        });
    }
}
