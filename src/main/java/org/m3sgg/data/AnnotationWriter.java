package org.m3sgg.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.data.pickle.NumpyArray;
import org.m3sgg.data.pickle.PickleWriter;

/**
 * Writes an Action Genome annotation folder in the released layout: {@code annotations/person_bbox.pkl},
 * {@code object_bbox_and_relationship.pkl}, {@code object_bbox_and_relationship_filtersmall.pkl},
 * {@code object_classes.txt}, {@code relationship_classes.txt} and {@code frame_list.txt}. STTran's own Python
 * loader reads what this writes. Person keypoints are not written (the kit never reads them, and a synthetic
 * world has none).
 */
public final class AnnotationWriter {

    /** The raw spellings of {@code annotations/object_classes.txt} (no background, no slashes). */
    public static final List<String> RAW_OBJECT_CLASSES = Vocabulary.OBJECT_CLASSES.subList(1, 37).stream()
            .map(s -> s.replace("/", "")).toList();

    /** The raw spellings of {@code annotations/relationship_classes.txt} (no underscores). */
    public static final List<String> RAW_RELATIONSHIP_CLASSES = Vocabulary.PREDICATES.stream()
            .map(s -> s.replace("_", "")).toList();

    /** Short-edge threshold (pixels) of the filtersmall file: boxes with a shorter edge are dropped. */
    public static final double FILTER_SMALL_EDGE = 16;

    private AnnotationWriter() {}

    /** Writes every file of the annotation folder under {@code dataPath/annotations}, each atomically. */
    public static void write(Path dataPath, List<RawAnnotations.Frame> frames) {
        Path dir = dataPath.resolve("annotations");
        Map<String, Object> persons = new LinkedHashMap<>();
        Map<String, Object> objects = new LinkedHashMap<>();
        Map<String, Object> small = new LinkedHashMap<>();
        StringBuilder frameList = new StringBuilder();
        for (RawAnnotations.Frame f : frames) {
            persons.put(f.key(), personRecord(f));
            List<Object> all = new ArrayList<>();
            List<Object> kept = new ArrayList<>();
            for (RawAnnotations.ObjectEntry o : f.objects()) {
                all.add(objectRecord(f, o, o.visible()));
                if (!o.visible() || Math.min(o.xywh()[2], o.xywh()[3]) >= FILTER_SMALL_EDGE) {
                    kept.add(objectRecord(f, o, o.visible()));
                }
            }
            if (kept.isEmpty() && !f.objects().isEmpty()) {
                // keep the key loadable, as the reference filtersmall file does: its first object, invisible
                RawAnnotations.ObjectEntry first = f.objects().get(0);
                kept.add(objectRecord(f, first, false));
            }
            objects.put(f.key(), all);
            small.put(f.key(), kept);
            frameList.append(f.key()).append('\n');
        }
        PickleWriter.write(dir.resolve("person_bbox.pkl"), persons);
        PickleWriter.write(dir.resolve("object_bbox_and_relationship.pkl"), objects);
        PickleWriter.write(dir.resolve("object_bbox_and_relationship_filtersmall.pkl"), small);
        writeText(dir.resolve("object_classes.txt"), String.join("\n", RAW_OBJECT_CLASSES) + "\n");
        writeText(dir.resolve("relationship_classes.txt"), String.join("\n", RAW_RELATIONSHIP_CLASSES) + "\n");
        writeText(dir.resolve("frame_list.txt"), frameList.toString());
    }

    private static Map<String, Object> personRecord(RawAnnotations.Frame f) {
        Map<String, Object> p = new LinkedHashMap<>();
        Box b = f.personBox();
        if (b == null) {
            p.put("bbox", NumpyArray.ofFloats(new float[0], 0, 4));
            p.put("bbox_score", NumpyArray.ofFloats(new float[0], 0));
        } else {
            p.put("bbox", NumpyArray.ofFloats(new float[] {(float) b.x1(), (float) b.y1(), (float) b.x2(),
                (float) b.y2()}, 1, 4));
            p.put("bbox_score", NumpyArray.ofFloats(new float[] {(float) f.personScore()}, 1));
        }
        p.put("bbox_size", new Object[] {f.width(), f.height()});
        p.put("bbox_mode", "xyxy");
        return p;
    }

    private static Map<String, Object> objectRecord(RawAnnotations.Frame f, RawAnnotations.ObjectEntry o,
            boolean visible) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class", o.className());
        double[] b = visible ? o.xywh() : null;
        m.put("bbox", b == null ? null : new Object[] {b[0], b[1], b[2], b[3]});
        m.put("attention_relationship", o.attention() == null ? null : new ArrayList<>(o.attention()));
        m.put("spatial_relationship", o.spatial() == null ? null : new ArrayList<>(o.spatial()));
        m.put("contacting_relationship", o.contacting() == null ? null : new ArrayList<>(o.contacting()));
        Map<String, Object> meta = new LinkedHashMap<>();
        String video = f.key().substring(0, f.key().indexOf('/'));
        String frame = f.key().substring(f.key().indexOf('/') + 1).replace(".png", "");
        meta.put("tag", video + "/" + o.className() + "/" + frame);
        meta.put("set", o.set());
        m.put("metadata", meta);
        m.put("visible", visible);
        return m;
    }

    static void writeText(Path file, String text) {
        AtomicFiles.writeString(file, text);
    }
}
