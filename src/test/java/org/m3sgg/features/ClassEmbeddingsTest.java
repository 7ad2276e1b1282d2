package org.m3sgg.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;

class ClassEmbeddingsTest {

    @TempDir
    Path tmp;

    @Test
    void looksUpTheFirstTokenBeforeTheSlash() throws Exception {
        assertEquals("closet", ClassEmbeddings.lookupWord("closet/cabinet"));
        assertEquals("cup", ClassEmbeddings.lookupWord("cup/glass/bottle"));
        assertEquals("person", ClassEmbeddings.lookupWord("person"));
        StringBuilder glove = new StringBuilder("the 0.1 0.2 0.3\n");
        for (int i = 1; i < 37; i++) {
            String w = ClassEmbeddings.lookupWord(Vocabulary.OBJECT_CLASSES.get(i));
            glove.append(w).append(' ').append(i).append(" -").append(i).append(" 0.5\n");
        }
        glove.append("cabinet 9 9 9\nperson 7 7 7\n"); // 'cabinet' is not STTran's word; a later duplicate loses
        Path f = tmp.resolve("glove.test.3d.txt");
        Files.writeString(f, glove.toString());
        float[][] e = ClassEmbeddings.fromGlove(f, 3, 42);
        assertEquals(37, e.length);
        assertArrayEquals(new float[] {1, -1, 0.5f}, e[1]);
        assertArrayEquals(new float[] {9, -9, 0.5f}, e[9]); // closet/cabinet -> 'closet'
        assertArrayEquals(new float[] {36, -36, 0.5f}, e[36]);
        // __background__ is missing from GloVe: it keeps the seeded N(0, 1) row
        assertArrayEquals(ClassEmbeddings.seeded(3, 42)[0], e[0]);
    }

    @Test
    void seededFallbackIsDeterministicAndRoughlyStandardNormal() {
        float[][] a = ClassEmbeddings.seeded(200, 7);
        float[][] b = ClassEmbeddings.seeded(200, 7);
        float[][] c = ClassEmbeddings.seeded(200, 8);
        assertEquals(37, a.length);
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < 37; i++) {
            assertArrayEquals(a[i], b[i]);
            assertFalse(java.util.Arrays.equals(a[i], c[i]));
            for (float v : a[i]) {
                sum += v;
                sq += v * v;
            }
        }
        int n = 37 * 200;
        assertEquals(0, sum / n, 0.05);
        assertEquals(1, sq / n, 0.08);
    }

    @Test
    void badFilesGiveClearErrors() throws Exception {
        Path f = tmp.resolve("short.txt");
        Files.writeString(f, "the 1 2 3\nperson 1 2\n");
        KitException e = assertThrows(KitException.class, () -> ClassEmbeddings.fromGlove(f, 3, 1));
        assertTrue(e.getMessage().contains("short.txt line 2") && e.getMessage().contains("expected 3 numbers"),
                e.getMessage());
        Path missing = tmp.resolve("nope.txt");
        KitException m = assertThrows(KitException.class, () -> ClassEmbeddings.fromGlove(missing, 200, 1));
        assertTrue(m.getMessage().contains("nope.txt"), m.getMessage());
    }
}
