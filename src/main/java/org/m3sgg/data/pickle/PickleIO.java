package org.m3sgg.data.pickle;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import org.m3sgg.api.KitException;

/**
 * Reads Python pickles (protocols 2-5, written by Python 2 or 3) that hold numpy arrays, as Action Genome's
 * annotation files do. Python values map to Java as Pyrolite maps them (dict -> {@code Map}, list ->
 * {@code List}, tuple -> {@code Object[]}, str -> {@code String}, int -> {@code Integer}/{@code Long}, float ->
 * {@code Double}, None -> {@code null}); numpy arrays become {@link NumpyArray} and numpy scalars Java numbers.
 */
public final class PickleIO {

    private PickleIO() {}

    /** Arrays created by {@code _reconstruct} and not yet completed by BUILD, in the current thread's read. */
    private static final ThreadLocal<int[]> PENDING = ThreadLocal.withInitial(() -> new int[1]);

    static {
        for (String core : List.of("numpy.core", "numpy._core")) {
            Unpickler.registerConstructor(core + ".multiarray", "_reconstruct", args -> {
                PENDING.get()[0]++;
                return new PendingArray();
            });
            Unpickler.registerConstructor(core + ".multiarray", "scalar", PickleIO::scalar);
            Unpickler.registerConstructor(core + ".numeric", "_frombuffer", PickleIO::fromBuffer);
        }
        Unpickler.registerConstructor("numpy", "dtype", DType::create);
    }

    /** Reads one pickled object from a file; every failure is a {@link KitException} naming the file. */
    public static Object read(Path file) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // a FIFO or a device would block or never end
            throw new KitException(file + ": not a regular file (expected a pickle)");
        }
        try (InputStream in = new FastInput(Files.newInputStream(file), 1 << 16, Files.size(file))) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new KitException("missing file " + file);
        } catch (IOException e) {
            throw new KitException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads one pickled object from a stream; {@code name} is used in error messages. */
    public static Object read(InputStream in, String name) {
        try {
            FastInput fast = in instanceof FastInput f ? f : new FastInput(in, 1 << 16);
            PENDING.get()[0] = 0;
            NumpyUnpickler unpickler = new NumpyUnpickler(fast);
            Object raw = unpickler.load(fast);
            if (unpickler.mayBeDeepOrShared()) {
                Shape.check(raw, fast.consumed());
            }
            // arrays are resolved as BUILD completes them; a walk is only needed if one never got its state
            return PENDING.get()[0] == 0 ? raw : resolve(raw);
        } catch (EOFException e) {
            String m = e.getMessage();
            throw new KitException("unreadable pickle " + name + ": the file is truncated ("
                    + (m != null && m.contains("declares") ? m.replace("expected more bytes: ", "")
                    : "ended inside the data") + ")", e);
        } catch (KitException e) {
            throw e;
        } catch (Shape.Refused e) {
            throw new KitException("unreadable pickle " + name + ": " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new KitException("unreadable pickle " + name + ": values nested too deeply", e);
        } catch (IOException | RuntimeException e) {
            // a corrupt file can make the opcode machine fail anywhere (empty stack, wrong type on the stack...)
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (why.contains("end of") || why.contains("EOF") || why.contains("expected more bytes") || e instanceof IndexOutOfBoundsException) {
                why = "the file is truncated or corrupt (" + why + ")";
            }
            throw new KitException("unreadable pickle " + name + ": " + why, e);
        }
    }

    /** Replaces the mutable array placeholders left by BUILD with immutable {@link NumpyArray}s. */
    @SuppressWarnings("unchecked")
    private static Object resolve(Object o) {
        if (o instanceof PendingArray p) {
            return p.toArray();
        }
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<Object, Object> e : ((Map<Object, Object>) m).entrySet()) {
                Object v = e.getValue();
                if (needsResolve(v)) {
                    e.setValue(resolve(v));
                }
            }
        } else if (o instanceof List<?> l) {
            List<Object> list = (List<Object>) l;
            for (int i = 0; i < list.size(); i++) {
                if (needsResolve(list.get(i))) {
                    list.set(i, resolve(list.get(i)));
                }
            }
        } else if (o instanceof Object[] a) {
            for (int i = 0; i < a.length; i++) {
                if (needsResolve(a[i])) {
                    a[i] = resolve(a[i]);
                }
            }
        }
        return o;
    }

    private static boolean needsResolve(Object v) {
        return v instanceof PendingArray || v instanceof Map || v instanceof List || v instanceof Object[];
    }

    private static Object scalar(Object[] args) {
        DType dt = (DType) args[0];
        byte[] raw = bytes(args[1]);
        double v = new NumpyArray(dt.str(), new int[0], false, raw).toDoubles()[0];
        return dt.kind == 'f' ? (Object) v : (Object) (long) v;
    }

    private static Object fromBuffer(Object[] args) {
        byte[] raw = bytes(args[0]);
        DType dt = (DType) args[1];
        int[] shape = ints((Object[]) args[2]);
        boolean fortran = args.length > 3 && "F".equals(args[3]);
        return new NumpyArray(dt.str(), shape, fortran, raw);
    }

    static byte[] bytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        if (o instanceof String s) {
            return s.getBytes(StandardCharsets.ISO_8859_1); // Python 2 str / latin-1 encoded raw data
        }
        throw new IllegalStateException("expected raw bytes for numpy data, got "
                + (o == null ? "None" : o.getClass().getSimpleName()));
    }

    static int[] ints(Object[] tuple) {
        int[] out = new int[tuple.length];
        for (int i = 0; i < tuple.length; i++) {
            out[i] = ((Number) tuple[i]).intValue();
        }
        return out;
    }

    /**
     * Pyrolite's unpickler with the opcodes that dominate Action Genome's files done here: strings, small ints,
     * floats and the memo read straight from {@link FastInput} (the memo as an array, not a boxed-key map), dicts
     * kept in file order, and BUILD applied to numpy placeholders without reflection, swapping in the finished
     * {@link NumpyArray} on the stack and in the memo so no second pass over the result is needed.
     */
    private static final class NumpyUnpickler extends Unpickler {
        private final FastInput in;
        private Object[] memoArray = new Object[1024];
        private int memoCount;

        /** Set when a list, dict or tuple is fetched from the memo (a value shared, or a cycle). */
        private boolean sharedContainer;
        /** The deepest the opcode stack has been (a bound on nesting built without the memo). */
        private int maxStack;

        NumpyUnpickler(FastInput in) {
            this.in = in;
        }

        boolean mayBeDeepOrShared() {
            return sharedContainer || maxStack > Shape.MAX_DEPTH;
        }

        @Override
        @SuppressWarnings("unchecked")
        protected Object dispatch(short key) throws PickleException, IOException {
            if (stack.size() > maxStack) {
                maxStack = stack.size();
            }
            switch (key) {
                // opcodes Pyrolite reads with a length prefix it trusts: the length is checked against the file
                // first, then Pyrolite reads the value
                case Opcodes.BINSTRING, Opcodes.LONG4 -> {
                    in.checkLength(in.peekLength(4) + 4);
                    return super.dispatch(key);
                }
                case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> {
                    long n = in.peekLength(8);
                    in.checkLength(n < 0 || n > Integer.MAX_VALUE ? -1 : n + 8);
                    return super.dispatch(key);
                }
                case Opcodes.BINUNICODE -> stack.add(in.readString(in.readIntLE()));
                case Opcodes.SHORT_BINUNICODE -> stack.add(in.readString(in.readUnsignedByte()));
                case Opcodes.BININT1 -> stack.add(in.readUnsignedByte());
                case Opcodes.BININT -> stack.add(in.readIntLE());
                case Opcodes.BINFLOAT -> stack.add(Double.longBitsToDouble(in.readLongBE()));
                case Opcodes.SHORT_BINBYTES -> stack.add(in.readBytes(in.readUnsignedByte()));
                case Opcodes.BINBYTES -> stack.add(in.readBytes(in.readIntLE()));
                case Opcodes.BINPUT -> memoPut(in.readUnsignedByte());
                case Opcodes.LONG_BINPUT -> memoPut(in.readIntLE());
                case Opcodes.MEMOIZE -> memoPut(memoCount);
                case Opcodes.PUT -> memoPut(Integer.parseInt(textLine()));
                case Opcodes.BINGET -> stack.add(memoGet(in.readUnsignedByte()));
                case Opcodes.LONG_BINGET -> stack.add(memoGet(in.readIntLE()));
                case Opcodes.GET -> stack.add(memoGet(Integer.parseInt(textLine())));
                // Python dicts keep insertion order and Action Genome's frame order is the pickle's dict order,
                // so dicts are LinkedHashMaps filled in file order (Pyrolite would use a HashMap).
                case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
                case Opcodes.SETITEMS, Opcodes.DICT -> {
                    List<Object> items = stack.pop_all_since_marker(); // in file order: k0, v0, k1, v1...
                    Map<Object, Object> map = key == Opcodes.DICT ? new LinkedHashMap<>()
                            : (Map<Object, Object>) stack.peek();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        map.put(items.get(i), items.get(i + 1));
                    }
                    if (key == Opcodes.DICT) {
                        stack.add(map);
                    }
                }
                case Opcodes.BUILD -> {
                    Object state = stack.pop();
                    Object target = stack.peek();
                    if (target instanceof PendingArray p) {
                        p.setState((Object[]) state);
                        NumpyArray a = p.toArray();
                        stack.pop();
                        stack.add(a);
                        for (int i = 0; i < p.memoSlots; i++) {
                            memoArray[p.memoSlot[i]] = a;
                        }
                        PENDING.get()[0]--;
                    } else if (target instanceof DType d) {
                        d.setState((Object[]) state);
                    } else {
                        stack.add(state);
                        return super.dispatch(key);
                    }
                }
                default -> {
                    return super.dispatch(key);
                }
            }
            return NO_RETURN_VALUE;
        }

        private String textLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("expected more bytes: the pickle ends inside a value");
                }
                sb.append((char) c);
            }
            return sb.toString().trim();
        }

        private void memoPut(int index) throws IOException {
            if (index < 0) {
                throw new IllegalStateException("negative memo index " + index + " (corrupt pickle)");
            }
            if (index >= memoArray.length) {
                // a pickler numbers memo slots 0, 1, 2... as it writes them: an index beyond the bytes read so far
                // is forged, and growing the memo to it would exhaust the heap
                if (index > in.consumed() + 1024) {
                    throw new IOException("memo index " + index + " after " + in.consumed() + " bytes (corrupt file)");
                }
                memoArray = java.util.Arrays.copyOf(memoArray, Math.max(index + 1, memoArray.length * 2));
            }
            Object top = stack.peek();
            if (memoArray[index] == null) {
                memoCount++;
            }
            memoArray[index] = top;
            if (top instanceof PendingArray p) {
                p.rememberMemoSlot(index); // replaced by the finished array at BUILD
            }
        }

        private Object memoGet(int index) {
            if (index < 0 || index >= memoArray.length || memoArray[index] == null) {
                throw new IllegalStateException("memo entry " + index + " is read before it is written "
                        + "(corrupt pickle)");
            }
            Object o = memoArray[index];
            if (o instanceof List || o instanceof Map || o instanceof Object[] || o instanceof java.util.Set) {
                sharedContainer = true;
            }
            return o;
        }
    }

    /** {@code numpy.dtype}: built from ('f4', False, True), then given its byte order by BUILD. */
    static final class DType {
        final char kind;
        final int size;
        char order = '<';

        private DType(char kind, int size) {
            this.kind = kind;
            this.size = size;
        }

        static DType create(Object[] args) {
            String spec = String.valueOf(args[0]);
            if (spec.length() < 2 || "fiub".indexOf(spec.charAt(0)) < 0) {
                throw new IllegalStateException("unsupported numpy dtype '" + spec
                        + "' (expected float, integer or bool arrays)");
            }
            return new DType(spec.charAt(0), Integer.parseInt(spec.substring(1)));
        }

        void setState(Object[] state) {
            if (state.length > 1 && state[1] instanceof String s && !s.isEmpty()) {
                order = s.charAt(0);
            }
        }

        String str() {
            char o = order == '|' || order == '=' ? '<' : order;
            return (kind == 'b' ? '|' : o) + "" + kind + size;
        }
    }

    /** {@code numpy.core.multiarray._reconstruct(...)}, filled by BUILD with (version, shape, dtype, F, data). */
    static final class PendingArray {
        private NumpyArray array;
        private int[] memoSlot = new int[1];
        private int memoSlots;

        void rememberMemoSlot(int index) {
            if (memoSlots == memoSlot.length) {
                memoSlot = java.util.Arrays.copyOf(memoSlot, memoSlots * 2);
            }
            memoSlot[memoSlots++] = index;
        }

        void setState(Object[] s) {
            // version 1 states have 5 fields; the version-less form of old pickles has 4
            int o = s.length == 5 ? 1 : 0;
            int[] shape = ints((Object[]) s[o]);
            DType dt = (DType) s[o + 1];
            boolean fortran = Boolean.TRUE.equals(s[o + 2]);
            Object raw = s[o + 3];
            if (raw instanceof List<?>) {
                throw new IllegalStateException("numpy object arrays are not supported (dtype " + dt.str() + ")");
            }
            array = new NumpyArray(dt.str(), shape, fortran, bytes(raw));
        }

        NumpyArray toArray() {
            if (array == null) {
                throw new IllegalStateException("numpy array without state (truncated pickle?)");
            }
            return array;
        }
    }
}
