package org.m3sgg.synth;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.api.Messages;
import org.m3sgg.features.DetectionSource;
import org.m3sgg.features.DetectionsMeta;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.sgdet.BoxHead;
import org.m3sgg.synth.WorldGenerator.VideoTruth;
import org.m3sgg.synth.WorldGenerator.World;

/**
 * The synthetic world's detections computed on the fly from its {@code world.json} (config and seed): the world's
 * latent truth is regenerated (its counts must equal those in {@code world.json}, so a world written by another
 * generator version is refused rather than misread) and each video's maps and detections are made on first use
 * ({@link DetectionSynth}), the last few kept. Bit for bit what {@code data generate --detections} writes.
 * Thread-safe.
 */
public final class WorldDetections implements DetectionSource {

    public static final int DEFAULT_CACHE = 4;

    private final World world;
    private final DetectionSynth synth;
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, VideoDetections> cache;

    public WorldDetections(World world, int cacheSize) {
        this.world = world;
        this.synth = new DetectionSynth(world.config(), world.seed());
        for (int v = 0; v < world.videos().size(); v++) {
            index.put(world.videos().get(v).id(), v);
        }
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, VideoDetections> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** The detections of the world whose folder holds {@code world.json}. */
    public static WorldDetections open(Path worldDir) {
        Path file = worldDir.resolve("world.json");
        if (!Files.isRegularFile(file)) {
            throw new KitException(file + ": not found (the synthetic world's detections are made from its config "
                    + "and seed; write the world with 'm3sgg data generate')");
        }
        JsonNode doc;
        WorldConfig cfg;
        try {
            doc = new ObjectMapper().readTree(file.toFile());
            if (!doc.path("seed").canConvertToLong() || !doc.path("config").isObject()) {
                throw new KitException(file + ": expected a 'seed' number and a 'config' object");
            }
            cfg = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .treeToValue(doc.get("config"), WorldConfig.class);
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new KitException(file + ": bad world description: " + Messages.firstLine(cause.getMessage()), e);
        }
        World world = WorldGenerator.generate(cfg, doc.get("seed").asLong());
        Map<String, Object> counts = WorldWriter.counts(world);
        JsonNode written = doc.path("counts");
        for (Map.Entry<String, Object> c : counts.entrySet()) {
            if (!written.path(c.getKey()).asText().equals(String.valueOf(c.getValue()))) {
                throw new KitException(file + ": counts." + c.getKey() + " is " + written.path(c.getKey())
                        + " but this generator makes " + c.getValue() + " for its config and seed (regenerate the "
                        + "world with 'm3sgg data generate')");
            }
        }
        return new WorldDetections(world, DEFAULT_CACHE);
    }

    public World world() {
        return world;
    }

    @Override
    public DetectionsMeta meta() {
        return synth.meta();
    }

    @Override
    public BoxHead head() {
        return synth.head();
    }

    /** The generator behind this source (its head's weights, for writing {@code head.npz}). */
    public DetectionSynth synth() {
        return synth;
    }

    @Override
    public boolean hasVideo(String videoId) {
        return index.containsKey(videoId);
    }

    @Override
    public synchronized VideoDetections video(String videoId) {
        VideoDetections v = cache.get(videoId);
        if (v == null) {
            Integer i = index.get(videoId);
            if (i == null) {
                throw new KitException("no video " + videoId + " in the synthetic world (seed " + world.seed() + ")");
            }
            VideoTruth truth = world.videos().get(i);
            v = synth.detect(truth, i);
            cache.put(videoId, v);
        }
        return v;
    }
}
