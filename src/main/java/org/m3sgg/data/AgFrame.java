package org.m3sgg.data;

import java.util.List;

/**
 * One kept frame: its key ({@code 001YG.mp4/000089.png}), the person box and the visible objects in annotation
 * order. In STTran's terms this is {@code gt_annotation[v][f]}: index 0 the person, then the objects.
 */
public record AgFrame(String key, Box personBox, List<AgObject> objects) {

    public AgFrame {
        objects = List.copyOf(objects);
    }

    /** The video id part of the key, with its {@code .mp4}. */
    public String videoId() {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /** The frame file name part of the key ({@code 000089.png}). */
    public String frameName() {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    /** The 1-based ffmpeg frame number encoded in the key ({@code 000089.png} -> 89), or -1 if it has none. */
    public int frameNumber() {
        String name = frameName();
        int dot = name.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? name : name.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public int relationCount() {
        int n = 0;
        for (AgObject o : objects) {
            n += o.relationCount();
        }
        return n;
    }
}
