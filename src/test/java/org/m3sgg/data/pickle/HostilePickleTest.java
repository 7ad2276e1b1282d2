package org.m3sgg.data.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;

/**
 * Tiny forged pickles that used to take the loader down (issue 14, defect 3): each must be a one-line
 * {@link KitException} naming the file, quickly, with no other exception escaping.
 */
class HostilePickleTest {

    @TempDir
    Path tmp;

    private String refused(byte[] pickle) throws Exception {
        Path f = tmp.resolve("person_bbox.pkl");
        Files.write(f, pickle);
        KitException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(KitException.class, () -> PickleIO.read(f)));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static byte[] bytes(int... b) {
        byte[] out = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = (byte) b[i];
        }
        return out;
    }

    @Test
    void lengthPrefixBeyondTheFileIsRefusedBeforeAllocating() throws Exception {
        // BINBYTES of 2 GB in an 11-byte file (the reproduction)
        String m = refused(bytes(0x80, 2, 'B', 0xf0, 0xff, 0xff, 0x7f, 'a', 'b', 'c', '.'));
        assertTrue(m.contains("declares 2147483632 bytes"), m);
        // the same through BINUNICODE, BINSTRING, BINBYTES8 and BINUNICODE8, whose lengths Pyrolite would trust
        refused(bytes(0x80, 2, 'X', 0xf0, 0xff, 0xff, 0x7f, 'a', '.'));
        refused(bytes(0x80, 2, 'T', 0xf0, 0xff, 0xff, 0x7f, 'a', '.'));
        refused(bytes(0x80, 4, 0x8e, 0, 0, 0, 0x40, 0, 0, 0, 0, 'a', '.'));
        refused(bytes(0x80, 4, 0x8d, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 'a', '.'));
        refused(bytes(0x80, 2, 0x8b, 0xf0, 0xff, 0xff, 0x7f, 'a', '.')); // LONG4
    }

    @Test
    void forgedMemoIndexIsRefused() throws Exception {
        // EMPTY_LIST, LONG_BINPUT 2^31-1: growing the memo to it would need 16 GB
        refused(bytes(0x80, 2, ']', 'r', 0xff, 0xff, 0xff, 0x7f, '.'));
    }

    @Test
    void listThatHoldsItselfIsRefused() throws Exception {
        // EMPTY_LIST, BINPUT 0, BINGET 0, APPEND: l = []; l.append(l) (13 bytes with the frame)
        String m = refused(bytes(0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'));
        assertTrue(m.contains("nested deeper"), m);
    }

    @Test
    void deepNestingIsRefused() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(bytes(0x80, 2));
        int n = 5000;
        for (int i = 0; i < n; i++) {
            b.write(']');
        }
        for (int i = 1; i < n; i++) {
            b.write('a');
        }
        b.write('.');
        assertTrue(refused(b.toByteArray()).contains("nested deeper"));
    }

    @Test
    void memoBombIsRefused() throws Exception {
        // l0 = []; l(i) = [l(i-1), l(i-1)] 60 times: a few hundred bytes, 2^60 nodes for whoever walks it
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(bytes(0x80, 2, ']', 'q', 0));
        for (int i = 1; i <= 60; i++) {
            b.write(bytes('(', 'h', i - 1, 'h', i - 1, 'l', 'q', i));
        }
        b.write('.');
        assertTrue(b.size() < 500);
        assertTrue(refused(b.toByteArray()).contains("shared so often"));
    }

    @Test
    void sharedValuesWithinBoundsStillLoad() {
        // d = {'a': 1}; [d, d, d]: sharing as pickle writes it for real data
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes(0x80, 2, ']', 'q', 0, '(', '}', 'q', 1, 0x8c, 1, 'a', 'K', 1, 's',
                'h', 1, 'h', 1, 'e', '.'));
        Object o = PickleIO.read(new java.io.ByteArrayInputStream(b.toByteArray()), "shared");
        assertEquals(3, ((List<?>) o).size());
    }

    @Test
    void fifoIsRefusedNotWaitedOn() throws Exception {
        Path fifo = tmp.resolve("object_bbox_and_relationship.pkl");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available here");
        KitException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(KitException.class, () -> PickleIO.read(fifo)));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }
}
