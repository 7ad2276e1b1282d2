package org.m3sgg.features;

import org.m3sgg.api.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.m3sgg.api.KitException;

/**
 * Reads and writes numpy {@code .npz} archives: a zip of {@code NAME.npy} entries, stored or deflated (what
 * {@code np.savez} and {@code np.savez_compressed} write).
 *
 * <p>The writer deflates every entry and stamps it with a fixed time (2000-01-01), so the same arrays always
 * give the same archive on a given zlib; no other metadata goes into the file.
 */
public final class Npz {

    /** A fixed entry time inside the DOS range (so no extended-timestamp field is written). */
    private static final long FIXED_TIME = java.time.LocalDateTime.of(2000, 1, 1, 0, 0)
            .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    private Npz() {}

    /** Reads every array of an archive, keyed by entry name without {@code .npy}, in archive order. */
    public static Map<String, NdArray> read(Path file) {
        if (!Files.exists(file)) {
            throw new KitException(file + ": file not found (expected a .npz archive)");
        }
        if (!Files.isRegularFile(file)) {
            throw new KitException(file + ": not a regular file (expected a .npz archive)");
        }
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                String name = e.getName().endsWith(".npy")
                        ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                String source = file + ":" + e.getName();
                // ZipFile checks no CRC-32; numpy does ("Bad CRC-32"), and so must we: a flipped bit in a stored
                // entry would otherwise be read as data
                CRC32 crc = new CRC32();
                try (InputStream in = new CheckedInputStream(zip.getInputStream(e), crc)) {
                    NdArray a = Npy.read(in, source, e.getSize());
                    if (in.read() != -1) {
                        throw new KitException(source + ": data after the array (entry longer than its header says)");
                    }
                    if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                        throw new KitException(source + ": bad CRC-32 (the archive is corrupted)");
                    }
                    out.put(name, a);
                }
            }
        } catch (ZipException e) {
            throw new KitException(file + ": not a readable .npz (zip) archive: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new KitException(file + ": file not found (expected a .npz archive)", e);
        } catch (IOException e) {
            throw new KitException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes arrays as a deflated archive (entry {@code NAME.npy} per key, in map order), atomically. */
    public static void write(Path file, Map<String, NdArray> arrays) {
        AtomicFiles.write(file, os -> {
            ZipOutputStream zip = new ZipOutputStream(os);
            zip.setMethod(ZipOutputStream.DEFLATED);
            zip.setLevel(6);
            for (Map.Entry<String, NdArray> a : arrays.entrySet()) {
                ZipEntry e = new ZipEntry(a.getKey() + ".npy");
                e.setTime(FIXED_TIME);
                zip.putNextEntry(e);
                Npy.write(zip, a.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }
}
