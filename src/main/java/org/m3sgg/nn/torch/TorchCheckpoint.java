package org.m3sgg.nn.torch;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;
import org.m3sgg.api.KitException;

/**
 * Reads {@code torch.save} files without Python, in both serialisations PyTorch has used:
 * <ul>
 *   <li>zip (default since PyTorch 1.6): {@code <folder>/data.pkl} is a protocol-2 pickle whose storages are
 *       persistent ids {@code ('storage', type, key, location, numel)}; each storage's raw bytes are the entry
 *       {@code <folder>/data/<key>};</li>
 *   <li>legacy ({@code _use_new_zipfile_serialization=False}, and every file before 1.6): four pickles in a row
 *       (magic number, protocol version, system info, the object), then a pickled list of storage keys, then
 *       for each of those keys an 8-byte little-endian element count followed by the raw elements. Persistent
 *       ids there carry a sixth field, a view {@code (view_key, offset, size)} or None.</li>
 * </ul>
 * Tensors are float32, float64 or int64 storages with any size/stride/offset; anything else is a
 * {@link KitException} naming the file and the storage.
 */
public final class TorchCheckpoint {

    /** Magic number that opens a legacy torch.save stream. */
    static final java.math.BigInteger LEGACY_MAGIC = new java.math.BigInteger("119547037146038801333356");

    private TorchCheckpoint() {}

    /** The whole pickled object: maps, lists, numbers, strings and {@link TorchTensor}s. */
    public static Object load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KitException(file + ": checkpoint file not found");
        }
        try {
            return isZip(file) ? loadZip(file) : loadLegacy(file);
        } catch (PickleException e) {
            throw new KitException(file + ": cannot read PyTorch checkpoint: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new KitException(file + ": cannot read PyTorch checkpoint: " + e, e);
        } catch (KitException e) {
            throw e;
        } catch (RuntimeException e) {
            // the pickle reader fails in its own ways on bytes that are no pickle at all (a text file, an array)
            throw new KitException(file + ": not a PyTorch checkpoint (neither a zip archive with data.pkl nor a "
                    + "legacy torch.save file; the pickle reader stopped with " + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * The tensors of a state dict: either the file's top-level map (a bare {@code state_dict()}) or its
     * {@code 'state_dict'} entry (the STTran checkpoint layout). Non-tensor values are an error naming the key.
     */
    public static Map<String, TorchTensor> loadStateDict(Path file) {
        Object root = load(file);
        Map<Object, Object> top = TorchUnpickler.asMap(root);
        if (top == null) {
            throw new KitException(file + ": expected a dict at the top of the checkpoint, found "
                    + (root == null ? "None" : root.getClass().getSimpleName()));
        }
        Map<Object, Object> sd = top;
        if (top.containsKey("state_dict")) {
            sd = TorchUnpickler.asMap(top.get("state_dict"));
            if (sd == null) {
                throw new KitException(file + ": key 'state_dict' is not a dict");
            }
        }
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        for (Map.Entry<Object, Object> e : sd.entrySet()) {
            if (!(e.getValue() instanceof TorchTensor t)) {
                throw new KitException(file + ": key '" + e.getKey() + "' is not a tensor ("
                        + (e.getValue() == null ? "None" : e.getValue().getClass().getSimpleName()) + ")");
            }
            out.put(String.valueOf(e.getKey()), t);
        }
        return out;
    }

    private static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        }
    }

    private static Object loadZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pkl = zip.stream().filter(e -> e.getName().endsWith("/data.pkl") || e.getName().equals("data.pkl"))
                    .findFirst().orElseThrow(() -> new KitException(file + ": zip checkpoint without data.pkl"));
            String prefix = pkl.getName().substring(0, pkl.getName().length() - "data.pkl".length());
            TorchUnpickler.StorageResolver resolver = (dtype, key, numel, view) -> {
                ZipEntry entry = zip.getEntry(prefix + "data/" + key);
                if (entry == null) {
                    throw new PickleException("storage " + key + " missing (no entry " + prefix + "data/" + key + ")");
                }
                try (InputStream in = zip.getInputStream(entry)) {
                    byte[] bytes = in.readAllBytes();
                    if (bytes.length < numel * dtype.bytes) {
                        throw new PickleException("storage " + key + " holds " + bytes.length + " bytes, expected "
                                + numel + " x " + dtype.bytes);
                    }
                    return ByteBuffer.wrap(bytes, 0, Math.toIntExact(numel * dtype.bytes)).slice()
                            .order(ByteOrder.LITTLE_ENDIAN);
                } catch (IOException e) {
                    throw new PickleException("storage " + key + ": " + e);
                }
            };
            TorchUnpickler u = new TorchUnpickler(file.toString(), resolver);
            try (InputStream in = zip.getInputStream(pkl)) {
                return u.load(in);
            }
        }
    }

    private static Object loadLegacy(Path file) throws IOException {
        // storages are allocated when the pickle names them and filled once the raw section is reached
        Map<String, ByteBuffer> roots = new HashMap<>();
        Map<String, TorchDType> rootTypes = new HashMap<>();
        TorchUnpickler.StorageResolver resolver = (dtype, key, numel, view) -> {
            ByteBuffer root = roots.computeIfAbsent(key, k -> ByteBuffer.allocate(Math.toIntExact(numel * dtype.bytes))
                    .order(ByteOrder.LITTLE_ENDIAN));
            rootTypes.putIfAbsent(key, dtype);
            if (rootTypes.get(key) != dtype) {
                throw new PickleException("storage " + key + " is named with two element types");
            }
            if (view == null) {
                return root;
            }
            Object[] v = (Object[]) view;
            long off = ((Number) v[1]).longValue();
            long size = ((Number) v[2]).longValue();
            return root.duplicate().position(Math.toIntExact(off * dtype.bytes))
                    .limit(Math.toIntExact((off + size) * dtype.bytes)).slice().order(ByteOrder.LITTLE_ENDIAN);
        };
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Unpickler plain = new Unpickler();
            Object magic;
            try {
                magic = plain.load(raw);
            } catch (RuntimeException e) {
                magic = null; // not even a pickled number first: reported as a bad magic number below
            }
            if (!(magic instanceof Number n) || !LEGACY_MAGIC.equals(new java.math.BigInteger(n.toString()))) {
                throw new KitException(file + ": neither a zip nor a legacy torch.save file (bad magic number)");
            }
            Object protocol = plain.load(raw);
            if (!(protocol instanceof Number p) || p.intValue() != 1001) {
                throw new KitException(file + ": unsupported legacy protocol version " + protocol + " (expected 1001)");
            }
            Object sysInfo = plain.load(raw);
            Map<Object, Object> info = TorchUnpickler.asMap(sysInfo);
            if (info != null && Boolean.FALSE.equals(info.get("little_endian"))) {
                throw new KitException(file + ": big-endian legacy checkpoints are not supported");
            }
            Object result = new TorchUnpickler(file.toString(), resolver).load(raw);
            Object keysObj = plain.load(raw);
            List<?> keys = keysObj instanceof List<?> l ? l
                    : keysObj instanceof Object[] a ? List.of(a) : null;
            if (keys == null) {
                throw new KitException(file + ": expected the list of storage keys after the object");
            }
            DataInputStream data = new DataInputStream(raw);
            byte[] count = new byte[8];
            for (Object k : keys) {
                String key = String.valueOf(k);
                ByteBuffer root = roots.get(key);
                if (root == null) {
                    throw new KitException(file + ": storage " + key + " is listed but never used by the pickle");
                }
                try {
                    data.readFully(count);
                } catch (EOFException e) {
                    throw new KitException(file + ": file ends before storage " + key);
                }
                long numel = ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).getLong();
                long bytes = numel * rootTypes.get(key).bytes;
                if (bytes != root.capacity()) {
                    throw new KitException(file + ": storage " + key + " has " + numel + " elements, the pickle says "
                            + root.capacity() / rootTypes.get(key).bytes);
                }
                byte[] buf = new byte[Math.toIntExact(bytes)];
                try {
                    data.readFully(buf);
                } catch (EOFException e) {
                    throw new KitException(file + ": file ends inside storage " + key);
                }
                root.duplicate().clear().put(buf);
            }
            if (roots.size() != keys.size()) {
                throw new KitException(file + ": the pickle names " + roots.size() + " storages, the file holds "
                        + keys.size());
            }
            return result;
        }
    }
}
