package org.m3sgg.features;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;

/**
 * Word vectors for the 37 object classes, used to initialise the object classifier's class embedding
 * ({@code obj_embed}, 200-d GloVe 6B in STTran).
 *
 * <p>From a GloVe text file ({@code word v1 v2 ... vD} per line, e.g. {@code glove.6B.200d.txt}) the lookup is
 * STTran's: the class name up to its first {@code /} ({@code closet/cabinet} -> {@code closet}), else its longest
 * space-separated word; a class not found (only {@code __background__} for GloVe 6B) keeps a row drawn from
 * N(0, 1). Where STTran draws those rows from torch's global generator, the kit draws them from a seeded
 * {@link Random}, so results repeat. The first occurrence of a word in the file wins (GloVe files have none
 * twice) and reading stops early once every looked-up word is found.
 *
 * <p>Without a file, {@link #seeded} gives every class an N(0, 1) row from the seed. That is a deterministic
 * stand-in, NOT GloVe: it carries no semantic similarity between classes. The kit never downloads anything.
 */
public final class ClassEmbeddings {

    private ClassEmbeddings() {}

    /** The word looked up for a class name, STTran's way: the part before the first '/'. */
    public static String lookupWord(String className) {
        int slash = className.indexOf('/');
        return slash < 0 ? className : className.substring(0, slash);
    }

    /**
     * Reads vectors for {@link Vocabulary#OBJECT_CLASSES} from a GloVe text file.
     *
     * @return {@code [37][dim]}, row = object label id
     */
    public static float[][] fromGlove(Path file, int dim, long seed) {
        return fromGlove(file, dim, seed, Vocabulary.OBJECT_CLASSES);
    }

    /** As {@link #fromGlove(Path, int, long)} for any list of class names. */
    public static float[][] fromGlove(Path file, int dim, long seed, List<String> classNames) {
        if (dim <= 0) {
            throw new KitException("word vector dimension must be positive, got " + dim);
        }
        if (!Files.isRegularFile(file)) {
            throw new KitException("word vector file not found: " + file
                    + " (expected GloVe text format, e.g. glove.6B.200d.txt; the kit never downloads it)");
        }
        float[][] out = seeded(classNames.size(), dim, seed);
        // first choice per class; the longest-word fallback only matters for names with spaces
        Map<String, Integer> wanted = new HashMap<>();
        Map<String, Integer> fallback = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            String name = classNames.get(i);
            wanted.putIfAbsent(lookupWord(name), -1);
            String longest = longestWord(name);
            fallback.putIfAbsent(longest, -1);
        }
        Map<String, float[]> found = new HashMap<>();
        int needed = (int) java.util.stream.Stream.concat(wanted.keySet().stream(), fallback.keySet().stream())
                .distinct().count();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = r.readLine()) != null && found.size() < needed) {
                lineNo++;
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    if (line.isBlank()) {
                        continue;
                    }
                    throw new KitException(file + " line " + lineNo + ": expected 'word v1 ... v" + dim
                            + "' separated by spaces");
                }
                String word = line.substring(0, sp);
                if ((!wanted.containsKey(word) && !fallback.containsKey(word)) || found.containsKey(word)) {
                    continue;
                }
                found.put(word, parseVector(line.substring(sp + 1), dim, file, lineNo, word));
            }
        } catch (IOException e) {
            throw new KitException("cannot read word vectors " + file + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < classNames.size(); i++) {
            String name = classNames.get(i);
            float[] v = found.get(lookupWord(name));
            if (v == null) {
                v = found.get(longestWord(name));
            }
            if (v != null) {
                out[i] = v.clone();
            }
        }
        return out;
    }

    /**
     * The fallback without a word-vector file: row i ~ N(0, 1) from {@code new Random(seed)}, drawn row by row.
     * Deterministic for a seed; not GloVe.
     */
    public static float[][] seeded(int classes, int dim, long seed) {
        Random rng = new Random(seed);
        float[][] out = new float[classes][dim];
        for (float[] row : out) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        return out;
    }

    /** The seeded fallback for the 37 object classes. */
    public static float[][] seeded(int dim, long seed) {
        return seeded(Vocabulary.NUM_OBJECT_CLASSES, dim, seed);
    }

    private static String longestWord(String name) {
        String best = "";
        for (String w : name.split(" ")) {
            if (w.length() > best.length()) {
                best = w;
            }
        }
        return best;
    }

    private static float[] parseVector(String rest, int dim, Path file, long lineNo, String word) {
        String[] parts = rest.trim().split(" +");
        if (parts.length != dim) {
            throw new KitException(file + " line " + lineNo + " ('" + word + "'): expected " + dim
                    + " numbers, found " + parts.length + " (is this the " + dim + "-d file?)");
        }
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            try {
                v[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new KitException(file + " line " + lineNo + " ('" + word + "'): '" + parts[i]
                        + "' is not a number");
            }
        }
        return v;
    }
}
