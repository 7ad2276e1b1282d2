package org.m3sgg.sgdet;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 2, STTran's {@code ObjectClassifier.clean_class(c)}: per frame, the frame's rows unchanged, then a copy of
 * every row labelled {@code c} whose distribution has column {@code c - 1} set to 0 and whose label is the new
 * argmax + 1. Rows are duplicated, not relabelled; frames stay contiguous (frame 0's rows, frame 0's copies,
 * frame 1's rows ...); a later call copies earlier copies again (chains such as 5 -> 8). Scores are not carried
 * (the result has none), as in the reference.
 */
public final class CleanClass {

    private CleanClass() {}

    /** One call for class {@code c} (1..36) over frames 0..frames-1. */
    public static BoxSet apply(BoxSet in, int c, int frames) {
        int[] starts = in.frameStarts(frames);
        List<float[]> boxes = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        List<float[]> dist = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int t = 0; t < frames; t++) {
            for (int i = starts[t]; i < starts[t + 1]; i++) {
                boxes.add(in.boxes()[i]);
                feats.add(in.features()[i]);
                dist.add(in.distribution()[i]);
                labels.add(in.labels()[i]);
            }
            for (int i = starts[t]; i < starts[t + 1]; i++) {
                if (in.labels()[i] != c) {
                    continue;
                }
                float[] d = in.distribution()[i].clone();
                d[c - 1] = 0;
                boxes.add(in.boxes()[i]);
                feats.add(in.features()[i]);
                dist.add(d);
                labels.add(DetectorTail.argmax(d, 0) + 1);
            }
        }
        return new BoxSet(boxes.toArray(new float[0][]), feats.toArray(new float[0][]),
                dist.toArray(new float[0][]), labels.stream().mapToInt(Integer::intValue).toArray(), null);
    }

    /** The calls for {@code classes} in order. */
    public static BoxSet applyAll(BoxSet in, int[] classes, int frames) {
        BoxSet s = new BoxSet(in.boxes(), in.features(), in.distribution(), in.labels(), null);
        for (int c : classes) {
            s = apply(s, c, frames);
        }
        return s;
    }
}
