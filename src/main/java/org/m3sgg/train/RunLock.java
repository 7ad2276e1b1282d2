package org.m3sgg.train;

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
import org.m3sgg.api.KitException;

/**
 * One writer per run folder. Two trainings with the same {@code --out} would interleave their checkpoints and
 * configs; the second is refused. The lock is an operating-system lock on {@code RUN/.lock}: the kernel drops it
 * when the process ends, however it ends ({@code kill -9} included), so it can never be left stale. The file
 * itself stays, holding who took the lock last (for the message).
 */
public final class RunLock implements AutoCloseable {

    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock of {@code runDir} (creating the folder), or refuses naming the process that holds it. */
    public static RunLock acquire(Path runDir) {
        // file channels close themselves when the calling thread is interrupted: an interrupt (a stopped notebook
        // cell) is kept for the trainer to see, not spent here
        boolean interrupted = Thread.interrupted();
        try {
            return take(runDir);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static RunLock take(Path runDir) {
        Path file = runDir.resolve(FILE);
        FileChannel ch = null;
        try {
            Files.createDirectories(runDir);
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
                throw new KitException(runDir + " is in use by another training run" + (holder.isEmpty() ? ""
                        : " (" + holder + ")") + ": wait for it to end or choose another --out");
            }
            String me = "pid " + ProcessHandle.current().pid() + ", since " + Instant.now();
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new RunLock(ch, l);
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // the error below is what matters
                }
            }
            throw new KitException("cannot lock run folder " + runDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        try {
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
