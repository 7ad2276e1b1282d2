package org.m3sgg.extract;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.m3sgg.api.KitException;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgSplit;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Box;
import org.m3sgg.data.LoadOptions;
import org.m3sgg.data.Vocabulary;

/**
 * Which frames and ground-truth boxes feature extraction visits: every frame the loader keeps, in the train and the
 * test split, with the full object file (PredCLS) and, when present, the filtersmall file (SGCLS, SGDET). A frame
 * kept by any of these loads is planned once with the union of its boxes (the person, label 1, and each visible
 * object; in Action Genome a class occurs at most once per frame, so (frame, label) names one box). Videos are in
 * loader order (train, then test), frames by ascending frame number.
 */
public final class ExtractPlan {

    /** One ground-truth box of a frame: its label (1 = person) and its box in original pixels. */
    public record GtBox(int label, Box box) {}

    /** One planned frame: its key ({@code VID.mp4/000089.png}), frame number and boxes (the person first). */
    public record PlannedFrame(String key, int number, List<GtBox> boxes) {
        public PlannedFrame {
            boxes = List.copyOf(boxes);
        }
    }

    /** One planned video and its frames. */
    public record PlannedVideo(String id, List<PlannedFrame> frames) {
        public PlannedVideo {
            frames = List.copyOf(frames);
        }
    }

    private final List<PlannedVideo> videos;
    private final boolean filterSmall;

    private ExtractPlan(List<PlannedVideo> videos, boolean filterSmall) {
        this.videos = List.copyOf(videos);
        this.filterSmall = filterSmall;
    }

    /** The plan of an Action Genome folder (annotation errors are the loader's {@code KitException}s). */
    public static ExtractPlan of(ActionGenome ag) {
        boolean small = Files.isRegularFile(ag.objectFile(true));
        List<AgSplit> loads = new ArrayList<>();
        for (String split : List.of("train", "test")) {
            loads.add(ag.load(split, false, LoadOptions.DEFAULT));
        }
        if (small) {
            for (String split : List.of("train", "test")) {
                loads.add(ag.load(split, true, LoadOptions.DEFAULT));
            }
        }
        // video id -> frame number -> (label -> box), keys kept for errors
        Map<String, TreeMap<Integer, Map<Integer, Box>>> boxes = new LinkedHashMap<>();
        Map<String, String> keys = new LinkedHashMap<>();
        for (AgSplit s : loads) {
            for (AgVideo v : s.videos()) {
                TreeMap<Integer, Map<Integer, Box>> frames = boxes.computeIfAbsent(v.id(), k -> new TreeMap<>());
                for (AgFrame f : v.frames()) {
                    int number = f.frameNumber();
                    String old = keys.putIfAbsent(v.id() + "#" + number, f.key());
                    if (old != null && !old.equals(f.key())) {
                        throw new KitException("frame keys " + old + " and " + f.key() + " have the same frame number "
                                + number + " in video " + v.id());
                    }
                    Map<Integer, Box> m = frames.computeIfAbsent(number, k -> new LinkedHashMap<>());
                    put(m, f.key(), Vocabulary.PERSON, f.personBox());
                    for (AgObject o : f.objects()) {
                        put(m, f.key(), o.label(), o.box());
                    }
                }
            }
        }
        List<PlannedVideo> out = new ArrayList<>();
        boxes.forEach((id, frames) -> {
            List<PlannedFrame> pf = new ArrayList<>();
            frames.forEach((number, m) -> {
                List<GtBox> b = new ArrayList<>();
                m.forEach((label, box) -> b.add(new GtBox(label, box)));
                pf.add(new PlannedFrame(keys.get(id + "#" + number), number, b));
            });
            out.add(new PlannedVideo(id, pf));
        });
        return new ExtractPlan(out, small);
    }

    private static void put(Map<Integer, Box> m, String key, int label, Box box) {
        Box old = m.putIfAbsent(label, box);
        if (old != null && !old.equals(box)) {
            throw new KitException("frame " + key + ": label " + label + " (" + Vocabulary.OBJECT_CLASSES.get(label)
                    + ") has box " + old + " in one object file and " + box + " in the other: expected the same box");
        }
    }

    public List<PlannedVideo> videos() {
        return videos;
    }

    /** Whether the filtersmall object file was found and its frames planned too. */
    public boolean filterSmall() {
        return filterSmall;
    }

    /** Frames over all videos. */
    public long frameCount() {
        long n = 0;
        for (PlannedVideo v : videos) {
            n += v.frames().size();
        }
        return n;
    }

    /**
     * The videos {@code --videos} selects: the first {@code first} (0: all) or those listed (in the plan's order);
     * a listed video that is not in the plan is an error naming it.
     */
    public ExtractPlan select(VideoSelection sel) {
        if (sel == null || sel.all()) {
            return this;
        }
        if (!sel.ids().isEmpty()) {
            Map<String, PlannedVideo> byId = new LinkedHashMap<>();
            for (PlannedVideo v : videos) {
                byId.put(v.id(), v);
            }
            for (String id : sel.ids()) {
                if (!byId.containsKey(id)) {
                    throw new KitException("--videos: video " + id + " has no frame the loader keeps (expected one of "
                            + "the " + videos.size() + " videos of the annotations, e.g. "
                            + (videos.isEmpty() ? "none" : videos.get(0).id()) + ")");
                }
            }
            List<PlannedVideo> out = new ArrayList<>();
            for (PlannedVideo v : videos) {
                if (sel.ids().contains(v.id())) {
                    out.add(v);
                }
            }
            return new ExtractPlan(out, filterSmall);
        }
        return new ExtractPlan(videos.subList(0, Math.min(sel.first(), videos.size())), filterSmall);
    }
}
