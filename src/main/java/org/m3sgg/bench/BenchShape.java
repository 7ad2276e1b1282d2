package org.m3sgg.bench;

/**
 * The sizes of one benchmark video: P relation pairs spread evenly over T frames, one person box per frame plus
 * one object box per pair (so N = P + T boxes, as in Action Genome's PredCLS layout), and the R rows of STTran's
 * stacked temporal windows.
 *
 * @param pairs      P
 * @param frames     T
 * @param boxes      N
 * @param windowRows R: window j (0 .. T-2) holds the pairs of frames j and j + 1, so R = sum_j (c_j + c_{j+1});
 *                   a single frame has one dummy row
 * @param perFrame   pairs in each frame (the first P mod T frames get one more)
 */
public record BenchShape(int pairs, int frames, int boxes, int windowRows, int[] perFrame) {

    public BenchShape {
        perFrame = perFrame.clone();
    }

    /** P pairs over T frames, as even as possible. */
    public static BenchShape uniform(int pairs, int frames) {
        if (pairs < 1 || frames < 1 || frames > pairs) {
            throw new org.m3sgg.api.KitException("bench: need 1 <= frames <= pairs, got " + pairs + " pairs over "
                    + frames + " frames");
        }
        int[] per = new int[frames];
        for (int f = 0; f < frames; f++) {
            per[f] = pairs / frames + (f < pairs % frames ? 1 : 0);
        }
        int r = 0;
        for (int j = 0; j + 1 < frames; j++) {
            r += per[j] + per[j + 1];
        }
        return new BenchShape(pairs, frames, pairs + frames, Math.max(r, 1), per);
    }

    @Override
    public int[] perFrame() {
        return perFrame.clone();
    }
}
