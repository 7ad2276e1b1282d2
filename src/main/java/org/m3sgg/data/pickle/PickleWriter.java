package org.m3sgg.data.pickle;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.AtomicFiles;

/**
 * Writes pickles that Python 3 (with numpy, 1.x or 2.x) loads as Action Genome's released files load: protocol 2
 * opcodes, numpy arrays in the {@code numpy.core.multiarray._reconstruct} form numpy itself writes at protocol 2,
 * bytes as {@code _codecs.encode(str, 'latin1')}.
 *
 * <p>Accepted values: {@code Map} (dict, insertion order kept), {@code List} (list), {@code Object[]} (tuple),
 * {@code String}, {@code Integer}/{@code Long}, {@code Float}/{@code Double}, {@code Boolean}, {@code null}
 * (None) and {@link NumpyArray}. Nothing is memoised, so a value is never shared between two places.
 */
public final class PickleWriter {

    private static final int PROTO = 0x80, STOP = '.', NONE = 'N', NEWTRUE = 0x88, NEWFALSE = 0x89;
    private static final int BININT = 'J', BININT1 = 'K', LONG1 = 0x8a, BINFLOAT = 'G';
    private static final int BINUNICODE = 'X', EMPTY_DICT = '}', EMPTY_LIST = ']', EMPTY_TUPLE = ')';
    private static final int MARK = '(', SETITEMS = 'u', APPENDS = 'e', TUPLE = 't', TUPLE1 = 0x85;
    private static final int TUPLE2 = 0x86, TUPLE3 = 0x87, GLOBAL = 'c', REDUCE = 'R', BUILD = 'b';
    private static final int BATCH = 1000;

    private final DataOutputStream out;

    private PickleWriter(OutputStream out) {
        this.out = new DataOutputStream(out);
    }

    /** Writes {@code value} to {@code file} atomically (temp file in the same folder, then rename). */
    public static void write(Path file, Object value) {
        AtomicFiles.write(file, out -> write(out, value));
    }

    /** Writes one pickle of {@code value} to a stream (not closed). */
    public static void write(OutputStream os, Object value) throws IOException {
        PickleWriter w = new PickleWriter(os);
        w.out.write(PROTO);
        w.out.write(2);
        w.save(value);
        w.out.write(STOP);
        w.out.flush();
    }

    private void save(Object v) throws IOException {
        if (v == null) {
            out.write(NONE);
        } else if (v instanceof Boolean b) {
            out.write(b ? NEWTRUE : NEWFALSE);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            saveLong(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            out.write(BINFLOAT);
            out.writeDouble(((Number) v).doubleValue()); // big-endian, as the protocol wants
        } else if (v instanceof String s) {
            saveString(s);
        } else if (v instanceof NumpyArray a) {
            saveArray(a);
        } else if (v instanceof Object[] t) {
            saveTuple(t);
        } else if (v instanceof List<?> l) {
            out.write(EMPTY_LIST);
            saveBatched(l.iterator(), APPENDS, false);
        } else if (v instanceof Map<?, ?> m) {
            out.write(EMPTY_DICT);
            saveBatched(m.entrySet().iterator(), SETITEMS, true);
        } else {
            throw new IllegalArgumentException("cannot pickle a " + v.getClass().getName());
        }
    }

    private void saveBatched(Iterator<?> it, int op, boolean entries) throws IOException {
        while (it.hasNext()) {
            out.write(MARK);
            for (int n = 0; n < BATCH && it.hasNext(); n++) {
                Object x = it.next();
                if (entries) {
                    Map.Entry<?, ?> e = (Map.Entry<?, ?>) x;
                    save(e.getKey());
                    save(e.getValue());
                } else {
                    save(x);
                }
            }
            out.write(op);
        }
    }

    private void saveTuple(Object[] t) throws IOException {
        if (t.length == 0) {
            out.write(EMPTY_TUPLE);
            return;
        }
        if (t.length > 3) {
            out.write(MARK);
        }
        for (Object x : t) {
            save(x);
        }
        out.write(switch (t.length) {
            case 1 -> TUPLE1;
            case 2 -> TUPLE2;
            case 3 -> TUPLE3;
            default -> TUPLE;
        });
    }

    private void saveLong(long v) throws IOException {
        if (v >= 0 && v < 256) {
            out.write(BININT1);
            out.write((int) v);
        } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
            out.write(BININT);
            out.writeInt(Integer.reverseBytes((int) v));
        } else {
            out.write(LONG1);
            out.write(8);
            out.writeLong(Long.reverseBytes(v));
        }
    }

    private void saveString(String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(BINUNICODE);
        out.writeInt(Integer.reverseBytes(b.length));
        out.write(b);
    }

    private void global(String module, String name) throws IOException {
        out.write(GLOBAL);
        out.write((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** numpy's own protocol-2 form: _reconstruct(ndarray, (0,), b'b') then BUILD (1, shape, dtype, F, data). */
    private void saveArray(NumpyArray a) throws IOException {
        global("numpy.core.multiarray", "_reconstruct");
        global("numpy", "ndarray");
        saveTuple(new Object[] {0});
        saveBytes(new byte[] {'b'});
        out.write(TUPLE3);
        out.write(REDUCE);

        out.write(MARK);
        saveLong(1);
        Object[] shape = new Object[a.rank()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = a.dim(i);
        }
        saveTuple(shape);
        String dt = a.dtype();
        global("numpy", "dtype");
        saveTuple(new Object[] {dt.substring(1), false, true});
        out.write(REDUCE);
        saveTuple(new Object[] {3, dt.substring(0, 1), null, null, null, -1, -1, 0});
        out.write(BUILD);
        out.write(a.fortranOrder() ? NEWTRUE : NEWFALSE);
        saveBytes(a.data());
        out.write(TUPLE);
        out.write(BUILD);
    }

    /** Python 3 reads bytes written at protocol 2 as _codecs.encode(latin-1 text, 'latin1'). */
    private void saveBytes(byte[] b) throws IOException {
        global("_codecs", "encode");
        saveString(new String(b, StandardCharsets.ISO_8859_1));
        saveString("latin1");
        out.write(TUPLE2);
        out.write(REDUCE);
    }
}
