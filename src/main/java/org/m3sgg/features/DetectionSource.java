package org.m3sgg.features;

import org.m3sgg.sgdet.BoxHead;

/**
 * Where SGDET gets a video's detections from: a detections folder ({@link DetectionFolder}, any detector's output
 * in the documented format) or the synthetic world's detector computed on the fly
 * ({@code org.m3sgg.synth.WorldDetections}). Both give the same {@link VideoDetections}.
 */
public interface DetectionSource {

    DetectionsMeta meta();

    /** Whether the source has detections for a video ({@code VID.mp4}). */
    boolean hasVideo(String videoId);

    /** The detections of one video; a {@code KitException} naming the video when there are none. */
    VideoDetections video(String videoId);

    /** The detector's box head (features of boxes it missed), or null when the source has none. */
    BoxHead head();
}
