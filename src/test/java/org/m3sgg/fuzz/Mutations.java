package org.m3sgg.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deterministic malformed variants of a valid file: what a careless copy, a broken disk or a hostile sender makes
 * of it. Byte-level mutations for every format, plus token-level ones for text formats.
 */
final class Mutations {

    /** One variant: what was done (for the failure message) and the bytes. */
    record Variant(String what, byte[] bytes) {}

    /** 32-bit values that break length prefixes and counts. */
    private static final int[] EXTREMES = {0x7fffffff, 0x80000000, 0xffffffff, 0, 0x7ffffff0, 0x10000};

    private Mutations() {}

    /** {@code n} byte-level variants of {@code valid}, the same for the same seed. */
    static List<Variant> bytes(byte[] valid, int n, long seed) {
        Random r = new Random(seed);
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("empty file", new byte[0]));
        out.add(new Variant("first byte only", Arrays.copyOf(valid, 1)));
        for (int i = out.size(); i < n; i++) {
            int kind = i % 6;
            byte[] b = valid.clone();
            int at = r.nextInt(Math.max(valid.length, 1));
            switch (kind) {
                case 0 -> out.add(new Variant("truncated at " + at, Arrays.copyOf(valid, at)));
                case 1 -> {
                    int flips = 1 + r.nextInt(8);
                    for (int f = 0; f < flips; f++) {
                        int p = r.nextInt(b.length);
                        b[p] ^= (byte) (1 << r.nextInt(8));
                    }
                    out.add(new Variant(flips + " bits flipped from " + at, b));
                }
                case 2 -> {
                    int v = EXTREMES[r.nextInt(EXTREMES.length)];
                    int p = Math.min(at, Math.max(b.length - 4, 0));
                    for (int k = 0; k < 4 && p + k < b.length; k++) {
                        b[p + k] = (byte) (v >>> (8 * k));
                    }
                    out.add(new Variant(String.format("int32 0x%08x written at %d", v, p), b));
                }
                case 3 -> {
                    byte[] junk = new byte[1 + r.nextInt(64)];
                    r.nextBytes(junk);
                    out.add(new Variant(junk.length + " random bytes inserted at " + at, splice(valid, at, junk)));
                }
                case 4 -> {
                    int len = Math.min(1 + r.nextInt(512), valid.length - at);
                    byte[] chunk = Arrays.copyOfRange(valid, at, at + Math.max(len, 0));
                    out.add(new Variant(chunk.length + " bytes from " + at + " repeated", splice(valid, at, chunk)));
                }
                default -> {
                    int len = Math.min(1 + r.nextInt(512), valid.length - at);
                    byte[] cut = new byte[valid.length - Math.max(len, 0)];
                    System.arraycopy(valid, 0, cut, 0, at);
                    System.arraycopy(valid, at + Math.max(len, 0), cut, at, valid.length - at - Math.max(len, 0));
                    out.add(new Variant(len + " bytes deleted at " + at, cut));
                }
            }
        }
        return out;
    }

    /** {@code n} token-level variants of a text file (JSON, YAML): numbers, lines and brackets changed. */
    static List<Variant> text(String valid, int n, long seed) {
        Random r = new Random(seed);
        String[] numbers = {"NaN", "-1", "1e400", "-Infinity", "9".repeat(400), "0.5", "\"7\"", "null", "[]", "{}",
            "1.5", "2147483648"};
        List<Variant> out = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?").matcher(valid);
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        String[] lines = valid.split("\n", -1);
        for (int i = 0; i < n; i++) {
            String v;
            String what;
            switch (i % 5) {
                case 0, 1 -> {
                    if (spans.isEmpty()) {
                        continue;
                    }
                    int[] s = spans.get(r.nextInt(spans.size()));
                    String by = numbers[r.nextInt(numbers.length)];
                    v = valid.substring(0, s[0]) + by + valid.substring(s[1]);
                    what = "number at " + s[0] + " replaced by " + (by.length() > 20 ? by.length() + " nines" : by);
                }
                case 2 -> {
                    int l = r.nextInt(lines.length);
                    List<String> ls = new ArrayList<>(List.of(lines));
                    ls.remove(l);
                    v = String.join("\n", ls);
                    what = "line " + (l + 1) + " deleted";
                }
                case 3 -> {
                    int l = r.nextInt(lines.length);
                    List<String> ls = new ArrayList<>(List.of(lines));
                    ls.add(l, lines[l]);
                    v = String.join("\n", ls);
                    what = "line " + (l + 1) + " duplicated";
                }
                default -> {
                    int at = r.nextInt(valid.length());
                    String ins = List.of("[", "]", "{", "}", ",", ":", "\"", "\t", "\u0000", "&a", "*a", "!!binary")
                            .get(r.nextInt(12));
                    v = valid.substring(0, at) + ins + valid.substring(at);
                    what = "'" + ins.replace("\u0000", "\\0") + "' inserted at " + at;
                }
            }
            out.add(new Variant(what, v.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static byte[] splice(byte[] a, int at, byte[] ins) {
        byte[] out = new byte[a.length + ins.length];
        System.arraycopy(a, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(a, at, out, at + ins.length, a.length - at);
        return out;
    }
}
