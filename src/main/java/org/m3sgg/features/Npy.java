package org.m3sgg.features;

import org.m3sgg.api.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.m3sgg.api.KitException;

/**
 * Reads and writes numpy's {@code .npy} format (versions 1.0-3.0) for the types of {@link NdArray.DType} (float16
 * included: its bits are kept as they are, {@link Half} converts).
 *
 * <p>Fortran-order files are read correctly (their elements are re-ordered into C order), because a reader that
 * ignores the flag silently transposes the data. Big-endian and other types are refused with a message naming
 * the source. Files are always written in C order, little-endian, version 1.0, header padded to 64 bytes as
 * numpy does.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads a {@code .npy} file. */
    public static NdArray read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KitException(file + ": not a regular file (expected a .npy array)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), Files.size(file));
        } catch (IOException e) {
            throw new KitException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads one array from a stream positioned at its magic string.
     *
     * @param source what to name in error messages (a file, or {@code file.npz:entry.npy})
     */
    public static NdArray read(InputStream in, String source) throws IOException {
        return read(in, source, -1);
    }

    /**
     * Reads one array, refusing a header whose array would not fit in {@code limit} bytes (the size of the whole
     * {@code .npy}: the file's, or the archive entry's; negative when unknown). The check comes before any
     * allocation, so a forged header cannot exhaust the heap.
     */
    static NdArray read(InputStream in, String source, long limit) throws IOException {
        byte[] magic = in.readNBytes(8);
        if (magic.length < 8) {
            throw new KitException(source + ": not a .npy array (file too short)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (magic[i] != MAGIC[i]) {
                throw new KitException(source + ": not a .npy array (bad magic string)");
            }
        }
        int major = magic[6] & 0xff;
        int headerLen;
        if (major == 1) {
            byte[] len = in.readNBytes(2);
            headerLen = (len[0] & 0xff) | (len[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] len = in.readNBytes(4);
            headerLen = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new KitException(source + ": unsupported .npy format version " + major + "." + (magic[7] & 0xff));
        }
        if (headerLen < 0 || limit >= 0 && headerLen > limit) {
            throw new KitException(source + ": truncated .npy header (declares " + Integer.toUnsignedString(headerLen)
                    + " bytes)");
        }
        byte[] headerBytes = in.readNBytes(headerLen);
        if (headerBytes.length != headerLen) {
            throw new KitException(source + ": truncated .npy header");
        }
        if (limit >= 0) {
            limit -= 8 + (major == 1 ? 2 : 4) + headerLen;
        }
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NdArray.DType dtype = parseDescr(header, source);
        boolean fortran = parseFortran(header, source);
        int[] shape = parseShape(header, source);
        long bytes = dataBytes(shape, dtype, source);
        if (limit >= 0 && bytes > limit) {
            throw new KitException(source + ": .npy header declares shape " + java.util.Arrays.toString(shape)
                    + " of " + dtype.descr + " (" + bytes + " bytes) but only " + limit + " bytes follow it");
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (bytes > heap / 2) {
            throw new KitException(source + ": .npy shape " + java.util.Arrays.toString(shape) + " needs " + bytes
                    + " bytes, more than half the JVM heap (" + heap + " bytes; -Xmx in environment/jvm.options)");
        }
        long count = bytes / dtype.itemSize;
        byte[] raw = in.readNBytes((int) bytes);
        if (raw.length != bytes) {
            throw new KitException(source + ": truncated .npy data: expected " + bytes + " bytes for shape "
                    + java.util.Arrays.toString(shape) + " of " + dtype.descr + ", found " + raw.length);
        }
        Object data = decode(dtype, raw, (int) count);
        if (fortran && shape.length > 1) {
            data = fortranToC(data, shape);
        }
        return NdArray.wrap(dtype, shape, data);
    }

    /** Writes an array as a {@code .npy} file, atomically. */
    public static void write(Path file, NdArray a) {
        AtomicFiles.write(file, os -> write(os, a));
    }

    /** Writes one array (C order, little-endian, format 1.0). */
    public static void write(OutputStream os, NdArray a) throws IOException {
        os.write(header(a));
        os.write(encode(a));
    }

    /** The bytes of a whole {@code .npy} file for {@code a}. */
    public static byte[] toBytes(NdArray a) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            write(bos, a);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array stream does not fail
        }
        return bos.toByteArray();
    }

    static byte[] header(NdArray a) {
        StringBuilder shape = new StringBuilder("(");
        for (int i = 0; i < a.rank(); i++) {
            shape.append(a.dim(i));
            shape.append(a.rank() == 1 ? "," : i < a.rank() - 1 ? ", " : "");
        }
        shape.append(')');
        String dict = "{'descr': '" + a.dtype().descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        // numpy pads magic + version + length + dict + '\n' to a multiple of 64 bytes with spaces
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        if (t.length > 65535) {
            throw new IllegalArgumentException("npy header too long for format 1.0: " + a);
        }
        ByteBuffer b = ByteBuffer.allocate(10 + t.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) t.length).put(t);
        return b.array();
    }

    static byte[] encode(NdArray a) {
        int n = a.size();
        ByteBuffer b = ByteBuffer.allocate(n * a.dtype().itemSize).order(ByteOrder.LITTLE_ENDIAN);
        switch (a.dtype()) {
            case F4 -> b.asFloatBuffer().put((float[]) a.data());
            case F8 -> b.asDoubleBuffer().put((double[]) a.data());
            case I8 -> b.asLongBuffer().put((long[]) a.data());
            case I4 -> b.asIntBuffer().put((int[]) a.data());
            case F2 -> b.asShortBuffer().put((short[]) a.data());
            case B1 -> {
                boolean[] v = (boolean[]) a.data();
                for (int i = 0; i < n; i++) {
                    b.put(i, (byte) (v[i] ? 1 : 0));
                }
            }
        }
        return b.array();
    }

    private static Object decode(NdArray.DType dtype, byte[] raw, int n) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case F4 -> {
                float[] v = new float[n];
                b.asFloatBuffer().get(v);
                yield v;
            }
            case F8 -> {
                double[] v = new double[n];
                b.asDoubleBuffer().get(v);
                yield v;
            }
            case I8 -> {
                long[] v = new long[n];
                b.asLongBuffer().get(v);
                yield v;
            }
            case I4 -> {
                int[] v = new int[n];
                b.asIntBuffer().get(v);
                yield v;
            }
            case F2 -> {
                short[] v = new short[n];
                b.asShortBuffer().get(v);
                yield v;
            }
            case B1 -> {
                boolean[] v = new boolean[n];
                for (int i = 0; i < n; i++) {
                    v[i] = raw[i] != 0;
                }
                yield v;
            }
        };
    }

    /** Re-orders column-major data into row-major order. */
    private static Object fortranToC(Object src, int[] shape) {
        int rank = shape.length;
        int n = java.lang.reflect.Array.getLength(src);
        Object dst = java.lang.reflect.Array.newInstance(src.getClass().getComponentType(), n);
        int[] fStride = new int[rank];
        fStride[0] = 1;
        for (int d = 1; d < rank; d++) {
            fStride[d] = fStride[d - 1] * shape[d - 1];
        }
        int[] idx = new int[rank];
        int f = 0; // Fortran offset of the C-order element c
        for (int c = 0; c < n; c++) {
            System.arraycopy(src, f, dst, c, 1);
            // advance the C-order multi-index (last axis fastest), keeping f in step
            for (int d = rank - 1; d >= 0; d--) {
                idx[d]++;
                f += fStride[d];
                if (idx[d] < shape[d]) {
                    break;
                }
                f -= fStride[d] * shape[d];
                idx[d] = 0;
            }
        }
        return dst;
    }

    /** The byte length of an array's data, refusing negative dimensions and sizes no Java array can hold. */
    private static long dataBytes(int[] shape, NdArray.DType dtype, String source) {
        long bytes = dtype.itemSize;
        for (int d : shape) {
            if (d < 0) {
                throw new KitException(source + ": negative dimension in .npy shape "
                        + java.util.Arrays.toString(shape));
            }
            bytes = d == 0 ? 0 : bytes <= (Integer.MAX_VALUE - 16) / d ? bytes * d : Long.MAX_VALUE;
        }
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new KitException(source + ": .npy shape " + java.util.Arrays.toString(shape) + " of "
                    + dtype.descr + " is too large for one Java array (at most 2 GB)");
        }
        return bytes;
    }

    private static NdArray.DType parseDescr(String header, String source) {
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw new KitException(source + ": .npy header has no simple 'descr' (structured arrays are not "
                    + "supported): " + header.trim());
        }
        String d = m.group(1);
        if (d.startsWith(">")) {
            throw new KitException(source + ": big-endian array '" + d + "' is not supported; save it as "
                    + "little-endian (arr.astype(arr.dtype.newbyteorder('<')))");
        }
        // '<' little-endian, '|' byte order irrelevant, '=' native (little-endian on every platform the kit runs on)
        if (d.length() == 3 && (d.charAt(0) == '<' || d.charAt(0) == '|' || d.charAt(0) == '=')) {
            String kindSize = d.substring(1);
            for (NdArray.DType t : NdArray.DType.values()) {
                if (t.descr.substring(1).equals(kindSize)) {
                    return t;
                }
            }
        }
        throw new KitException(source + ": unsupported array type '" + d
                + "': expected float32, float64, float16, int64, int32 or bool (<f4, <f8, <f2, <i8, <i4, |b1)");
    }

    private static boolean parseFortran(String header, String source) {
        Matcher m = FORTRAN.matcher(header);
        if (!m.find()) {
            throw new KitException(source + ": .npy header has no 'fortran_order': " + header.trim());
        }
        return m.group(1).equals("True");
    }

    private static int[] parseShape(String header, String source) {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new KitException(source + ": .npy header has no 'shape': " + header.trim());
        }
        String body = m.group(1).trim();
        if (body.isEmpty()) {
            return new int[0];
        }
        String[] parts = body.split(",");
        int count = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            String s = p.trim().replace("L", "");
            if (s.isEmpty()) {
                continue;
            }
            try {
                shape[count++] = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new KitException(source + ": bad 'shape' in .npy header: (" + body + ")");
            }
        }
        return java.util.Arrays.copyOf(shape, count);
    }
}
