package org.m3sgg.data;

import java.util.List;

/**
 * A kept video: its frames in file order (which the temporal models take as time order) and the frame size
 * {@code (width, height)} taken from the last kept frame's person record, as STTran does.
 */
public record AgVideo(String id, List<AgFrame> frames, int width, int height) {

    public AgVideo {
        frames = List.copyOf(frames);
    }

    public int objectCount() {
        int n = 0;
        for (AgFrame f : frames) {
            n += f.objects().size();
        }
        return n;
    }

    public int relationCount() {
        int n = 0;
        for (AgFrame f : frames) {
            n += f.relationCount();
        }
        return n;
    }
}
