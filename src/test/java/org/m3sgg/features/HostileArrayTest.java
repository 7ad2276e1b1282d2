package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

/** Forged {@code .npy}/{@code .npz} files (issue 14, defects 2 and 8): named errors, never a wrong read. */
class HostileArrayTest {

    @TempDir
    Path tmp;

    private static byte[] npy(String shape, byte[] data) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        String text = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length(), 0});
        b.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        b.writeBytes(data);
        return b.toByteArray();
    }

    /** An archive with one stored (uncompressed) entry, as {@code np.savez} writes it. */
    private Path storedNpz(byte[] entry) throws Exception {
        Path f = tmp.resolve("params.npz");
        CRC32 crc = new CRC32();
        crc.update(entry);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            ZipEntry e = new ZipEntry("w.npy");
            e.setMethod(ZipEntry.STORED);
            e.setSize(entry.length);
            e.setCompressedSize(entry.length);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(entry);
            z.closeEntry();
        }
        return f;
    }

    private KitException refused(Path f) {
        KitException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(KitException.class, () -> Npz.read(f)));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void flippedBitInAStoredEntryIsABadCrc() throws Exception {
        byte[] entry = npy("(4,)", new byte[16]);
        Path f = storedNpz(entry);
        assertArrayEquals(new float[4], (float[]) Npz.read(f).get("w").data());
        byte[] all = Files.readAllBytes(f);
        int at = indexOf(all, entry) + entry.length - 3; // inside the data
        all[at] ^= 0x10;
        Files.write(f, all);
        assertTrue(refused(f).getMessage().contains("bad CRC-32"));
    }

    @Test
    void negativeAndOverflowingShapesAreRefused() throws Exception {
        assertTrue(refused(storedNpz(npy("(-4,)", new byte[16]))).getMessage().contains("negative dimension"));
        assertTrue(refused(storedNpz(npy("(1048576, 1048576)", new byte[16]))).getMessage().contains("too large"));
        assertTrue(refused(storedNpz(npy("(1099511627776,)", new byte[16]))).getMessage().contains("shape"));
    }

    @Test
    void shapeLargerThanTheEntryIsRefusedBeforeReading() throws Exception {
        // 1.8 GB declared in a 100-byte entry: refused from the sizes, nothing allocated
        String m = refused(storedNpz(npy("(450000000,)", new byte[16]))).getMessage();
        assertTrue(m.contains("only"), m);
        Path npyFile = tmp.resolve("a.npy");
        Files.write(npyFile, npy("(450000000,)", new byte[16]));
        assertThrows(KitException.class, () -> Npy.read(npyFile));
    }

    @Test
    void deflatedBombIsRefusedFromItsHeader() throws Exception {
        // a deflated entry whose header declares 1.6 GB of zeros: the entry's recorded size is checked first
        Path f = tmp.resolve("bomb.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("w.npy"));
            z.write(npy("(400000000,)", new byte[0]));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 8; i++) {
                z.write(zeros);
            }
            z.closeEntry();
        }
        refused(f);
    }

    @Test
    void directoryOrMissingFileIsNamed() throws Exception {
        assertTrue(refused(tmp).getMessage().contains("not a regular file"));
        assertTrue(refused(tmp.resolve("missing.npz")).getMessage().contains("file not found"));
    }

    @Test
    void genuineArchivesStillRoundTrip() {
        Path f = tmp.resolve("ok.npz");
        NdArray a = NdArray.wrap(NdArray.DType.F4, new int[] {2, 2}, new float[] {1, 2, 3, 4});
        Npz.write(f, Map.of("x", a));
        assertArrayEquals((float[]) a.data(), (float[]) Npz.read(f).get("x").data());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("entry not found in the archive");
    }
}
