package org.m3sgg.features;

import org.m3sgg.api.AtomicFiles;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.api.Messages;

/**
 * A feature folder: {@code meta.json} plus one {@code <VID>.mp4.npz} per video (format in
 * {@code datasets/README.md} and {@link VideoFeatures}). Features are kept apart from the annotations, so any
 * detector that writes this format can feed the models.
 *
 * <p>Videos are read on first use and the most recently used ones are kept (a small LRU cache), since a
 * training epoch visits each video once and its frames together. Thread-safe.
 */
public final class FeatureSource {

    public static final String META_FILE = "meta.json";
    public static final int DEFAULT_CACHE = 16;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    private final Path dir;
    private final FeatureMeta meta;
    private final Map<String, VideoFeatures> cache;

    private FeatureSource(Path dir, FeatureMeta meta, int cacheSize) {
        this.dir = dir;
        this.meta = meta;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VideoFeatures> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** Opens a feature folder (reads its {@code meta.json}); video files are read lazily. */
    public static FeatureSource open(Path dir) {
        return open(dir, DEFAULT_CACHE);
    }

    public static FeatureSource open(Path dir, int cacheSize) {
        if (!Files.isDirectory(dir)) {
            throw new KitException("feature folder not found: " + dir);
        }
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cache size must be at least 1, got " + cacheSize);
        }
        return new FeatureSource(dir, readMeta(dir.resolve(META_FILE)), cacheSize);
    }

    public static FeatureMeta readMeta(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KitException("feature metadata not found: " + file + " (every feature folder needs one)");
        }
        try {
            return JSON.readValue(file.toFile(), FeatureMeta.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new KitException(file + ": bad feature metadata: " + Messages.firstLine(cause.getMessage()), e);
        }
    }

    /** Writes {@code meta.json} atomically, with '\n' line ends whatever the platform. */
    public static void writeMeta(Path dir, FeatureMeta meta) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            String text = JSON.writer(pp).writeValueAsString(meta) + "\n";
            AtomicFiles.write(dir.resolve(META_FILE), os -> os.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new KitException("cannot write " + dir.resolve(META_FILE) + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public FeatureMeta meta() {
        return meta;
    }

    /** The file of a video: {@code <dir>/<VID>.mp4.npz} (the id includes {@code .mp4}). */
    public Path fileOf(String videoId) {
        return dir.resolve(videoId + ".npz");
    }

    public boolean hasVideo(String videoId) {
        return Files.isRegularFile(fileOf(videoId));
    }

    /** The features of a video, read on first use. */
    public synchronized VideoFeatures video(String videoId) {
        VideoFeatures v = cache.get(videoId);
        if (v == null) {
            Path file = fileOf(videoId);
            if (!Files.isRegularFile(file)) {
                throw new KitException("no feature file for video " + videoId + ": expected " + file);
            }
            v = VideoFeatures.read(file, videoId, meta);
            cache.put(videoId, v);
        }
        return v;
    }


}
