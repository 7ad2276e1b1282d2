package org.m3sgg.data;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Problem.Kind;
import org.m3sgg.data.pickle.NumpyArray;

/**
 * Turns the values of Action Genome's pickles into the kit's records, checking every value it reads. The loader
 * and {@code data validate} share it: the loader's sink throws on the first problem, the validator's collects
 * them all and the parse goes on with the next frame.
 */
final class AnnotationParser {

    /** Where problems go. */
    interface Sink {
        void report(Problem p);
    }

    /** The loader's sink: the first problem becomes a {@link KitException}. */
    static final Sink THROW = p -> {
        throw new KitException(p.format());
    };

    private static final Map<String, Integer> OBJECT_IDS = index(Vocabulary.OBJECT_CLASSES);
    private static final Map<String, Integer> ATTENTION_IDS = index(Vocabulary.ATTENTION);
    private static final Map<String, Integer> SPATIAL_IDS = index(Vocabulary.SPATIAL);
    private static final Map<String, Integer> CONTACTING_IDS = index(Vocabulary.CONTACTING);

    private AnnotationParser() {}

    /** A {@code person_bbox.pkl} record: the person box ({@code null} when nobody was detected) and frame size. */
    record Person(Box box, int width, int height) {}

    /**
     * A frame's {@code object_bbox_and_relationship*.pkl} list, reduced to what the loader uses.
     *
     * @param set {@code metadata.set} of the FIRST object, which decides the frame's split in STTran
     * @param visible the visible objects, converted, in file order (empty when none is visible)
     */
    record FrameObjects(String set, AgObject[] visible) {}

    /**
     * True when {@code key} has the form {@code VID.mp4/NNNNNN.png}; reports a problem otherwise. Hand-written
     * rather than a regex because it runs on every key of every file.
     */
    static boolean checkKey(String file, Object key, Sink sink) {
        if (!(key instanceof String k)) {
            sink.report(new Problem(Kind.BAD_KEY, file, describeKey(key),
                    "frame key is a " + typeName(key) + ", expected a string 'VID.mp4/NNNNNN.png'"));
            return false;
        }
        int slash = k.indexOf('/');
        boolean ok = slash > 4 && k.startsWith(".mp4", slash - 4) && k.length() == slash + 11
                && k.endsWith(".png");
        for (int i = slash + 1; ok && i < slash + 7; i++) {
            ok = k.charAt(i) >= '0' && k.charAt(i) <= '9';
        }
        if (!ok) {
            sink.report(new Problem(Kind.BAD_KEY, file, k,
                    "frame key is not of the form 'VID.mp4/NNNNNN.png' (six-digit frame number)"));
        }
        return ok;
    }

    /** Parses one {@code person_bbox.pkl} value; returns {@code null} after reporting a problem. */
    static Person person(String file, String key, Object value, boolean strict, Sink sink) {
        if (!(value instanceof Map<?, ?> m)) {
            sink.report(wrongType(file, key, "person record", value, "a dict"));
            return null;
        }
        Object bbox = m.get("bbox");
        if (!(bbox instanceof NumpyArray a)) {
            if (bbox == null && !m.containsKey("bbox")) {
                sink.report(new Problem(Kind.WRONG_TYPE, file, key, "person record has no 'bbox'"));
            } else {
                sink.report(wrongType(file, key, "person 'bbox'", bbox, "a float array of shape (0,4) or (1,4)"));
            }
            return null;
        }
        int[] shape = a.shape();
        if (shape.length != 2 || shape[1] != 4 || shape[0] > 1) {
            sink.report(new Problem(Kind.WRONG_TYPE, file, key, "person 'bbox' has shape "
                    + java.util.Arrays.toString(shape) + ", expected (0,4) or (1,4)"));
            return null;
        }
        Box box = null;
        if (shape[0] == 1) {
            double[] v;
            try {
                v = a.toDoubles();
            } catch (IllegalStateException e) {
                sink.report(new Problem(Kind.WRONG_TYPE, file, key, "person 'bbox' " + e.getMessage()));
                return null;
            }
            box = new Box(v[0], v[1], v[2], v[3]); // already xyxy
            if (!checkBox(file, key, "person box", box, sink)) {
                return null;
            }
        }
        Object size = m.get("bbox_size");
        Object[] wh = asSequence(size);
        if (wh == null || wh.length != 2 || !isInteger(wh[0]) || !isInteger(wh[1])) {
            sink.report(wrongType(file, key, "person 'bbox_size'", size, "a tuple (width, height) of integers"));
            return null;
        }
        Object mode = m.get("bbox_mode");
        if (mode != null && !"xyxy".equals(mode)) {
            sink.report(new Problem(Kind.WRONG_TYPE, file, key,
                    "person 'bbox_mode' is " + describe(mode) + ", expected 'xyxy'"));
            return null;
        }
        return new Person(box, ((Number) wh[0]).intValue(), ((Number) wh[1]).intValue());
    }

    /**
     * Parses one object list. Invisible objects are only looked at for their flag and split, as STTran does,
     * unless {@code strict} (the validator), which also checks their class name.
     */
    static FrameObjects objects(String file, String key, Object value, boolean strict, Sink sink) {
        if (!(value instanceof List<?> list)) {
            sink.report(wrongType(file, key, "object list", value, "a list of object dicts"));
            return null;
        }
        if (list.isEmpty()) {
            // STTran reads object_bbox[key][0]['metadata'] for every frame
            sink.report(new Problem(Kind.WRONG_TYPE, file, key, "object list is empty, expected at least one object"));
            return null;
        }
        String set = null;
        List<AgObject> visible = new ArrayList<>(list.size());
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> o)) {
                sink.report(wrongType(file, key, "object " + i, list.get(i), "a dict"));
                ok = false;
                continue;
            }
            Object cls = o.get("class");
            Where where = new Where(i, cls);
            String objSet = split(file, key, where, o.get("metadata"), sink);
            if (objSet == null) {
                ok = false;
            } else if (i == 0) {
                set = objSet;
            }
            Object vis = o.get("visible");
            if (!(vis instanceof Boolean)) {
                sink.report(wrongType(file, key, where + " 'visible'", vis, "True or False"));
                ok = false;
                continue;
            }
            if (!(Boolean) vis) {
                if (strict && classId(file, key, where, cls, sink) < 0) {
                    ok = false;
                }
                continue;
            }
            AgObject parsed = visibleObject(file, key, where, o, cls, sink);
            if (parsed == null) {
                ok = false;
            } else {
                visible.add(parsed);
            }
        }
        return ok ? new FrameObjects(set, visible.toArray(new AgObject[0])) : null;
    }

    /** Names an object in messages ({@code object 2 (chair)}); the text is built only when a problem is reported. */
    private record Where(int index, Object cls) {
        @Override
        public String toString() {
            return "object " + index + (cls instanceof String c ? " (" + c + ")" : "");
        }
    }

    private static AgObject visibleObject(String file, String key, Where where, Map<?, ?> o, Object cls,
            Sink sink) {
        int label = classId(file, key, where, cls, sink);
        Object raw = o.get("bbox");
        Object[] xywh = asSequence(raw);
        if (raw == null) {
            sink.report(new Problem(Kind.MISSING_BOX, file, key, where + " is visible but has no 'bbox'"));
            return null;
        }
        if (xywh == null || xywh.length != 4 || !allNumbers(xywh)) {
            sink.report(wrongType(file, key, where + " 'bbox'", raw, "a tuple (x, y, w, h) of 4 numbers"));
            return null;
        }
        Box box = Box.fromXywh(num(xywh[0]), num(xywh[1]), num(xywh[2]), num(xywh[3]));
        boolean boxOk = box.isValid() || checkBox(file, key, where + " box (x, y, w, h) = "
                + java.util.Arrays.toString(xywh), box, sink);
        int[] att = predicates(file, key, where, "attention_relationship", o, ATTENTION_IDS, sink);
        if (att != null && att.length != 1) {
            // the evaluator (and the reference's, which indexes a list with it) reads exactly one per object
            sink.report(new Problem(Kind.WRONG_TYPE, file, key, where + " has " + att.length
                    + " attention labels, expected exactly 1 (as every Action Genome object has)"));
            att = null;
        }
        int[] spa = predicates(file, key, where, "spatial_relationship", o, SPATIAL_IDS, sink);
        int[] con = predicates(file, key, where, "contacting_relationship", o, CONTACTING_IDS, sink);
        if (label < 0 || !boxOk || att == null || spa == null || con == null) {
            return null;
        }
        return new AgObject(label, box, att, spa, con);
    }

    private static int classId(String file, String key, Where where, Object cls, Sink sink) {
        if (!(cls instanceof String c)) {
            sink.report(wrongType(file, key, where + " 'class'", cls, "an object class name"));
            return -1;
        }
        Integer id = OBJECT_IDS.get(c);
        if (id == null || id == 0) {
            sink.report(new Problem(Kind.UNKNOWN_NAME, file, key, where + ": unknown object class '" + c
                    + "', expected one of " + Vocabulary.OBJECT_CLASSES.subList(1, Vocabulary.NUM_OBJECT_CLASSES)));
            return -1;
        }
        return id;
    }

    private static String split(String file, String key, Where where, Object meta, Sink sink) {
        if (!(meta instanceof Map<?, ?> m)) {
            sink.report(wrongType(file, key, where + " 'metadata'", meta, "a dict with 'set'"));
            return null;
        }
        Object set = m.get("set");
        if (!"train".equals(set) && !"test".equals(set)) {
            sink.report(new Problem(Kind.WRONG_TYPE, file, key,
                    where + " 'metadata.set' is " + describe(set) + ", expected 'train' or 'test'"));
            return null;
        }
        return (String) set;
    }

    private static int[] predicates(String file, String key, Where where, String field, Map<?, ?> o,
            Map<String, Integer> ids, Sink sink) {
        Object raw = o.get(field);
        Object[] names = raw instanceof NumpyArray ? null : asSequence(raw);
        if (names == null) {
            sink.report(wrongType(file, key, where + " '" + field + "'", raw, "a list of predicate names"));
            return null;
        }
        int[] out = new int[names.length];
        for (int j = 0; j < names.length; j++) {
            Integer id = names[j] instanceof String s ? ids.get(s) : null;
            if (id == null) {
                Kind kind = names[j] instanceof String ? Kind.UNKNOWN_NAME : Kind.WRONG_TYPE;
                sink.report(new Problem(kind, file, key, where + ": unknown " + field.replace("_relationship", "")
                        + " predicate " + describe(names[j]) + ", expected one of " + ids.keySet().stream()
                                .sorted(java.util.Comparator.comparing(ids::get)).toList()));
                return null;
            }
            out[j] = id;
        }
        return out;
    }

    /** Reports NaN/infinite coordinates and inverted boxes (x2 < x1 or y2 < y1, i.e. negative w or h). */
    static boolean checkBox(String file, String key, String what, Box b, Sink sink) {
        if (b.isValid()) {
            return true;
        }
        boolean finite = Double.isFinite(b.x1()) && Double.isFinite(b.y1()) && Double.isFinite(b.x2())
                && Double.isFinite(b.y2());
        sink.report(new Problem(Kind.BAD_BOX, file, key, what + (finite
                ? " is inverted " + box(b) + ", expected x2 >= x1 and y2 >= y1"
                : " has a NaN or infinite coordinate " + box(b) + ", expected finite pixels")));
        return false;
    }

    private static String box(Box b) {
        return "(x1, y1, x2, y2) = (" + b.x1() + ", " + b.y1() + ", " + b.x2() + ", " + b.y2() + ")";
    }

    /** A Python tuple or list as an array; {@code null} for anything else. A 1-d numpy array counts too. */
    static Object[] asSequence(Object o) {
        if (o instanceof Object[] t) {
            return t;
        }
        if (o instanceof List<?> l) {
            return l.toArray();
        }
        if (o instanceof NumpyArray a && a.rank() == 1) {
            try {
                double[] v = a.toDoubles();
                Object[] out = new Object[v.length];
                for (int i = 0; i < v.length; i++) {
                    out[i] = v[i];
                }
                return out;
            } catch (IllegalStateException e) {
                return null;
            }
        }
        return null;
    }

    private static boolean allNumbers(Object[] a) {
        for (Object x : a) {
            if (!(x instanceof Number) || x instanceof Boolean) {
                return false;
            }
        }
        return true;
    }

    private static boolean isInteger(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short) {
            return true;
        }
        return o instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d);
    }

    private static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    static Problem wrongType(String file, String key, String what, Object value, String expected) {
        return new Problem(Kind.WRONG_TYPE, file, key, what + " is " + describe(value) + ", expected " + expected);
    }

    static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof NumpyArray) {
            return typeName(v) + " " + v;
        }
        return "a " + typeName(v);
    }

    /** A key that is not a string, printed as Python would show it (bytes as b'...', not as a Java array). */
    static String describeKey(Object key) {
        if (key instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("b'");
            for (byte x : b) {
                int c = x & 0xff;
                sb.append(c >= 0x20 && c < 0x7f && c != '\'' && c != '\\' ? String.valueOf((char) c)
                        : String.format("\\x%02x", c));
            }
            return sb.append('\'').toString();
        }
        if (key instanceof Object[] t) {
            return java.util.Arrays.stream(t).map(AnnotationParser::describeKey)
                    .collect(java.util.stream.Collectors.joining(", ", "(", t.length == 1 ? ",)" : ")"));
        }
        return String.valueOf(key);
    }

    static String typeName(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Map) {
            return "dict";
        }
        if (v instanceof List) {
            return "list";
        }
        if (v instanceof Object[]) {
            return "tuple";
        }
        if (v instanceof String) {
            return "str";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof Double || v instanceof Float) {
            return "float";
        }
        if (v instanceof Number) {
            return "int";
        }
        if (v instanceof NumpyArray) {
            return "numpy array";
        }
        if (v instanceof byte[]) {
            return "bytes";
        }
        return v.getClass().getSimpleName();
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            m.put(names.get(i), i);
        }
        return m;
    }
}
