package org.m3sgg.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;

/** Hand-made inputs shared by the report tests, and pixel helpers. */
final class Samples {

    private Samples() {}

    /** Where the tests leave their PNGs for a human to look at. */
    static Path outDir() {
        return Path.of("target", "report-test-output");
    }

    /**
     * A 640x360 frame: a person, a cup (label 11) looked at, in front of the person and held, and a table
     * (label 32) not looked at, beneath, with two contacting labels (touching, not_contacting) to exercise
     * multi-label objects.
     */
    static AgFrame frame(String key) {
        Box person = new Box(200, 40, 360, 340);
        AgObject cup = new AgObject(11, new Box(330, 150, 390, 220), new int[] {0}, new int[] {2}, new int[] {5});
        AgObject table = new AgObject(32, new Box(60, 230, 600, 350), new int[] {1}, new int[] {1},
                new int[] {12, 8});
        return new AgFrame(key, person, List.of(cup, table));
    }

    static AgVideo video() {
        Box person = new Box(200, 40, 360, 340);
        AgObject cupHeld = new AgObject(11, new Box(330, 150, 390, 220), new int[] {0}, new int[] {2},
                new int[] {5});
        AgObject cupOnTable = new AgObject(11, new Box(300, 240, 350, 290), new int[] {1}, new int[] {4},
                new int[] {8});
        AgObject table = new AgObject(32, new Box(60, 230, 600, 350), new int[] {1}, new int[] {1},
                new int[] {12});
        return new AgVideo("TEST1.mp4", List.of(
                new AgFrame("TEST1.mp4/000010.png", person, List.of(cupOnTable, table)),
                new AgFrame("TEST1.mp4/000020.png", person, List.of(cupHeld, table)),
                new AgFrame("TEST1.mp4/000030.png", person, List.of(cupHeld, table)),
                new AgFrame("TEST1.mp4/000040.png", person, List.of(cupHeld))), 640, 360);
    }

    /** run -> constraint -> metric -> recall, the shape an evaluator summary has. */
    static Map<String, Map<String, Map<String, Double>>> results() {
        Map<String, Map<String, Map<String, Double>>> r = new LinkedHashMap<>();
        r.put("sttran", Map.of(
                "with", Map.of("R@10", 0.686, "R@20", 0.718, "R@50", 0.718, "mR@10", 0.378, "mR@20", 0.401,
                        "mR@50", 0.402),
                "no", Map.of("R@10", 0.779, "R@20", 0.942, "R@50", 0.991)));
        r.put("tempura", Map.of(
                "with", Map.of("r@10", 0.688, "R@20", 0.715, "R@50", 0.715, "MR@10", 0.429, "mR@20", 0.463,
                        "mR@50", 0.463),
                "no", Map.of("R@10", 0.804, "R@20", 0.942, "R@50", 0.994)));
        return r;
    }

    static int countColor(BufferedImage img, Color c) {
        int rgb = c.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    static int distinctColors(BufferedImage img) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    /** Pixels of colour c in column x. */
    static int columnCount(BufferedImage img, int x, Color c) {
        int rgb = c.getRGB() & 0xFFFFFF;
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                n++;
            }
        }
        return n;
    }

    /** The longest vertical run of colour c in column x. */
    static int longestRun(BufferedImage img, int x, Color c) {
        int rgb = c.getRGB() & 0xFFFFFF;
        int best = 0;
        int cur = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            cur = (img.getRGB(x, y) & 0xFFFFFF) == rgb ? cur + 1 : 0;
            best = Math.max(best, cur);
        }
        return best;
    }
}
