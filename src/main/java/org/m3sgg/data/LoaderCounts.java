package org.m3sgg.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the loader kept and dropped for one split and object file, with STTran's meaning of each counter.
 *
 * @param videos videos kept
 * @param frames frames with a person box among the frames that passed the split and visibility filters, counted
 *     in every video, kept or not (STTran's {@code valid_nums})
 * @param framesWithoutPerson frames dropped because the person detector found nobody ({@code non_gt_human_nums})
 * @param videosOneFrame videos dropped with a single usable frame ({@code one_frame_video})
 * @param videosNoPersonOrTwoFrames videos dropped otherwise: no usable frame, or exactly two unless
 *     {@link LoadOptions#keepTwoFrameVideos} ({@code non_person_video})
 * @param objects visible objects in the kept videos
 * @param relations relation triplets in the kept videos (attention + spatial + contacting labels of each object)
 */
public record LoaderCounts(int videos, int frames, int framesWithoutPerson, int videosOneFrame,
        int videosNoPersonOrTwoFrames, long objects, long relations) {

    /** The key names, as {@code reference_counts.json} and {@code m3sgg data stats --json} spell them. */
    public static final List<String> KEYS = List.of("videos", "frames", "frames_without_person", "videos_one_frame",
            "videos_no_person_or_two_frames", "objects", "relations");

    /** The counters under {@link #KEYS}, in that order. */
    public Map<String, Long> toMap() {
        long[] v = {videos, frames, framesWithoutPerson, videosOneFrame, videosNoPersonOrTwoFrames, objects,
            relations};
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < v.length; i++) {
            m.put(KEYS.get(i), v[i]);
        }
        return m;
    }
}
