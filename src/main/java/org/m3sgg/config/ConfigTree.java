package org.m3sgg.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.api.Messages;

/**
 * A resolved configuration: YAML files merged through their {@code _base_} chains, then {@code a.b=c}
 * overrides, remembering which file (or override) each value came from so that errors can name it. Sections are
 * bound onto immutable, validated records; unknown keys are errors. YAML keys are snake_case and map onto the
 * records' camelCase components.
 *
 * <pre>{@code
 * ConfigTree cfg = ConfigTree.load(Path.of("configs/models/sttran.yaml"), List.of("train.epochs=2"));
 * TrainConfig train = cfg.bind("train", TrainConfig.class);
 * }</pre>
 */
public final class ConfigTree {

    /** The key naming the files a YAML file extends (a path or a list, relative to the file). */
    public static final String BASE_KEY = "_base_";

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .addModule(new Jdk8Module())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // a second 'train:' block must not silently replace the first, and 'epochs: 1.5' is not 1
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            // NaN and infinities (.nan, .inf, "Infinity") train nothing and score nothing: no config takes them
            .addModule(new com.fasterxml.jackson.databind.module.SimpleModule("finite")
                    .addDeserializer(Double.class, new FiniteDouble(Double.class, null))
                    .addDeserializer(Double.TYPE, new FiniteDouble(Double.TYPE, 0.0)))
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /** Jackson's double reader, refusing NaN and the infinities. */
    private static final class FiniteDouble
            extends com.fasterxml.jackson.databind.deser.std.NumberDeserializers.DoubleDeserializer {
        FiniteDouble(Class<Double> type, Double empty) {
            super(type, empty);
        }

        @Override
        public Double deserialize(com.fasterxml.jackson.core.JsonParser p,
                com.fasterxml.jackson.databind.DeserializationContext ctxt) throws IOException {
            Double v = super.deserialize(p, ctxt);
            if (v != null && !Double.isFinite(v)) {
                throw InvalidFormatException.from(p, "not a finite number", p.getText(), Double.class);
            }
            return v;
        }
    }

    /** Every section a config of the kit may have (the CLI and the trainer refuse any other). */
    public static final List<String> SECTIONS = List.of("model", "train", "data", "eval", "run", "world");

    /**
     * Refuses top-level sections outside {@code allowed}: a typo ({@code --set trian.epochs=1}) must be an error,
     * not a run with the default epochs.
     */
    public void requireSections(java.util.Collection<String> allowed) {
        Iterator<String> it = root.fieldNames();
        while (it.hasNext()) {
            String name = it.next();
            if (!allowed.contains(name)) {
                String key = origins.keySet().stream().filter(k -> k.equals(name) || k.startsWith(name + "."))
                        .reduce((a, b) -> b).orElse(name);
                throw new KitException("unknown config section '" + name + "' " + where(key) + "; valid sections: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private final ObjectNode root;
    /** Dotted key path -> where its value came from (a file, or "--set a.b=c"). */
    private final Map<String, String> origins;

    private ConfigTree(ObjectNode root, Map<String, String> origins) {
        this.root = root;
        this.origins = origins;
    }

    /** An empty tree, for configs built entirely from overrides (e.g. in a notebook). */
    public static ConfigTree empty() {
        return new ConfigTree(JsonNodeFactory.instance.objectNode(), new LinkedHashMap<>());
    }

    /**
     * A tree holding {@code value} (a config record) under {@code section}, so that code defaults (presets) take
     * the same {@code a.b=c} overrides as files; {@code origin} names them in messages.
     */
    public static ConfigTree of(String section, Object value, String origin) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set(section, YAML.valueToTree(value));
        Map<String, String> origins = new LinkedHashMap<>();
        recordOrigins("", root, origin, origins);
        return new ConfigTree(root, origins);
    }

    /** Loads {@code file} with its {@code _base_} chain, then applies {@code overrides} ({@code a.b=c}). */
    public static ConfigTree load(Path file, List<String> overrides) {
        Map<String, String> origins = new LinkedHashMap<>();
        ObjectNode root = loadFile(file.toAbsolutePath().normalize(), origins, new ArrayList<>());
        return new ConfigTree(root, origins).with(overrides);
    }

    /** A copy with {@code a.b=c} overrides applied (values parsed as YAML scalars or flow lists). */
    public ConfigTree with(List<String> overrides) {
        ObjectNode copy = root.deepCopy();
        Map<String, String> o = new LinkedHashMap<>(origins);
        for (String ov : overrides) {
            int eq = ov.indexOf('=');
            if (eq <= 0) {
                throw new KitException("bad override '" + ov + "': expected key.path=value");
            }
            String path = ov.substring(0, eq).trim();
            JsonNode value = parseValue(ov.substring(eq + 1), ov);
            String[] parts = path.split("\\.");
            ObjectNode node = copy;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = node.get(parts[i]);
                if (child == null || !child.isObject()) {
                    if (child != null) {
                        throw new KitException("bad override '" + ov + "': '" + String.join(".",
                                List.of(parts).subList(0, i + 1)) + "' is a value, not a section");
                    }
                    child = node.putObject(parts[i]);
                }
                node = (ObjectNode) child;
            }
            node.set(parts[parts.length - 1], value);
            recordOrigins(path, value, "--set " + ov, o);
        }
        return new ConfigTree(copy, o);
    }

    /** Binds a section ({@code "train"}, {@code "model"}; {@code ""} for the root) onto a record type. */
    public <T> T bind(String section, Class<T> type) {
        return bind(section, type, Set.of());
    }

    /**
     * Binds a section, ignoring the listed keys of it (e.g. {@code name} in a model section, which selects the
     * record type instead of being one of its fields).
     */
    public <T> T bind(String section, Class<T> type, Set<String> ignoredKeys) {
        JsonNode node = section.isEmpty() ? root : root.at("/" + section.replace('.', '/'));
        ObjectNode obj = node.isMissingNode() || node.isNull() ? JsonNodeFactory.instance.objectNode()
                : node.isObject() ? ((ObjectNode) node).deepCopy() : null;
        if (obj == null) {
            throw new KitException("config section '" + section + "' " + where(section)
                    + " must be a mapping of keys to values");
        }
        obj.remove(ignoredKeys);
        try {
            return YAML.treeToValue(obj, type);
        } catch (UnrecognizedPropertyException e) {
            String key = join(section, pathOf(e));
            List<String> valid = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            throw new KitException("unknown config key '" + key + "' " + where(key) + "; valid keys of '"
                    + (section.isEmpty() ? "<root>" : section) + (pathOf(e).contains(".") ? "." + parentPath(e) : "")
                    + "': " + String.join(", ", valid));
        } catch (ValueInstantiationException e) {
            String key = join(section, pathOf(e));
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new KitException("invalid config '" + key + "' " + where(key) + ": " + cause.getMessage());
        } catch (InvalidFormatException e) {
            String key = join(section, pathOf(e));
            throw new KitException("invalid value for config key '" + key + "' " + where(key) + ": got '"
                    + e.getValue() + "', expected " + simpleType(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String key = join(section, pathOf(e));
            if (get(key) == null) {
                throw new KitException("missing config key '" + key + "' (section '" + section + "' " + where(section)
                        + "): expected " + simpleType(e.getTargetType()));
            }
            throw new KitException("invalid value for config key '" + key + "' " + where(key) + ": expected "
                    + simpleType(e.getTargetType()));
        } catch (JsonProcessingException e) {
            String key = join(section, pathOf(e));
            throw new KitException("invalid config '" + key + "' " + where(key) + ": "
                    + Messages.firstLine(e.getOriginalMessage()));
        }
    }

    /** The raw value at a dotted path, or null. */
    public JsonNode get(String path) {
        JsonNode n = root.at("/" + path.replace('.', '/'));
        return n.isMissingNode() ? null : n;
    }

    /** A text value at a dotted path, or {@code fallback} when absent. */
    public String getText(String path, String fallback) {
        JsonNode n = get(path);
        return n == null || n.isNull() ? fallback : n.asText();
    }

    /** The merged configuration as YAML (what a run writes as its resolved config). */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the resolved configuration atomically. */
    public void write(Path file) {
        writeYaml(file, toYaml());
    }

    /** Serialises any config record (or tree) to YAML in the kit's key style. */
    public static String toYaml(Object value) {
        try {
            return YAML.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a key's value came from, for messages: "in FILE", "from --set ...", or "(default)". */
    public String where(String key) {
        String exact = origins.get(key);
        if (exact != null) {
            return exact.startsWith("--set") ? "(from " + exact + ")" : "in " + exact;
        }
        // a parent section's origin, e.g. the file that set a whole mapping
        for (String k = key; k.contains("."); ) {
            k = k.substring(0, k.lastIndexOf('.'));
            String o = origins.get(k);
            if (o != null) {
                return o.startsWith("--set") ? "(from " + o + ")" : "in " + o;
            }
        }
        List<String> files = origins.values().stream().filter(s -> !s.startsWith("--set")).distinct().toList();
        return files.isEmpty() ? "(not set in any file)" : "in " + files.get(files.size() - 1);
    }

    static void writeYaml(Path file, String text) {
        AtomicFiles.writeString(file, text);
    }

    // ---- loading and merging ----

    private static ObjectNode loadFile(Path file, Map<String, String> origins, List<Path> chain) {
        if (chain.contains(file)) {
            throw new KitException("config " + file + " includes itself through _base_: "
                    + chain.stream().map(Path::toString).collect(Collectors.joining(" -> ")));
        }
        JsonNode parsed;
        try {
            parsed = YAML.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new KitException("missing config file " + file
                    + (chain.isEmpty() ? "" : " (a _base_ of " + chain.get(chain.size() - 1) + ")"));
        } catch (JsonProcessingException e) {
            // SnakeYAML's messages span lines (a caret under the column): keep the first, with the position
            throw new KitException("invalid YAML in " + file + ": " + Messages.json(e, null));
        } catch (IOException e) {
            throw new KitException("cannot read config " + file + ": " + e.getMessage(), e);
        }
        if (parsed == null || parsed.isMissingNode() || parsed.isNull()) {
            parsed = JsonNodeFactory.instance.objectNode();
        }
        if (!parsed.isObject()) {
            throw new KitException("config " + file + " must be a YAML mapping at the top level");
        }
        ObjectNode own = (ObjectNode) parsed;
        JsonNode bases = own.remove(BASE_KEY);
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        if (bases != null) {
            List<Path> nextChain = new ArrayList<>(chain);
            nextChain.add(file);
            List<String> names = new ArrayList<>();
            if (bases.isTextual()) {
                names.add(bases.asText());
            } else if (bases.isArray()) {
                bases.forEach(b -> names.add(b.asText()));
            } else {
                throw new KitException("_base_ in " + file + " must be a path or a list of paths");
            }
            for (String name : names) {
                Path base = file.getParent().resolve(name).normalize();
                deepMerge(merged, loadFile(base, origins, nextChain));
            }
        }
        recordOrigins("", own, file.toString(), origins);
        deepMerge(merged, own);
        return merged;
    }

    /** Merges {@code src} into {@code dst}: mappings merge key by key, anything else replaces. */
    private static void deepMerge(ObjectNode dst, ObjectNode src) {
        Iterator<Map.Entry<String, JsonNode>> it = src.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = dst.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode so) {
                deepMerge(eo, so);
            } else {
                dst.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static void recordOrigins(String prefix, JsonNode node, String origin, Map<String, String> origins) {
        if (!prefix.isEmpty()) {
            origins.put(prefix, origin);
        }
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> recordOrigins(join(prefix, e.getKey()), e.getValue(), origin, origins));
        }
    }

    private static JsonNode parseValue(String text, String override) {
        try {
            JsonNode v = YAML.readTree(text.isBlank() ? "null" : text);
            return v == null ? JsonNodeFactory.instance.nullNode() : v;
        } catch (JsonProcessingException e) {
            throw new KitException("bad override '" + override + "': cannot parse value: "
                    + Messages.firstLine(e.getOriginalMessage()));
        }
    }

    private static String pathOf(JsonProcessingException e) {
        if (e instanceof MismatchedInputException m) {
            return m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
        }
        return "";
    }

    private static String parentPath(UnrecognizedPropertyException e) {
        String p = pathOf(e);
        return p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "";
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : b.isEmpty() ? a : a + "." + b;
    }

    private static String simpleType(Class<?> t) {
        if (t == null) {
            return "a value of another type";
        }
        if (t.isEnum()) {
            return "one of " + Collections.unmodifiableList(List.of(t.getEnumConstants())).stream()
                    .map(c -> c.toString().toLowerCase(java.util.Locale.ROOT)).collect(Collectors.joining(", "));
        }
        if (t == int.class || t == Integer.class || t == long.class || t == Long.class) {
            return "an integer";
        }
        if (t == double.class || t == Double.class || t == float.class || t == Float.class) {
            return "a finite number";
        }
        if (t == boolean.class || t == Boolean.class) {
            return "true or false";
        }
        if (t.isRecord() || Map.class.isAssignableFrom(t)) {
            return "a mapping";
        }
        if (List.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        return "a " + t.getSimpleName();
    }

    /** Keys set anywhere in this tree, dotted (for tests and messages). */
    Set<String> keys() {
        return new HashSet<>(origins.keySet());
    }
}
