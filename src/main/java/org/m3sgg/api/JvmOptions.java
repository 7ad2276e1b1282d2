package org.m3sgg.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kit's JVM flags and environment, read from {@code environment/jvm.options}, the one place they are kept (the
 * launcher, the kernel spec, the benchmark's child JVM and the tests all start from it). The file is a JDK argument
 * file: one flag per line, {@code #} starts a comment; a comment line {@code #env NAME=VALUE} names an environment
 * variable the JVM must be started with.
 *
 * @param flags the JVM flags, in file order
 * @param env   the environment variables, in file order
 */
public record JvmOptions(List<String> flags, Map<String, String> env) {

    /** The file under the kit's root. */
    public static final String FILE = "environment/jvm.options";

    private static final Pattern ENV = Pattern.compile("#env\\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)");

    public JvmOptions {
        flags = List.copyOf(flags);
        env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    /** The options of the kit at {@link KitHome#home()}. */
    public static JvmOptions load() {
        return read(KitHome.home().resolve(FILE));
    }

    /** Parses one options file; an unreadable file or a malformed {@code #env} line is a {@link KitException}. */
    public static JvmOptions read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new KitException("cannot read the JVM options " + file + ": " + e.getMessage());
        }
        List<String> flags = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("#env")) {
                Matcher m = ENV.matcher(line);
                if (!m.matches()) {
                    throw new KitException(file + " line " + (i + 1) + ": expected '#env NAME=VALUE', got '" + line
                            + "'");
                }
                env.put(m.group(1), m.group(2).strip());
                continue;
            }
            int hash = line.indexOf('#');
            String flag = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!flag.isEmpty()) {
                if (flag.contains(" ") || flag.contains("\"") || flag.contains("'")) {
                    throw new KitException(file + " line " + (i + 1) + ": one flag per line without spaces or "
                            + "quotes, got '" + flag + "'");
                }
                flags.add(flag);
            }
        }
        return new JvmOptions(flags, env);
    }
}
