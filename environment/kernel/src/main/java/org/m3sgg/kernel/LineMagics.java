package org.m3sgg.kernel;

import io.github.spencerpark.jupyter.kernel.util.GlobFinder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IJava's line magics, each on a line of its own: {@code %jars GLOB...} (jar files; a folder adds its jars),
 * {@code %classpath GLOB...} (folders or jars), {@code %maven COORDS...} (alias {@code %addMavenDependency},
 * {@code %addMavenDependencies}; resolved with their runtime dependencies from Maven Central) and
 * {@code %mavenRepo ID URL} (alias {@code %addMavenRepo}). A cell is split into code and magic lines that run in their
 * order. Unlike IJava, a magic cannot stand inside an expression ({@code var jars = %jars x.jar}).
 */
final class LineMagics {

    private static final Pattern MAGIC = Pattern.compile("^[ \\t]*%(?!%)([A-Za-z]\\w*)(.*)$");

    /** A cell's pieces in order: code, or one magic line (name and arguments). */
    record Piece(String code, String magic, List<String> args) {
        boolean isMagic() {
            return magic != null;
        }
    }

    private final Consumer<String> classpath;
    private final MavenDependencies maven;

    LineMagics(Consumer<String> classpath, MavenDependencies maven) {
        this.classpath = classpath;
        this.maven = maven;
    }

    /** Splits a cell into code and magic lines (a line starting with one {@code %} and a name). */
    static List<Piece> split(String cell) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder code = new StringBuilder();
        for (String line : cell.split("\n", -1)) {
            Matcher m = MAGIC.matcher(line);
            if (m.matches()) {
                if (!code.toString().isBlank()) {
                    pieces.add(new Piece(code.toString(), null, null));
                }
                code.setLength(0);
                pieces.add(new Piece(null, m.group(1), words(m.group(2))));
            } else {
                code.append(line).append('\n');
            }
        }
        if (!code.toString().isBlank()) {
            pieces.add(new Piece(code.toString(), null, null));
        }
        return pieces;
    }

    /** Whitespace-separated words; single or double quotes keep spaces in one word. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    w.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                any = true;
            } else if (Character.isWhitespace(c)) {
                if (any || w.length() > 0) {
                    out.add(w.toString());
                }
                w.setLength(0);
                any = false;
            } else {
                w.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + s.trim());
        }
        if (any || w.length() > 0) {
            out.add(w.toString());
        }
        return out;
    }

    /** Runs one magic; returns what it added to the class path. */
    List<String> run(String name, List<String> args) throws MagicError {
        switch (name) {
            case "jars":
                return add(globs(name, args, true));
            case "classpath":
                return add(globs(name, args, false));
            case "maven":
            case "addMavenDependency":
            case "addMavenDependencies":
                if (args.isEmpty()) {
                    throw new MagicError("%" + name + ": expected groupId:artifactId[:extension[:classifier]]:version");
                }
                return add(maven.resolve(args).stream().map(Path::toString).toList());
            case "mavenRepo":
            case "addMavenRepo":
                if (args.size() != 2) {
                    throw new MagicError("%" + name + ": expected ID URL, got " + args.size() + " word(s)");
                }
                maven.addRepository(args.get(0), args.get(1));
                return List.of();
            default:
                throw new MagicError("unknown line magic %" + name
                        + " (this kernel has %jars, %classpath, %maven, %mavenRepo)");
        }
    }

    private List<String> add(List<String> paths) {
        paths.forEach(classpath);
        return paths;
    }

    private static List<String> globs(String magic, List<String> args, boolean jarsOnly) throws MagicError {
        if (args.isEmpty()) {
            throw new MagicError("%" + magic + ": expected one or more paths or globs");
        }
        List<String> out = new ArrayList<>();
        for (String a : args) {
            List<String> found = new ArrayList<>();
            try {
                GlobFinder g = new GlobFinder(a);
                for (Path p : jarsOnly ? g.computeMatchingFiles() : g.computeMatchingPaths()) {
                    if (!jarsOnly || p.getFileName().toString().endsWith(".jar")) {
                        found.add(p.toAbsolutePath().toString());
                    }
                }
            } catch (IOException | RuntimeException e) {
                throw new MagicError("%" + magic + ": cannot read " + a + ": " + e.getMessage());
            }
            if (found.isEmpty()) {
                throw new MagicError("%" + magic + ": " + a + " matches no " + (jarsOnly ? "jar" : "file or folder"));
            }
            out.addAll(found);
        }
        return out;
    }

    /** A magic that could not run: one line for the notebook. */
    static final class MagicError extends Exception {
        MagicError(String message) {
            super(message, null, false, false);
        }
    }
}
