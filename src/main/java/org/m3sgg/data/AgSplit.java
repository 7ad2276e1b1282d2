package org.m3sgg.data;

import java.util.List;

/**
 * One loaded split: the kept videos in the order their first frame appears in {@code person_bbox.pkl}, and the
 * loader's counters.
 *
 * @param split {@code train} or {@code test}
 * @param filterSmall whether the filtersmall object file was read (SGCLS/SGDET)
 */
public record AgSplit(String split, boolean filterSmall, LoadOptions options, List<AgVideo> videos,
        LoaderCounts counts) {

    public AgSplit {
        videos = List.copyOf(videos);
    }

    /** Frames in the kept videos (unlike {@link LoaderCounts#frames}, which also counts dropped videos). */
    public int frameCount() {
        int n = 0;
        for (AgVideo v : videos) {
            n += v.frames().size();
        }
        return n;
    }

    /** The name {@code data stats} gives this split: {@code train}, {@code train_filtersmall}, ... */
    public String name() {
        return split + (filterSmall ? "_filtersmall" : "");
    }
}
