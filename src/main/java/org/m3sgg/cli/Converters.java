package org.m3sgg.cli;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.m3sgg.models.ModelRegistry;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The CLI's strict option values. Each converter rejects a wrong value with a message that names the value and what
 * is allowed; picocli prefixes it with the option ({@code Invalid value for option '--mode' (MODE): ...}) and
 * {@link Main} prints it as one {@code error:} line with exit code 2, before any command starts work. Choice
 * converters are also their own completion candidates, so that help texts built with
 * {@code ${COMPLETION-CANDIDATES}} list exactly what the parser accepts.
 */
public final class Converters {

    private Converters() {}

    /** A value out of a fixed list (case-insensitive, trimmed); returns the canonical lowercase spelling. */
    public abstract static class Choice implements ITypeConverter<String>, Iterable<String> {
        private final String what;
        private final List<String> allowed;

        /** {@code what} names the value in messages ("mode", "split"). */
        protected Choice(String what, String... allowed) {
            this.what = what;
            this.allowed = List.of(allowed);
        }

        public List<String> allowed() {
            return allowed;
        }

        @Override
        public Iterator<String> iterator() {
            return allowed.iterator();
        }

        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (allowed.contains(v)) {
                return v;
            }
            String extra = rejectReason(v);
            throw new TypeConversionException((extra == null ? "unknown " + what + " '" + value + "'"
                    : what + " '" + value + "': " + extra) + "; expected " + orList(allowed));
        }

        /** Why a known-but-unsupported value is refused, or null for a plain unknown value. */
        protected String rejectReason(String canonical) {
            return null;
        }
    }

    /** {@code --mode} of commands that train or import a model: PredCLS, SGCLS or SGDET. */
    public static final class TrainMode extends Choice {
        public TrainMode() {
            super("mode", "predcls", "sgcls", "sgdet");
        }
    }

    /**
     * {@code --mode} of commands that read the per-box feature folder (benchmarks, tensor export): PredCLS or SGCLS;
     * SGDET reads detections and frame maps instead.
     */
    public static final class FeatureMode extends Choice {
        public FeatureMode() {
            super("mode", "predcls", "sgcls");
        }

        @Override
        protected String rejectReason(String canonical) {
            return canonical.equals("sgdet") ? "this command reads the per-box feature folder, which SGDET does not "
                    + "use: give predcls or sgcls" : null;
        }
    }

    /** {@code parity --kind}: the kinds registered in {@link ParityCommand#KINDS}. */
    public static final class ParityKind extends Choice {
        public ParityKind() {
            super("kind", ParityCommand.KINDS.keySet().toArray(String[]::new));
        }
    }

    /** {@code import --kind}: the models with a PyTorch checkpoint importer ({@link org.m3sgg.train.CheckpointImport#KINDS}). */
    public static final class ImportKind extends Choice {
        public ImportKind() {
            super("kind", org.m3sgg.train.CheckpointImport.KINDS.toArray(String[]::new));
        }
    }

    /** {@code eval --split}. */
    public static final class Split extends Choice {
        public Split() {
            super("split", "test", "val");
        }
    }

    /**
     * {@code eval / evaluate-predictions --protocol}: STTran's Action Genome protocol (the default), OED's, or OED's
     * with its triplet NMS filter (its temporal SGDET setting).
     */
    public static final class Protocol extends Choice {
        public Protocol() {
            super("protocol", "sttran", "oed", "oed-nms");
        }
    }

    /** A frame size in pixels. */
    public record FrameSize(int width, int height) {
        /** {width, height}, or null for no size. */
        public static double[] array(FrameSize s) {
            return s == null ? null : new double[] {s.width, s.height};
        }
    }

    /** A frame size {@code WIDTHxHEIGHT} in pixels, both positive integers ({@code 480x270}). */
    public static final class ImageSize implements ITypeConverter<FrameSize> {
        @Override
        public FrameSize convert(String value) {
            String[] p = value.trim().toLowerCase(Locale.ROOT).split("x", -1);
            if (p.length == 2 && p[0].matches("[0-9]{1,6}") && p[1].matches("[0-9]{1,6}")) {
                int w = Integer.parseInt(p[0]);
                int h = Integer.parseInt(p[1]);
                if (w > 0 && h > 0) {
                    return new FrameSize(w, h);
                }
            }
            throw new TypeConversionException("'" + value + "': expected a frame size WIDTHxHEIGHT in pixels, "
                    + "two positive integers (e.g. 480x270)");
        }
    }

    /** A list of integers (an option value; picocli would split a bare array field itself). */
    public record IntList(int[] values) {
        public IntList {
            values = values.clone();
        }

        @Override
        public int[] values() {
            return values.clone();
        }
    }

    /** Comma-separated positive integers ({@code 80,50,30}). */
    public static final class PositiveInts implements ITypeConverter<IntList> {
        @Override
        public IntList convert(String value) {
            String[] p = value.trim().split(",", -1);
            int[] out = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                String t = p[i].trim();
                if (!t.matches("[0-9]{1,6}") || Integer.parseInt(t) <= 0) {
                    throw new TypeConversionException("'" + value + "': expected comma-separated positive integers "
                            + "(e.g. 80,50,30)");
                }
                out[i] = Integer.parseInt(t);
            }
            return new IntList(out);
        }
    }

    /** {@code bench --widths}. */
    public static final class BenchWidths extends Choice {
        public BenchWidths() {
            super("widths", "paper", "quick", "both");
        }
    }

    /** {@code bench --kind}. */
    public static final class BenchKind extends Choice {
        public BenchKind() {
            super("kind", "sttran", "detector");
        }
    }

    /** {@code data generate --preset}: the presets of {@code WorldConfig.preset}. */
    public static final class Preset extends Choice {
        public Preset() {
            super("preset", "small", "ag-scale");
        }
    }

    /** {@code features extract --what}: which folders to write. */
    public static final class ExtractWhat extends Choice {
        public ExtractWhat() {
            super("output", "features,detections", "features", "detections");
        }

        @Override
        public String convert(String value) {
            return super.convert(value.equalsIgnoreCase("detections,features") ? "features,detections" : value);
        }
    }

    /** {@code features extract --map-dtype}: the stored type of the layer-3 maps. */
    public static final class MapDtype extends Choice {
        public MapDtype() {
            super("map type", "float16", "float32");
        }
    }

    /** {@code --videos N|ID,...}: a positive count or a list of video ids. */
    public static final class Videos implements ITypeConverter<org.m3sgg.extract.VideoSelection> {
        @Override
        public org.m3sgg.extract.VideoSelection convert(String value) {
            try {
                return org.m3sgg.extract.VideoSelection.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** A registered model name ({@link ModelRegistry}); also the completion candidates. */
    public static final class ModelName implements ITypeConverter<String>, Iterable<String> {
        @Override
        public String convert(String value) {
            if (ModelRegistry.all().containsKey(value)) {
                return value;
            }
            throw new TypeConversionException("unknown model '" + value + "'; valid models: "
                    + String.join(", ", ModelRegistry.all().keySet()));
        }

        @Override
        public Iterator<String> iterator() {
            return ModelRegistry.all().keySet().iterator();
        }
    }

    /** An integer above 0. */
    public static final class PositiveInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = parseInt(value);
            if (v <= 0) {
                throw new TypeConversionException("'" + value + "': expected a positive integer");
            }
            return v;
        }
    }

    /** A finite number above 0 (a rate). */
    public static final class PositiveDouble implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v;
            try {
                v = Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "': expected a positive number");
            }
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new TypeConversionException("'" + value + "': expected a finite positive number");
            }
            return v;
        }
    }

    /** {@code infer --preview}: the animated preview's kind. */
    public static final class PreviewKind extends Choice {
        public PreviewKind() {
            super("preview", "gif", "mp4", "none");
        }
    }

    /** An integer of 0 or more. */
    public static final class NonNegativeInt implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int v = parseInt(value);
            if (v < 0) {
                throw new TypeConversionException("'" + value + "': expected 0 or a positive integer");
            }
            return v;
        }
    }

    /** A non-blank word (a program name, ...). */
    public static final class NonBlank implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            if (value.isBlank()) {
                throw new TypeConversionException("'" + value + "': expected a non-empty value");
            }
            return value;
        }
    }

    /** A folder that exists. */
    public static final class ExistingDir implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = path(value);
            if (!Files.isDirectory(p)) {
                throw new TypeConversionException("'" + value + "': " + (Files.exists(p) ? "not a folder"
                        : "does not exist"));
            }
            return p;
        }
    }

    /** A regular file that exists. */
    public static final class ExistingFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = path(value);
            if (!Files.isRegularFile(p)) {
                throw new TypeConversionException("'" + value + "': " + (Files.exists(p) ? "not a regular file"
                        : "does not exist"));
            }
            return p;
        }
    }

    /** A folder to write into: absent (it is created) or an existing folder, never an existing file. */
    public static final class OutDir implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = path(value);
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new TypeConversionException("'" + value + "': exists and is not a folder");
            }
            return p;
        }
    }

    /** A folder to create: it must not exist yet (nothing is overwritten). */
    public static final class NewDir implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = path(value);
            if (Files.exists(p)) {
                throw new TypeConversionException("'" + value + "': already exists; give a new folder");
            }
            return p;
        }
    }

    /** A file to write: absent or an existing file, never an existing folder. */
    public static final class OutFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path p = path(value);
            if (Files.isDirectory(p)) {
                throw new TypeConversionException("'" + value + "': is a folder, expected a file");
            }
            return p;
        }
    }

    /** A path whose existence is checked once the other options are known (e.g. relative to another folder). */
    public static final class AnyPath implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            return path(value);
        }
    }

    /** {@code --set KEY=VALUE}: a dotted key of snake_case words, '=', a value (YAML scalar or flow list). */
    public static final class KeyValue implements ITypeConverter<String> {
        private static final String KEY = "[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*";

        @Override
        public String convert(String value) {
            int eq = value.indexOf('=');
            if (eq < 0 || !value.substring(0, eq).trim().matches(KEY)) {
                throw new TypeConversionException("'" + value + "': expected KEY=VALUE with a dotted config key, "
                        + "e.g. train.epochs=3");
            }
            return value;
        }
    }

    // ---- helpers ----

    static String orList(List<String> values) {
        if (values.size() <= 1) {
            return String.join("", values);
        }
        return String.join(", ", values.subList(0, values.size() - 1)) + " or " + values.get(values.size() - 1);
    }

    private static int parseInt(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not an integer"
                    + (value.trim().matches("[-+]?\\d+") ? " in range" : ""));
        }
    }

    private static Path path(String value) {
        if (value.isBlank()) {
            throw new TypeConversionException("'" + value + "': expected a path");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "': not a valid path (" + e.getReason() + ")");
        }
    }
}
