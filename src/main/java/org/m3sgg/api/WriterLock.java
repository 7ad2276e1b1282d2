package org.m3sgg.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per folder. Two trainings with the same {@code --out} would interleave their checkpoints and configs;
 * two {@code data generate} runs would swap worlds under each other; the second is refused. The lock is an
 * operating-system lock on a lock file ({@code RUN/.lock} for a run folder): the kernel drops it when the process
 * ends, however it ends ({@code kill -9} included), so it can never be left stale. The file itself stays, holding
 * who took the lock last (for the message).
 */
public final class WriterLock implements AutoCloseable {

    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;
    private Path removeOnClose;

    private WriterLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of a run folder (creating the folder), or refuses naming the process that holds it. */
    public static WriterLock acquire(Path runDir) {
        return acquire(runDir.resolve(FILE), runDir + " is in use by another training run");
    }

    /**
     * Takes the lock held in {@code lockFile} (creating its folder and the file), or refuses with {@code busy}
     * followed by the holder.
     */
    public static WriterLock acquire(Path lockFile, String busy) {
        // file channels close themselves when the calling thread is interrupted: an interrupt (a stopped notebook
        // cell) is kept for the trainer to see, not spent here
        boolean interrupted = Thread.interrupted();
        try {
            return take(lockFile, busy);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static WriterLock take(Path file, String busy) {
        FileChannel ch = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // held by this JVM (another trainer in the same notebook)
            }
            if (l == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
                ch.close();
                throw new KitException(busy + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + ": wait for it to end or choose another --out");
            }
            String me = "pid " + ProcessHandle.current().pid() + ", since " + Instant.now();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new WriterLock(ch, l);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the error below is what matters
                }
            }
            throw new KitException("cannot take the lock " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the lock file when the lock is released (for locks beside a user's files, such as a generated
     * world's, where a leftover file would be clutter). The file goes while the lock is still held.
     */
    public WriterLock removeFileOnClose(Path lockFile) {
        this.removeOnClose = lockFile;
        return this;
    }

    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
            if (removeOnClose != null) {
                Files.deleteIfExists(removeOnClose);
            }
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the kernel releases the lock with the channel in any case
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
