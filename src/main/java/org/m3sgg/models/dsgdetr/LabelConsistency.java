package org.m3sgg.models.dsgdetr;

/**
 * DSG-DETR's claim in numbers: how often an object keeps its predicted label from one appearance to the next.
 * Objects are identified by their ground-truth label within a video (Action Genome annotates at most one instance
 * of a class per frame); for every object, each consecutive pair of its appearances (in box order, which is frame
 * order) counts once, and agrees when both boxes got the same predicted label.
 */
public final class LabelConsistency {

    /** Agreeing and total consecutive appearance pairs; {@link #rate} is their ratio. */
    public record Count(long agree, long total) {

        public double rate() {
            return total == 0 ? Double.NaN : (double) agree / total;
        }

        public Count plus(Count o) {
            return new Count(agree + o.agree, total + o.total);
        }
    }

    private LabelConsistency() {}

    /** {@code gtLabels [N]} identify the objects, {@code predicted [N]} are the labels to compare. */
    public static Count of(int[] gtLabels, int[] predicted) {
        if (gtLabels.length != predicted.length) {
            throw new IllegalArgumentException(gtLabels.length + " ground-truth labels, " + predicted.length
                    + " predictions");
        }
        long agree = 0;
        long total = 0;
        for (int[] track : ObjectTracker.byLabel(gtLabels)) {
            for (int k = 1; k < track.length; k++) {
                total++;
                if (predicted[track[k]] == predicted[track[k - 1]]) {
                    agree++;
                }
            }
        }
        return new Count(agree, total);
    }
}
