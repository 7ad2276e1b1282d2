package org.m3sgg.nn.torch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Pyrolite unpickler for {@code torch.save} pickles. Storages arrive as persistent ids; the subclass hands each
 * id to a {@link StorageResolver} supplied by the container format (zip archive or legacy stream).
 *
 * <p>Pyrolite keeps one global constructor table, so the torch classes are registered once under their own
 * module names ({@code torch.*Storage}, {@code torch._utils._rebuild_tensor_v2},
 * {@code torch._utils._rebuild_parameter}); {@code collections.OrderedDict} is registered to a map that accepts
 * the {@code _metadata} state torch attaches to state dicts.
 */
final class TorchUnpickler extends Unpickler {

    /** Resolves a persistent id {@code ('storage', type, key, location, numel[, view])} into raw bytes. */
    interface StorageResolver {
        ByteBuffer storage(TorchDType dtype, String key, long numel, Object viewMetadata);
    }

    /** The pickled storage class; the GLOBAL opcode pushes this object as the storage type. */
    record StorageType(String name, TorchDType dtype) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            throw new PickleException("torch." + name + " cannot be called directly");
        }
    }

    /** A storage after persistent-id resolution. */
    record Storage(TorchDType dtype, String key, ByteBuffer bytes) {}

    /** An OrderedDict whose pickled instance state (torch's {@code _metadata}) is accepted and dropped. */
    public static final class StateDict extends LinkedHashMap<Object, Object> {
        public void __setstate__(HashMap<?, ?> state) {
            // _metadata holds per-module versions; the importer maps keys explicitly and does not need it
        }
    }

    static {
        for (TorchDType t : TorchDType.values()) {
            Unpickler.registerConstructor("torch", t.storageClass, new StorageType(t.storageClass, t));
        }
        for (String unsupported : List.of("HalfStorage", "BFloat16Storage", "IntStorage", "ShortStorage",
                "CharStorage", "ByteStorage", "BoolStorage", "ComplexFloatStorage", "ComplexDoubleStorage",
                "UntypedStorage")) {
            Unpickler.registerConstructor("torch", unsupported, new StorageType(unsupported, null));
        }
        Unpickler.registerConstructor("collections", "OrderedDict", args -> new StateDict());
        Unpickler.registerConstructor("torch._utils", "_rebuild_tensor_v2", TorchUnpickler::rebuildTensor);
        // nn.Parameter objects pickle as _rebuild_parameter(tensor, requires_grad, hooks)
        Unpickler.registerConstructor("torch._utils", "_rebuild_parameter", args -> args[0]);
    }

    private final StorageResolver resolver;
    private final String file;

    TorchUnpickler(String file, StorageResolver resolver) {
        this.file = file;
        this.resolver = resolver;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] t) || t.length < 5 || !"storage".equals(t[0])) {
            throw new PickleException("unsupported persistent id " + describe(pid));
        }
        if (!(t[1] instanceof StorageType type)) {
            throw new PickleException("unknown storage type " + describe(t[1]));
        }
        String key = String.valueOf(t[2]);
        if (type.dtype() == null) {
            throw new PickleException("storage " + key + " has type torch." + type.name()
                    + " (supported: FloatStorage, DoubleStorage, LongStorage)");
        }
        long numel = ((Number) t[4]).longValue();
        Object view = t.length > 5 ? t[5] : null;
        return new Storage(type.dtype(), key, resolver.storage(type.dtype(), key, numel, view));
    }

    /** {@code _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])}. */
    private static Object rebuildTensor(Object[] args) {
        if (args.length < 4 || !(args[0] instanceof Storage s)) {
            throw new PickleException("_rebuild_tensor_v2 expects a storage first, got " + describe(args));
        }
        long offset = ((Number) args[1]).longValue();
        long[] size = longs(args[2]);
        long[] stride = longs(args[3]);
        TorchTensor tensor = new TorchTensor(s.dtype(), size, stride, offset, s.bytes());
        if (tensor.lastElement() >= tensor.storageElements()) {
            throw new PickleException("tensor view (offset " + offset + ", size " + java.util.Arrays.toString(size)
                    + ", stride " + java.util.Arrays.toString(stride) + ") runs past storage " + s.key() + " of "
                    + tensor.storageElements() + " elements");
        }
        return tensor;
    }

    private static long[] longs(Object tuple) {
        Object[] t = tuple instanceof Object[] a ? a : ((List<?>) tuple).toArray();
        long[] out = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            out[i] = ((Number) t[i]).longValue();
        }
        return out;
    }

    static String describe(Object o) {
        if (o instanceof Object[] a) {
            List<String> parts = new ArrayList<>();
            for (Object x : a) {
                parts.add(describe(x));
            }
            return "(" + String.join(", ", parts) + ")";
        }
        return String.valueOf(o);
    }

    String file() {
        return file;
    }

    static Map<Object, Object> asMap(Object o) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = o instanceof Map<?, ?> ? (Map<Object, Object>) o : null;
        return m;
    }
}
