package org.m3sgg.data;

/**
 * How {@link ActionGenome#load} filters the annotations beyond what STTran's loader does.
 *
 * @param keepTwoFrameVideos keep videos left with exactly two usable frames. STTran's loader drops them (its test
 *     is {@code len(video) > 2}) and counts them with the person-less videos; the default reproduces that.
 */
public record LoadOptions(boolean keepTwoFrameVideos) {

    /** STTran's behaviour: two-frame videos are dropped. */
    public static final LoadOptions DEFAULT = new LoadOptions(false);

    /** The fewest usable frames a video needs to be kept. */
    public int minFramesPerVideo() {
        return keepTwoFrameVideos ? 2 : 3;
    }
}
