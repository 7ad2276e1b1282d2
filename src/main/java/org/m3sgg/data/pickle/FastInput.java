package org.m3sgg.data.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * An unsynchronised buffered stream for the unpickler. {@link java.io.BufferedInputStream} locks on every
 * {@code read()}, and Pyrolite reads each opcode that way; it also allocates a new array for every string it
 * decodes. This reads strings straight from its buffer and shares the {@code String} of short strings seen
 * before (dict keys such as {@code 'bbox'} or predicate names recur millions of times in Action Genome's files).
 */
final class FastInput extends InputStream {

    private static final int CACHE_SLOTS = 1 << 12;
    private static final int CACHE_MAX_LEN = 32;

    private final InputStream src;
    private final byte[] buf;
    private int pos;
    private int limit;
    private final String[] cachedStrings = new String[CACHE_SLOTS];
    private final byte[][] cachedBytes = new byte[CACHE_SLOTS][];

    /** Bytes the source holds in all (the file's size), or {@link Long#MAX_VALUE} when unknown. */
    private final long size;
    /** Bytes taken from the source so far. */
    private long fetched;

    FastInput(InputStream src, int bufferSize) {
        this(src, bufferSize, Long.MAX_VALUE);
    }

    FastInput(InputStream src, int bufferSize, long size) {
        this.src = src;
        this.buf = new byte[bufferSize];
        this.size = size;
    }

    /** Bytes read so far. */
    long consumed() {
        return fetched - (limit - pos);
    }

    /** Bytes left to read, when the source's size is known. */
    long left() {
        return size == Long.MAX_VALUE ? Long.MAX_VALUE : size - fetched + (limit - pos);
    }

    /**
     * Refuses a length prefix longer than what is left of the file, before anything of that length is allocated
     * (a 2 GB prefix in an 11-byte file must be an error, not an OutOfMemoryError).
     */
    void checkLength(long n) throws IOException {
        if (n < 0) {
            throw new IOException("negative length " + n + " in the pickle (corrupt file)");
        }
        if (n > left()) {
            throw new EOFException("expected more bytes: a value declares " + n + " bytes but only " + left()
                    + " are left in the file");
        }
    }

    /** A little-endian length prefix of {@code width} (4 or 8) bytes at the read position, without consuming it. */
    long peekLength(int width) throws IOException {
        require(width);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (buf[pos + i] & 0xff);
        }
        return width == 4 ? (int) v : v;
    }

    @Override
    public int read() throws IOException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos == limit) {
            if (len >= buf.length) {
                int r = src.read(b, off, len);
                fetched += Math.max(r, 0);
                return r;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        src.close();
    }

    /** Refills an empty buffer; false at end of stream. */
    private boolean fill() throws IOException {
        int n = src.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        fetched += n;
        pos = 0;
        limit = n;
        return true;
    }

    /** Makes {@code n <= buf.length} bytes available from {@code pos}, or throws at end of stream. */
    private void require(int n) throws IOException {
        if (limit - pos >= n) {
            return;
        }
        int have = limit - pos;
        System.arraycopy(buf, pos, buf, 0, have);
        pos = 0;
        limit = have;
        while (limit < n) {
            int r = src.read(buf, limit, buf.length - limit);
            if (r <= 0) {
                throw new EOFException("expected more bytes: the pickle ends inside a value");
            }
            fetched += r;
            limit += r;
        }
    }

    int readUnsignedByte() throws IOException {
        require(1);
        return buf[pos++] & 0xff;
    }

    int readIntLE() throws IOException {
        require(4);
        int v = (buf[pos] & 0xff) | (buf[pos + 1] & 0xff) << 8 | (buf[pos + 2] & 0xff) << 16 | buf[pos + 3] << 24;
        pos += 4;
        return v;
    }

    long readLongBE() throws IOException {
        require(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (buf[pos + i] & 0xff);
        }
        pos += 8;
        return v;
    }

    byte[] readBytes(int n) throws IOException {
        checkLength(n);
        byte[] out = new byte[n];
        int have = Math.min(n, limit - pos);
        System.arraycopy(buf, pos, out, 0, have);
        pos += have;
        for (int off = have; off < n;) {
            int r = read(out, off, n - off);
            if (r <= 0) {
                throw new EOFException("expected more bytes: the pickle ends inside a value");
            }
            off += r;
        }
        return out;
    }

    /** A UTF-8 string of {@code n} bytes; short ones are shared with earlier equal strings. */
    String readString(int n) throws IOException {
        if (n < 0 || n > buf.length) {
            return new String(readBytes(n), StandardCharsets.UTF_8);
        }
        require(n);
        if (n > CACHE_MAX_LEN) {
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
        int h = n;
        for (int i = pos; i < pos + n; i++) {
            h = 31 * h + buf[i];
        }
        int slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
        byte[] cb = cachedBytes[slot];
        if (cb != null && cb.length == n && java.util.Arrays.equals(cb, 0, n, buf, pos, pos + n)) {
            pos += n;
            return cachedStrings[slot];
        }
        byte[] copy = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        String s = new String(copy, StandardCharsets.UTF_8);
        cachedBytes[slot] = copy;
        cachedStrings[slot] = s;
        pos += n;
        return s;
    }
}
