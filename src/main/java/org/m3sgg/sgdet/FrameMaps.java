package org.m3sgg.sgdet;

import org.m3sgg.api.KitException;

/**
 * The frame-level feature maps of one video: what STTran calls {@code FINAL_BASE_FEATURES} (the detector's
 * layer-3 output, stride 16 over the resized frame) with each frame's resize factor ({@code im_info[:, 2]}).
 * Union features of any pair, and features of boxes the detector missed, are pooled from them on demand
 * ({@link RoiAlign}).
 *
 * @param frames       T
 * @param channels     C
 * @param height       H (cells)
 * @param width        W (cells)
 * @param data         [T, C, H, W] in C order
 * @param scales       [T] blob pixels per original pixel (boxes in blob coordinates = original boxes * scale)
 * @param spatialScale map cells per blob pixel (1/16 for STTran's detector)
 */
public record FrameMaps(int frames, int channels, int height, int width, float[] data, float[] scales,
        float spatialScale) {

    public static final float STRIDE_16 = 1f / 16;

    public FrameMaps {
        if (frames < 0 || channels < 1 || height < 1 || width < 1) {
            throw new KitException("frame maps: bad size T=" + frames + ", C=" + channels + ", H=" + height
                    + ", W=" + width);
        }
        if ((long) frames * channels * height * width != data.length) {
            throw new KitException("frame maps: " + data.length + " values, expected T*C*H*W = "
                    + ((long) frames * channels * height * width));
        }
        if (scales.length != frames) {
            throw new KitException("frame maps: " + scales.length + " scales for " + frames + " frames");
        }
        if (!(spatialScale > 0)) {
            throw new KitException("frame maps: spatial scale must be positive, got " + spatialScale);
        }
    }

    /** Values of one frame's map: C * H * W. */
    public int frameLength() {
        return channels * height * width;
    }

    /** Offset of frame {@code t}'s map in {@link #data}. */
    public int offset(int t) {
        if (t < 0 || t >= frames) {
            throw new KitException("frame maps: frame index " + t + " outside 0.." + (frames - 1));
        }
        return t * frameLength();
    }
}
