package org.m3sgg.synth;

import org.m3sgg.api.AtomicFiles;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AnnotationWriter;
import org.m3sgg.data.RawAnnotations;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.synth.WorldGenerator.VideoTruth;
import org.m3sgg.synth.WorldGenerator.World;

/**
 * Writes a generated world as a dataset folder:
 * <pre>
 *   OUT/annotations/...            Action Genome's released layout (see {@link AnnotationWriter})
 *   OUT/features/meta.json         feature widths (absent with --no-features)
 *   OUT/features/VID.mp4.npz       one per video
 *   OUT/world.json                 preset, seed, every parameter and the counts
 * </pre>
 * Everything is written into a temporary folder beside OUT, which is then renamed, so OUT is either absent or
 * complete.
 */
public final class WorldWriter {

    /** What was written. */
    public record Summary(Path out, Map<String, Object> counts) {}

    private WorldWriter() {}

    /**
     * Generates and writes a world.
     *
     * @param replace when OUT exists: replace it (true) or refuse (false)
     */
    public static Summary write(Path out, WorldConfig cfg, long seed, boolean features, boolean replace) {
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!replace) {
                throw new KitException(target + " already exists: choose another --out or remove it");
            }
            requireGeneratedWorld(target);
        }
        Path parent = target.getParent();
        Path tmp;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
            AtomicFiles.readableByAll(tmp);
        } catch (IOException e) {
            throw new KitException("cannot create a folder beside " + target + ": " + e.getMessage(), e);
        }
        try {
            World world = WorldGenerator.generate(cfg, seed);
            Map<String, Object> counts = writeInto(tmp, world, features);
            swapIn(tmp, target);
            return new Summary(target, counts);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * Refuses to replace anything but a world this writer made: a real folder (not a link) holding a
     * {@code world.json} with this writer's generator line and nothing beside {@code annotations/} and
     * {@code features/}. {@code --force} must never delete a home folder, a file or a dataset.
     */
    static void requireGeneratedWorld(Path target) {
        String refuse = target + " is not a world written by 'm3sgg data generate' (";
        String tail = "): --force replaces only generated worlds; choose another --out or remove it yourself";
        if (!Files.isDirectory(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new KitException(refuse + "it is not a folder" + tail);
        }
        Path json = target.resolve("world.json");
        String generator;
        try {
            generator = Files.isRegularFile(json, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    ? new ObjectMapper().readTree(json.toFile()).path("generator").asText("") : "";
        } catch (IOException e) {
            generator = "";
        }
        if (!generator.equals(GENERATOR)) {
            throw new KitException(refuse + "no world.json with the generator's name" + tail);
        }
        try (Stream<Path> s = Files.list(target)) {
            List<String> other = s.map(p -> p.getFileName().toString())
                    .filter(n -> !List.of("annotations", "features", "world.json").contains(n)).sorted().toList();
            if (!other.isEmpty()) {
                throw new KitException(refuse + "it also holds " + String.join(", ", other) + tail);
            }
        } catch (IOException e) {
            throw new KitException("cannot list " + target + ": " + e.getMessage(), e);
        }
    }

    private static final String GENERATOR = "m3sgg synthetic Action Genome world (org.m3sgg.synth)";

    /** Writes a world into an existing (empty) folder; returns the counts written to world.json. */
    public static Map<String, Object> writeInto(Path dir, World world, boolean features) {
        if (features) {
            FeatureSynth synth = new FeatureSynth(world.config(), world.seed());
            Path fdir = dir.resolve("features");
            // videos draw from their own seeded streams, so writing them in parallel changes no byte
            java.util.stream.IntStream.range(0, world.videos().size()).parallel()
                    .forEach(v -> synth.write(fdir, world.videos().get(v), v));
            FeatureSource.writeMeta(fdir, synth.meta());
        }
        AnnotationWriter.write(dir, world.frames());
        Map<String, Object> counts = counts(world);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generator", GENERATOR);
        doc.put("preset", world.config().preset());
        doc.put("seed", world.seed());
        doc.put("features", features);
        doc.put("config", world.config());
        doc.put("counts", counts);
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
        try {
            String text = new ObjectMapper().writer(pp).writeValueAsString(doc) + "\n";
            Path file = dir.resolve("world.json");
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KitException("cannot write " + dir.resolve("world.json") + ": " + e.getMessage(), e);
        }
        return counts;
    }

    /** Raw counts of the files (before any loader filtering). */
    public static Map<String, Object> counts(World world) {
        int train = 0;
        int frames = 0;
        int noPerson = 0;
        int entries = 0;
        int invisible = 0;
        int small = 0;
        long relations = 0;
        for (VideoTruth v : world.videos()) {
            train += v.set().equals("train") ? 1 : 0;
        }
        for (RawAnnotations.Frame f : world.frames()) {
            frames++;
            noPerson += f.personBox() == null ? 1 : 0;
            for (RawAnnotations.ObjectEntry o : f.objects()) {
                entries++;
                if (!o.visible()) {
                    invisible++;
                    continue;
                }
                if (Math.min(o.xywh()[2], o.xywh()[3]) < AnnotationWriter.FILTER_SMALL_EDGE) {
                    small++;
                }
                relations += o.attention().size() + o.spatial().size() + o.contacting().size();
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("videos", world.videos().size());
        c.put("train_videos", train);
        c.put("test_videos", world.videos().size() - train);
        c.put("frames", frames);
        c.put("frames_without_person", noPerson);
        c.put("object_entries", entries);
        c.put("invisible_entries", invisible);
        c.put("small_boxes", small);
        c.put("relations", relations);
        return c;
    }

    private static void swapIn(Path tmp, Path target) {
        try {
            Path old = null;
            if (Files.exists(target)) {
                old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
                Files.delete(old);
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new KitException("cannot move the generated world into " + target + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new KitException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
