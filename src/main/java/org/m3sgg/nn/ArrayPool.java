package org.m3sgg.nn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reuses the off-heap buffers of a SameDiff session from one run to the next.
 *
 * <p>Why: a paper-width STTran training step allocates about 2.6 GB of op outputs through its session, and the
 * session hands back (to its own cache) less than 0.1 GB of it; the rest waits for the garbage collector. libnd4j
 * zero-fills every new buffer, so each step touched ~600 000 fresh pages: the kernel's page-fault and clearing work
 * was about as much CPU as the arithmetic (docs/PERFORMANCE.md).
 *
 * <p>How: the pool is the session's memory manager ({@link #attach}). Arrays it hands out for a run are either
 * <em>internal</em> (the session's intermediate values) or <em>detached</em> (the outputs and gradients returned to
 * the caller). {@link #beginRun} is called before each run: every internal array of the previous run is dead by
 * then (the session never reads a previous run's values) and its buffer goes back to the free list. Detached arrays
 * belong to the caller until it {@link #giveBack gives them back}. Arrays the session releases during a run are free
 * at once.
 *
 * <p>Values are unchanged: a reused buffer is zero-filled before it is handed out, exactly as a fresh libnd4j buffer
 * is, so results are bit-identical with and without the pool. A request is served by the smallest free buffer of
 * the same data type that holds it and is at most {@link #SLACK} larger (the array is then a view of the first
 * elements); otherwise a buffer of exactly the requested size is allocated. Small arrays (under
 * {@link #MIN_BYTES} by default) are left to the allocator, which reuses them cheaply. Free buffers not used for
 * {@link #IDLE_RUNS} runs are closed, and the free list never holds more than {@code maxFreeBytes}.
 *
 * <p>Not thread-safe: one pool per session, and a session is per thread.
 */
public final class ArrayPool extends AbstractMemoryMgr {

    /** Default: below this many bytes an array is allocated and freed as usual. */
    public static final long MIN_BYTES = 64 * 1024;
    /** A free buffer serves a request of at least {@code 1 / SLACK} of its size. */
    public static final double SLACK = 1.25;
    /** Free buffers unused for this many runs are closed. */
    public static final int IDLE_RUNS = 8;

    private static final class Slot {
        final INDArray backing;
        long lastRun;

        Slot(INDArray backing) {
            this.backing = backing;
        }

        DataBuffer buffer() {
            return backing.data();
        }

        long bytes() {
            return backing.length() * backing.dataType().width();
        }
    }

    private final long maxFreeBytes;
    private final long minBytes;
    private final boolean poolDetached;
    private final Map<DataType, TreeMap<Long, ArrayDeque<Slot>>> free = new EnumMap<>(DataType.class);
    /** Buffers handed out for the current run (internal) and to the caller (detached), by buffer identity. */
    private final Map<DataBuffer, Slot> internal = new IdentityHashMap<>();
    private final Map<DataBuffer, Slot> detached = new IdentityHashMap<>();
    private long freeBytes;
    private long run;
    private long reused;
    private long allocated;

    /** Pools arrays of at least {@link #MIN_BYTES}, detached ones included; keeps at most {@code maxFreeBytes} free. */
    public ArrayPool(long maxFreeBytes) {
        this(maxFreeBytes, MIN_BYTES, true);
    }

    /**
     * @param minBytes     smaller arrays are not pooled (0: every non-empty array is)
     * @param poolDetached whether arrays returned to the caller come from the pool too; only worth it when the
     *                     caller {@linkplain #giveBack gives them back} (a training step's gradients), otherwise
     *                     they are allocated as usual and left to the caller
     */
    public ArrayPool(long maxFreeBytes, long minBytes, boolean poolDetached) {
        this.maxFreeBytes = maxFreeBytes;
        this.minBytes = minBytes;
        this.poolDetached = poolDetached;
    }

    /**
     * Makes this pool the memory manager of {@code graph}'s session on the calling thread (SameDiff keeps one
     * session per thread); creates the session if SameDiff has not yet, so that even the first run uses the pool.
     * The session's previous manager is closed.
     */
    public void attach(SameDiff graph) {
        InferenceSession session = graph.getSessions().computeIfAbsent(Thread.currentThread().getId(),
                k -> new InferenceSession(graph));
        if (session.getMmgr() != this) {
            SessionMemMgr previous = session.getMmgr();
            session.setMmgr(this);
            if (previous != null) {
                previous.close();
            }
        }
    }

    /** Starts a run: the previous run's internal arrays are free from now on. */
    public void beginRun() {
        run++;
        for (Slot s : internal.values()) {
            recycle(s);
        }
        internal.clear();
        evict();
    }

    /**
     * Takes back arrays the caller got from a run (outputs, gradients) and no longer uses; arrays that did not
     * come from this pool are closed, as before the pool existed.
     */
    public void giveBack(Collection<INDArray> arrays) {
        for (INDArray a : arrays) {
            if (a == null) {
                continue;
            }
            Slot s = a.isEmpty() ? null : detached.remove(a.data());
            if (s != null) {
                recycle(s);
            } else if (a.closeable()) {
                a.close();
            }
        }
    }

    @Override
    public INDArray allocate(boolean detach, DataType dataType, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n == 0 || n * dataType.width() < minBytes || (detach && !poolDetached)) {
            return Nd4j.createUninitializedDetached(dataType, shape);
        }
        Slot s = take(dataType, n);
        if (s == null) {
            s = new Slot(Nd4j.createUninitializedDetached(dataType, n));
            allocated++;
        } else {
            reused++;
        }
        s.lastRun = run;
        (detach ? detached : internal).put(s.buffer(), s);
        return Nd4j.create(s.buffer(), shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }

    @Override
    public INDArray allocate(boolean detach, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty() || descriptor.getOrder() != 'c') {
            INDArray a = Nd4j.create(descriptor);
            return detach ? a.detach() : a;
        }
        return allocate(detach, descriptor.dataType(), descriptor.getShape());
    }

    @Override
    public void release(INDArray array) {
        if (array == null || array.isEmpty()) {
            return;
        }
        Slot s = internal.remove(array.data());
        if (s == null) {
            s = detached.remove(array.data());
        }
        if (s != null) {
            recycle(s);
        } else if (array.closeable()) {
            array.close();
        }
    }

    /** Closes every buffer the pool holds, free or handed out; arrays handed out must not be used afterwards. */
    @Override
    public void close() {
        List<Slot> all = new ArrayList<>(internal.values());
        all.addAll(detached.values());
        for (TreeMap<Long, ArrayDeque<Slot>> byLength : free.values()) {
            for (ArrayDeque<Slot> q : byLength.values()) {
                all.addAll(q);
            }
        }
        for (Slot s : all) {
            if (!s.buffer().wasClosed()) {
                s.backing.close();
            }
        }
        internal.clear();
        detached.clear();
        free.clear();
        freeBytes = 0;
    }

    /** Bytes held in the free list. */
    public long freeBytes() {
        return freeBytes;
    }

    /** Requests served from the free list and requests that allocated, since the pool was made. */
    public long reused() {
        return reused;
    }

    public long allocated() {
        return allocated;
    }

    private Slot take(DataType dataType, long n) {
        TreeMap<Long, ArrayDeque<Slot>> byLength = free.get(dataType);
        if (byLength == null) {
            return null;
        }
        Map.Entry<Long, ArrayDeque<Slot>> e = byLength.ceilingEntry(n);
        while (e != null && e.getKey() <= n * SLACK) {
            ArrayDeque<Slot> q = e.getValue();
            Slot s = q.pollLast();
            if (q.isEmpty()) {
                byLength.remove(e.getKey());
            }
            if (s != null) {
                freeBytes -= s.bytes();
                if (!s.buffer().wasClosed()) {
                    // as libnd4j does for a new buffer: ops may rely on zero-initialised outputs
                    Nd4j.getMemoryManager().memset(s.backing);
                    return s;
                }
            }
            e = byLength.ceilingEntry(n);
        }
        return null;
    }

    private void recycle(Slot s) {
        if (s.buffer().wasClosed()) {
            return;
        }
        free.computeIfAbsent(s.backing.dataType(), t -> new TreeMap<>())
                .computeIfAbsent(s.backing.length(), k -> new ArrayDeque<>()).addLast(s);
        freeBytes += s.bytes();
    }

    /** Closes free buffers idle for {@link #IDLE_RUNS} runs, then the least recently used beyond the byte cap. */
    private void evict() {
        List<Slot> candidates = new ArrayList<>();
        for (TreeMap<Long, ArrayDeque<Slot>> byLength : free.values()) {
            for (ArrayDeque<Slot> q : byLength.values()) {
                candidates.addAll(q);
            }
        }
        candidates.sort((a, b) -> Long.compare(a.lastRun, b.lastRun));
        for (Slot s : candidates) {
            if (run - s.lastRun <= IDLE_RUNS && freeBytes <= maxFreeBytes) {
                break;
            }
            TreeMap<Long, ArrayDeque<Slot>> byLength = free.get(s.backing.dataType());
            ArrayDeque<Slot> q = byLength.get(s.backing.length());
            q.remove(s);
            if (q.isEmpty()) {
                byLength.remove(s.backing.length());
            }
            freeBytes -= s.bytes();
            s.backing.close();
        }
        free.values().removeIf(Map::isEmpty);
    }
}
