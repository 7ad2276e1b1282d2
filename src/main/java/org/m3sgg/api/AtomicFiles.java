package org.m3sgg.api;

import java.awt.image.BufferedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import javax.imageio.ImageIO;

/**
 * Writes files through a temporary sibling and a rename, so a reader (a notebook, a training run, CI) never sees
 * a half-written file and an interrupted write leaves the previous file intact. Every file the kit writes goes
 * through here.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** The body of a write: writes the whole content to a stream. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code file} atomically; failures are a {@link KitException} naming the file. */
    public static Path write(Path file, Body body) {
        Path target = file.toAbsolutePath();
        Path tmp = null;
        try {
            tmp = temporarySibling(target);
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.write(out);
            }
            moveIntoPlace(tmp, target);
            return target;
        } catch (IOException e) {
            throw new KitException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the rename already happened, or the error above is the one worth reporting
                }
            }
        }
    }

    public static Path writeString(Path file, String text) {
        return write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a PNG. */
    public static Path writePng(Path file, BufferedImage image) {
        return write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer for image type " + image.getType());
            }
        });
    }

    /** A new empty temporary file beside {@code file} (its folder is created), for streaming writers. */
    public static Path temporarySibling(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
    }

    /** Publishes a finished temporary file under its final name, readable by all like any other written file. */
    public static void moveIntoPlace(Path tmp, Path file) throws IOException {
        readableByAll(tmp);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Temporary files and folders are created owner-only (0600/0700); what the kit writes should end up like any
     * other file (0644/0755). No-op where the file system has no POSIX permissions.
     */
    public static void readableByAll(Path p) throws IOException {
        try {
            boolean dir = Files.isDirectory(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(dir ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
    }

    /**
     * Removes what killed writers left in {@code dir} and its sub-folders: the kit's temporary files
     * ({@code .NAME.*.tmp}) and folders ({@code .NAME.tmp*}, {@code .NAME.old-*}). Call it only while holding the
     * folder's writer lock (a live writer's temporaries look the same). Returns how many were removed.
     */
    public static int removeTemporaries(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        try (java.util.stream.Stream<Path> s = Files.walk(dir, 2)) {
            for (Path p : s.filter(p -> !p.equals(dir) && isTemporary(p)).toList()) {
                if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    deleteTree(p);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new KitException("cannot clean temporary files in " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Removes the temporaries a killed writer of {@code target} left beside it ({@code .NAME.*.tmp} files,
     * {@code .NAME.tmp*} and {@code .NAME.old-*} folders), and nothing else. Two live writers of one target are an
     * error in any case; the other's temporary goes and its rename then fails with a message.
     */
    public static void removeTemporariesOf(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String prefix = "." + target.getFileName() + ".";
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(prefix) && isTemporary(p)).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new KitException("cannot clean temporary files beside " + target + ": " + e.getMessage(), e);
        }
    }

    private static boolean isTemporary(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && (n.endsWith(".tmp") || n.matches("\\..+\\.(tmp|old-)[^/]*"));
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (java.util.stream.Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        } else {
            Files.deleteIfExists(p);
        }
    }
}
