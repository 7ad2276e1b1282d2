package org.m3sgg.features;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.api.Messages;
import org.m3sgg.detector.LayerFourHead;
import org.m3sgg.nn.torch.TorchDType;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.sgdet.BoxHead;
import org.m3sgg.sgdet.PooledHead;

/**
 * A detections folder: {@code meta.json}, one {@code <VID>.mp4.npz} per video ({@link VideoDetections}) and, when
 * {@code meta.json} says so, {@code head.npz} (the box head). Videos are read on first use and the most recently
 * used ones kept (LRU, like {@link FeatureSource}). Thread-safe.
 *
 * <p>{@code head.npz} holds one of two heads, told apart by its arrays:
 * <ul>
 *   <li>a {@link PooledHead}: {@code top [F, C, 1, 1]} (1x1 convolution, no bias), {@code top_stride} (int, one
 *       value), {@code cls_score_weight [37, F]}, {@code cls_score_bias [37]};</li>
 *   <li>the Faster R-CNN's own head ({@link LayerFourHead}: ResNet layer 4, class scores, box deltas): its
 *       state-dict tensors under their checkpoint names ({@code RCNN_top.0.*}, {@code RCNN_cls_score.*},
 *       {@code RCNN_bbox_pred.*}) as float32 arrays, as {@code bin/m3sgg features extract} writes it.</li>
 * </ul>
 */
public final class DetectionFolder implements DetectionSource {

    public static final String META_FILE = "meta.json";
    public static final String HEAD_FILE = "head.npz";
    public static final int DEFAULT_CACHE = 4;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private final Path dir;
    private final DetectionsMeta meta;
    private final BoxHead head;
    private final Map<String, VideoDetections> cache;

    private DetectionFolder(Path dir, DetectionsMeta meta, BoxHead head, int cacheSize) {
        this.dir = dir;
        this.meta = meta;
        this.head = head;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VideoDetections> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** Opens a detections folder: reads {@code meta.json} and the head; video files are read lazily. */
    public static DetectionFolder open(Path dir) {
        return open(dir, DEFAULT_CACHE);
    }

    public static DetectionFolder open(Path dir, int cacheSize) {
        if (!Files.isDirectory(dir)) {
            throw new KitException("detections folder not found: " + dir);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cache size must be at least 1, got " + cacheSize);
        }
        DetectionsMeta meta = readMeta(dir.resolve(META_FILE));
        Path headFile = dir.resolve(HEAD_FILE);
        BoxHead head = null;
        if (meta.head()) {
            if (!Files.isRegularFile(headFile)) {
                throw new KitException(headFile + ": not found, but " + dir.resolve(META_FILE) + " says \"head\": true");
            }
            head = readHead(headFile, meta);
        }
        return new DetectionFolder(dir, meta, head, cacheSize);
    }

    public static DetectionsMeta readMeta(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KitException("detections metadata not found: " + file + " (every detections folder needs one)");
        }
        try {
            JsonNode tree = JSON.readTree(file.toFile());
            if (!(tree instanceof ObjectNode object)) {
                throw new KitException(file + ": bad detections metadata: expected a JSON object");
            }
            if (!object.has("boxes")) {
                object.put("boxes", DetectionsMeta.CLIPPED); // folders written before the key existed
            }
            return JSON.treeToValue(object, DetectionsMeta.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new KitException(file + ": bad detections metadata: " + Messages.firstLine(cause.getMessage()), e);
        }
    }

    /** Writes {@code meta.json} atomically, with '\n' line ends. */
    public static void writeMeta(Path dir, DetectionsMeta meta) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            String text = JSON.writer(pp).writeValueAsString(meta) + "\n";
            AtomicFiles.write(dir.resolve(META_FILE), os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new KitException("cannot write " + dir.resolve(META_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** Reads {@code head.npz} (either head); its widths must match the meta's F and C. */
    public static BoxHead readHead(Path file, DetectionsMeta meta) {
        Map<String, NdArray> a = Npz.read(file);
        if (!a.containsKey("top_stride") && a.keySet().stream().anyMatch(k -> k.startsWith("RCNN_top."))) {
            return readLayerFourHead(file, a, meta);
        }
        int f = meta.featureDim();
        int c = meta.mapChannels();
        float[] top = floats(a, "top", file, f, c, 1, 1);
        float[] w = floats(a, "cls_score_weight", file, 37, f);
        float[] b = floats(a, "cls_score_bias", file, 37);
        NdArray stride = a.get("top_stride");
        if (stride == null) {
            throw new KitException(file + ": missing array 'top_stride' (has " + a.keySet() + ")");
        }
        if (stride.dtype() != NdArray.DType.I8 && stride.dtype() != NdArray.DType.I4 || stride.size() != 1) {
            throw new KitException(file + ": 'top_stride' is " + stride.dtype().descr + " of shape "
                    + Arrays.toString(stride.shape()) + ": expected one int64");
        }
        long s = stride.longs()[0];
        if (s < 1 || s > PooledHead.POOL) {
            throw new KitException(file + ": 'top_stride' is " + s + ": expected 1.." + PooledHead.POOL);
        }
        for (float[] x : new float[][] {top, w, b}) {
            for (float v : x) {
                if (!Float.isFinite(v)) {
                    throw new KitException(file + ": weights hold " + v + " (NaN or infinite)");
                }
            }
        }
        return new PooledHead(c, f, top, (int) s, w, b);
    }

    private static BoxHead readLayerFourHead(Path file, Map<String, NdArray> a, DetectionsMeta meta) {
        Map<String, TorchTensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : a.entrySet()) {
            NdArray x = e.getValue();
            if (x.dtype() != NdArray.DType.F4) {
                throw new KitException(file + ": '" + e.getKey() + "' is " + x.dtype().descr
                        + ": expected float32 (a layer-4 head holds the detector's float32 tensors)");
            }
            long[] shape = new long[x.rank()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = x.dim(d);
            }
            float[] v = x.floats();
            for (float f : v) {
                if (!Float.isFinite(f)) {
                    throw new KitException(file + ": '" + e.getKey() + "' holds " + f + " (NaN or infinite)");
                }
            }
            tensors.put(e.getKey(), TorchTensor.float32(v, shape));
        }
        LayerFourHead h = LayerFourHead.fromStateDict(tensors, file.toString(), PooledHead.POOL);
        if (h.featureDim() != meta.featureDim() || h.channels() != meta.mapChannels() || h.classes() != 37) {
            throw new KitException(file + ": the head pools " + h.channels() + "-channel maps into " + h.featureDim()
                    + "-d features over " + h.classes() + " classes: expected " + meta.mapChannels() + " channels and "
                    + meta.featureDim() + "-d features (meta.json) and 37 classes");
        }
        return h;
    }

    /**
     * Writes the Faster R-CNN's own head as {@code head.npz} atomically: the float32 tensors of {@code stateDict}
     * under {@link LayerFourHead#PREFIXES} ({@code num_batches_tracked} counters are left out).
     */
    public static void writeLayerFourHead(Path dir, Map<String, TorchTensor> stateDict) {
        Map<String, NdArray> a = new LinkedHashMap<>();
        LayerFourHead.headTensors(stateDict).forEach((k, t) -> {
            if (t.dtype() != TorchDType.INT64) {
                double[] d = t.toDoubles();
                float[] v = new float[d.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) d[i];
                }
                int[] shape = new int[t.shape().length];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = Math.toIntExact(t.shape()[i]);
                }
                a.put(k, NdArray.of(v, shape));
            }
        });
        Npz.write(dir.resolve(HEAD_FILE), a);
    }

    /** Writes {@code head.npz} of a head's weights atomically. */
    public static void writeHead(Path dir, int channels, int featureDim, float[] top, int stride, float[] clsWeight,
            float[] clsBias) {
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("top", NdArray.of(top.clone(), featureDim, channels, 1, 1));
        a.put("top_stride", NdArray.of(new long[] {stride}));
        a.put("cls_score_weight", NdArray.of(clsWeight.clone(), 37, featureDim));
        a.put("cls_score_bias", NdArray.of(clsBias.clone(), 37));
        Npz.write(dir.resolve(HEAD_FILE), a);
    }

    private static float[] floats(Map<String, NdArray> a, String name, Path file, int... shape) {
        NdArray x = a.get(name);
        if (x == null) {
            throw new KitException(file + ": missing array '" + name + "' (has " + a.keySet() + ")");
        }
        if (x.dtype() != NdArray.DType.F4 && x.dtype() != NdArray.DType.F8 || !Arrays.equals(x.shape(), shape)) {
            throw new KitException(file + ": '" + name + "' is " + x.dtype().descr + " of shape "
                    + Arrays.toString(x.shape()) + ": expected float32 " + Arrays.toString(shape));
        }
        return x.floats();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public DetectionsMeta meta() {
        return meta;
    }

    @Override
    public BoxHead head() {
        return head;
    }

    /** The file of a video: {@code <dir>/<VID>.mp4.npz}. */
    public Path fileOf(String videoId) {
        return dir.resolve(videoId + ".npz");
    }

    @Override
    public boolean hasVideo(String videoId) {
        return Files.isRegularFile(fileOf(videoId));
    }

    @Override
    public synchronized VideoDetections video(String videoId) {
        VideoDetections v = cache.get(videoId);
        if (v == null) {
            Path file = fileOf(videoId);
            if (!Files.isRegularFile(file)) {
                throw new KitException("no detections file for video " + videoId + ": expected " + file);
            }
            v = VideoDetections.read(file, videoId, meta);
            cache.put(videoId, v);
        }
        return v;
    }
}
