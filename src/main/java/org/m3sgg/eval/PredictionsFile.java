package org.m3sgg.eval;

import org.m3sgg.api.AtomicFiles;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.m3sgg.api.KitException;
import org.m3sgg.api.Messages;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;

/**
 * The predictions file: ground truth and a model's output, frame by frame, as JSON.
 *
 * <pre>
 * {"frames": [
 *   {"video": "001YG.mp4", "frame": "000089.png",
 *    "gt":   {"person_box": [x1,y1,x2,y2],
 *             "objects": [{"box": [x1,y1,x2,y2], "label": 5, "attention": [0], "spatial": [1,3], "contacting": [5]}]},
 *    "pred": {"boxes": [[x1,y1,x2,y2], ...], "labels": [1, 5, ...], "scores": [1.0, ...], "pairs": [[0,1], ...],
 *             "attention": [[3 probabilities], ...], "spatial": [[6], ...], "contacting": [[17], ...]}}]}
 * </pre>
 *
 * Relation ids in {@code gt} are local to their group (attention 0..2, spatial 0..5, contacting 0..16). Fields not
 * listed here are skipped, so writers may add their own (e.g. per-pair uncertainty). Reading streams the file
 * token by token (Jackson streaming API); writing goes to a temporary file that is renamed into place at the end.
 * Malformed input raises a {@link KitException} naming the file, the frame (index, video/frame) and the field.
 */
public final class PredictionsFile {

    /** One frame of the file. */
    public record Entry(GroundTruthFrame gt, FramePrediction prediction) {}

    private static final JsonFactory JSON = JsonFactory.builder()
            // Python's json module writes NaN/Infinity; accept the tokens so the error can name the field.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            // Python's json keeps the last of two equal keys and the kit would read both: refuse the file instead
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private PredictionsFile() {}

    /** Reads every frame of a file into memory. */
    public static List<Entry> read(Path file) {
        List<Entry> out = new ArrayList<>();
        forEach(file, out::add);
        return out;
    }

    /** Streams the frames of a file to {@code sink} in file order; returns how many there were. */
    public static int forEach(Path file, Consumer<Entry> sink) {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new KitException("predictions file " + file + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return forEach(in, file.toString(), sink);
        } catch (NoSuchFileException e) {
            throw new KitException("predictions file " + file + " does not exist");
        } catch (IOException e) {
            throw new KitException("cannot read predictions file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Streams frames from {@code in}; {@code name} is used in error messages. */
    public static int forEach(InputStream in, String name, Consumer<Entry> sink) {
        JsonParser parser = null;
        try (JsonParser p = JSON.createParser(in)) {
            parser = p;
            return new Reader(p, name).readAll(sink);
        } catch (JsonProcessingException e) {
            // a stream limit (nesting, number or string length) is reported without a location: take the parser's
            throw new KitException(name + ": not valid JSON: "
                    + Messages.json(e, parser != null ? parser.currentLocation() : null), e);
        } catch (IOException e) {
            throw new KitException("cannot read predictions file " + name + ": " + e.getMessage(), e);
        }
    }

    /** Writes all entries to {@code file} (temporary file, then rename). */
    public static void write(Path file, Iterable<Entry> entries) throws IOException {
        try (Writer w = writer(file)) {
            for (Entry e : entries) {
                w.write(e);
            }
            w.finish();
        }
    }

    /** Opens a streaming writer; call {@link Writer#finish()} to publish the file. */
    public static Writer writer(Path file) throws IOException {
        return new Writer(file);
    }

    /**
     * Writes frames one at a time into a temporary sibling of the target. {@link #finish()} completes the JSON and
     * renames it onto the target; {@link #close()} without {@code finish()} (an error on the way) deletes it, so a
     * half-written file never appears under the target name.
     */
    public static final class Writer implements Closeable {
        private final Path target;
        private Path tmp;
        private JsonGenerator g;
        private int frames;
        private boolean finished;
        private boolean closed;

        private Writer(Path target) throws IOException {
            this.target = target;
            try {
                AtomicFiles.removeTemporariesOf(target); // what a killed writer of the same file left
                this.tmp = AtomicFiles.temporarySibling(target);
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
                g.writeStartObject();
                g.writeFieldName("frames");
                g.writeStartArray();
            } catch (IOException e) {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
                throw failed(e);
            }
        }

        /** A failure to write, as one line naming the target (the temporary file is removed by close). */
        private KitException failed(IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such folder"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new KitException("cannot write predictions file " + target + ": " + why, e);
        }

        public void write(Entry e) throws IOException {
            write(e.gt(), e.prediction());
        }

        public void write(GroundTruthFrame gt, FramePrediction pred) throws IOException {
            if (finished || closed) {
                throw new IllegalStateException("predictions writer for " + target + " is already finished");
            }
            try {
                writeFrame(gt, pred);
            } catch (IOException e) {
                throw failed(e);
            }
            frames++;
        }

        private void writeFrame(GroundTruthFrame gt, FramePrediction pred) throws IOException {
            g.writeRaw('\n');
            g.writeStartObject();
            g.writeStringField("video", gt.video());
            g.writeStringField("frame", gt.frame());
            g.writeObjectFieldStart("gt");
            writeDoubles("person_box", gt.personBox().toArray());
            g.writeArrayFieldStart("objects");
            for (AgObject o : gt.objects()) {
                g.writeStartObject();
                writeDoubles("box", o.box().toArray());
                g.writeNumberField("label", o.label());
                writeInts("attention", o.attention());
                writeInts("spatial", o.spatial());
                writeInts("contacting", o.contacting());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("pred");
            writeRows("boxes", pred.boxes());
            writeInts("labels", pred.labels());
            writeDoubles("scores", pred.scores());
            g.writeArrayFieldStart("pairs");
            for (int[] pair : pred.pairs()) {
                g.writeArray(pair, 0, pair.length);
            }
            g.writeEndArray();
            writeRows("attention", pred.attention());
            writeRows("spatial", pred.spatial());
            writeRows("contacting", pred.contacting());
            g.writeEndObject();
            g.writeEndObject();
        }

        /** Frames written so far. */
        public int frames() {
            return frames;
        }

        /** Completes the JSON and moves the file into place. */
        public void finish() throws IOException {
            if (finished) {
                return;
            }
            try {
                g.writeRaw('\n');
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
                closed = true;
                g.close();
            } catch (IOException e) {
                throw failed(e);
            }
            try {
                AtomicFiles.moveIntoPlace(tmp, target);
            } catch (IOException e) {
                throw failed(e);
            }
            finished = true;
        }

        @Override
        public void close() throws IOException {
            try {
                if (!closed) {
                    closed = true;
                    g.close(); // may fail (a full disk): the temporary file goes all the same
                }
            } catch (IOException e) {
                if (finished) {
                    throw e;
                }
            } finally {
                if (!finished) {
                    Files.deleteIfExists(tmp);
                }
            }
        }

        private void writeDoubles(String name, double[] values) throws IOException {
            g.writeFieldName(name);
            g.writeArray(values, 0, values.length);
        }

        private void writeInts(String name, int[] values) throws IOException {
            g.writeFieldName(name);
            g.writeArray(values, 0, values.length);
        }

        private void writeRows(String name, double[][] rows) throws IOException {
            g.writeArrayFieldStart(name);
            for (double[] row : rows) {
                g.writeArray(row, 0, row.length);
            }
            g.writeEndArray();
        }
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** A streaming reader; one instance per file. */
    private static final class Reader {
        private final JsonParser p;
        private final String name;
        // Where we are, for messages.
        private int index = -1;
        private String video;
        private String frame;
        private double[] doubleBuf = new double[32];
        private int[] intBuf = new int[32];

        Reader(JsonParser p, String name) {
            this.p = p;
            this.name = name;
        }

        int readAll(Consumer<Entry> sink) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new KitException(name + ": expected a JSON object {\"frames\": [...]} at the top level");
            }
            boolean sawFrames = false;
            int count = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("frames")) {
                    p.skipChildren();
                    continue;
                }
                if (t != JsonToken.START_ARRAY) {
                    throw new KitException(name + ": \"frames\" must be an array, found " + describe(t));
                }
                sawFrames = true;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    index = count;
                    video = null;
                    frame = null;
                    if (t != JsonToken.START_OBJECT) {
                        throw error("is not an object (found " + describe(t) + ")");
                    }
                    sink.accept(readFrame());
                    count++;
                }
            }
            if (!sawFrames) {
                throw new KitException(name + ": missing the top-level \"frames\" array");
            }
            if (p.nextToken() != null) {
                throw new KitException(name + ": unexpected content after the top-level object (line "
                        + p.currentLocation().getLineNr() + ")");
            }
            return count;
        }

        private KitException error(String what) {
            StringBuilder sb = new StringBuilder(name).append(": frames[").append(index).append(']');
            if (video != null || frame != null) {
                sb.append(" (").append(video).append('/').append(frame).append(')');
            }
            return new KitException(sb.append(' ').append(what).toString());
        }

        private Entry readFrame() throws IOException {
            GtRaw gt = null;
            PredRaw pred = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "video" -> video = string(t, "video");
                    case "frame" -> frame = string(t, "frame");
                    case "gt" -> gt = readGt(t);
                    case "pred" -> pred = readPred(t);
                    default -> p.skipChildren();
                }
            }
            if (video == null) {
                throw error("is missing field video");
            }
            if (frame == null) {
                throw error("is missing field frame");
            }
            if (gt == null) {
                throw error("is missing field gt");
            }
            if (pred == null) {
                throw error("is missing field pred");
            }
            try {
                FramePrediction fp = new FramePrediction(pred.boxes, pred.labels, pred.scores, pred.pairs,
                        pred.attention, pred.spatial, pred.contacting);
                List<AgObject> objects = new ArrayList<>(gt.objects.size());
                for (ObjRaw o : gt.objects) {
                    objects.add(new AgObject(o.label, box(o.box), o.attention, o.spatial, o.contacting));
                }
                GroundTruthFrame g = new GroundTruthFrame(video, frame, box(gt.personBox), objects);
                return new Entry(g, fp);
            } catch (KitException e) {
                String msg = e.getMessage();
                String prefix = video + "/" + frame + ": ";
                throw error(msg.startsWith(prefix) ? msg.substring(prefix.length()) : msg);
            }
        }

        private static Box box(double[] b) {
            return new Box(b[0], b[1], b[2], b[3]);
        }

        private GtRaw readGt(JsonToken t) throws IOException {
            expectObject(t, "gt");
            GtRaw gt = new GtRaw();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "person_box" -> gt.personBox = doubles(v, "gt.person_box", 4);
                    case "objects" -> gt.objects = readObjects(v);
                    default -> p.skipChildren();
                }
            }
            if (gt.personBox == null) {
                throw error("is missing field gt.person_box");
            }
            if (gt.objects == null) {
                throw error("is missing field gt.objects");
            }
            return gt;
        }

        private List<ObjRaw> readObjects(JsonToken t) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                throw error("field gt.objects must be an array, found " + describe(t));
            }
            List<ObjRaw> out = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                String at = "gt.objects[" + out.size() + "]";
                expectObject(t, at);
                ObjRaw o = new ObjRaw();
                boolean hasLabel = false;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    switch (field) {
                        case "box" -> o.box = doubles(v, at + ".box", 4);
                        case "label" -> {
                            o.label = integer(v, at + ".label");
                            hasLabel = true;
                        }
                        case "attention" -> o.attention = ints(v, at + ".attention");
                        case "spatial" -> o.spatial = ints(v, at + ".spatial");
                        case "contacting" -> o.contacting = ints(v, at + ".contacting");
                        default -> p.skipChildren();
                    }
                }
                if (o.box == null) {
                    throw error("is missing field " + at + ".box");
                }
                if (!hasLabel) {
                    throw error("is missing field " + at + ".label");
                }
                if (o.attention == null) {
                    throw error("is missing field " + at + ".attention");
                }
                if (o.spatial == null) {
                    throw error("is missing field " + at + ".spatial");
                }
                if (o.contacting == null) {
                    throw error("is missing field " + at + ".contacting");
                }
                out.add(o);
            }
            return out;
        }

        private PredRaw readPred(JsonToken t) throws IOException {
            expectObject(t, "pred");
            PredRaw r = new PredRaw();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "boxes" -> r.boxes = rows(v, "pred.boxes", 4);
                    case "labels" -> r.labels = ints(v, "pred.labels");
                    case "scores" -> r.scores = doubles(v, "pred.scores", -1);
                    case "pairs" -> r.pairs = intRows(v, "pred.pairs", 2);
                    case "attention" -> r.attention = rows(v, "pred.attention", 3);
                    case "spatial" -> r.spatial = rows(v, "pred.spatial", 6);
                    case "contacting" -> r.contacting = rows(v, "pred.contacting", 17);
                    default -> p.skipChildren();
                }
            }
            String[] names = {"boxes", "labels", "scores", "pairs", "attention", "spatial", "contacting"};
            Object[] values = {r.boxes, r.labels, r.scores, r.pairs, r.attention, r.spatial, r.contacting};
            for (int i = 0; i < names.length; i++) {
                if (values[i] == null) {
                    throw error("is missing field pred." + names[i]);
                }
            }
            return r;
        }

        // ---------------------------------------------------------------------------------- typed values

        private void expectObject(JsonToken t, String field) {
            if (t != JsonToken.START_OBJECT) {
                throw error("field " + field + " must be an object, found " + describe(t));
            }
        }

        private String string(JsonToken t, String field) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                throw error("field " + field + " must be a string, found " + describe(t));
            }
            return p.getText();
        }

        private double number(JsonToken t, String field) throws IOException {
            if (t != JsonToken.VALUE_NUMBER_FLOAT && t != JsonToken.VALUE_NUMBER_INT) {
                throw error("field " + field + " must be a number, found " + describe(t));
            }
            return p.getDoubleValue();
        }

        private int integer(JsonToken t, String field) throws IOException {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                if (!p.getNumberType().equals(JsonParser.NumberType.INT)) {
                    throw error("field " + field + " = " + p.getText() + " is out of the integer range");
                }
                return p.getIntValue();
            }
            if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                // numpy float arrays written as JSON give "5.0": accept integral values.
                double d = p.getDoubleValue();
                if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) {
                    return (int) d;
                }
                throw error("field " + field + " = " + p.getText() + " must be an integer");
            }
            throw error("field " + field + " must be an integer, found " + describe(t));
        }

        /** A flat array of numbers; {@code width} >= 0 requires exactly that many. */
        private double[] doubles(JsonToken t, String field, int width) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                throw error("field " + field + " must be an array of numbers, found " + describe(t));
            }
            int n = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (n == doubleBuf.length) {
                    doubleBuf = Arrays.copyOf(doubleBuf, 2 * n);
                }
                doubleBuf[n] = number(t, field + "[" + n + "]");
                n++;
            }
            if (width >= 0 && n != width) {
                throw error("field " + field + " has " + n + " values, expected " + width);
            }
            return Arrays.copyOf(doubleBuf, n);
        }

        private int[] ints(JsonToken t, String field) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                throw error("field " + field + " must be an array of integers, found " + describe(t));
            }
            int n = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (n == intBuf.length) {
                    intBuf = Arrays.copyOf(intBuf, 2 * n);
                }
                intBuf[n] = integer(t, field + "[" + n + "]");
                n++;
            }
            return Arrays.copyOf(intBuf, n);
        }

        private double[][] rows(JsonToken t, String field, int width) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                throw error("field " + field + " must be an array of arrays, found " + describe(t));
            }
            List<double[]> out = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                out.add(doubles(t, field + "[" + out.size() + "]", width));
            }
            return out.toArray(new double[0][]);
        }

        private int[][] intRows(JsonToken t, String field, int width) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                throw error("field " + field + " must be an array of arrays, found " + describe(t));
            }
            List<int[]> out = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                String at = field + "[" + out.size() + "]";
                int[] row = ints(t, at);
                if (row.length != width) {
                    throw error("field " + at + " has " + row.length + " values, expected " + width);
                }
                out.add(row);
            }
            return out.toArray(new int[0][]);
        }

        private String describe(JsonToken t) {
            if (t == null) {
                return "the end of the file";
            }
            return switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "a string";
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
                case VALUE_TRUE, VALUE_FALSE -> "a boolean";
                case VALUE_NULL -> "null";
                default -> t.toString();
            };
        }
    }

    private static final class GtRaw {
        double[] personBox;
        List<ObjRaw> objects;
    }

    private static final class ObjRaw {
        double[] box;
        int label;
        int[] attention;
        int[] spatial;
        int[] contacting;
    }

    private static final class PredRaw {
        double[][] boxes;
        int[] labels;
        double[] scores;
        int[][] pairs;
        double[][] attention;
        double[][] spatial;
        double[][] contacting;
    }
}
