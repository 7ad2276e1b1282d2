package org.m3sgg.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;

/** The committed {@code datasets/synthetic-ag} is exactly what the code generates (so it can never drift). */
class BundledWorldTest {

    @TempDir
    Path tmp;

    static Path bundled() {
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            Path d = p.resolve("datasets").resolve("synthetic-ag");
            if (Files.isRegularFile(d.resolve("world.json"))) {
                return d;
            }
        }
        throw new IllegalStateException("datasets/synthetic-ag not found above " + System.getProperty("user.dir"));
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void regeneratingGivesTheCommittedFiles() throws Exception {
        Path committed = bundled();
        Path fresh = tmp.resolve("synthetic-ag");
        WorldWriter.write(fresh, WorldConfig.small(), WorldGenerator.BUNDLED_SEED, true, false);
        List<Path> names = files(committed);
        assertEquals(names, files(fresh), "same file names");
        long total = 0;
        for (Path rel : names) {
            byte[] a = Files.readAllBytes(committed.resolve(rel));
            byte[] b = Files.readAllBytes(fresh.resolve(rel));
            total += a.length;
            if (rel.toString().endsWith(".npz") && !java.util.Arrays.equals(a, b)) {
                // The deflate stream may differ between zlib builds (zlib-ng, say) while the arrays are equal:
                // then compare the entries, which are the data.
                Map<String, NdArray> x = Npz.read(committed.resolve(rel));
                Map<String, NdArray> y = Npz.read(fresh.resolve(rel));
                assertEquals(List.copyOf(x.keySet()), List.copyOf(y.keySet()), rel.toString());
                for (String k : x.keySet()) {
                    assertArrayEquals(org.m3sgg.features.Npy.toBytes(x.get(k)),
                            org.m3sgg.features.Npy.toBytes(y.get(k)), rel + ":" + k);
                }
            } else {
                assertArrayEquals(a, b, rel + " differs from the generator's output: regenerate with "
                        + "bin/m3sgg data generate --out datasets/synthetic-ag --force");
            }
        }
        assertTrue(total < 8_000_000, "bundled world stays under ~8 MB, is " + total);
    }
}
