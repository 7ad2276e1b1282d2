package org.m3sgg.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Vocabulary;

/**
 * The 26 predicates ordered by training frequency and split into head, body and tail bands, the usual way of
 * showing whether a model's recall holds up on rare predicates (what mean recall summarises in one number).
 *
 * @param counts training relation count per global predicate id, {@code [26]}
 * @param order predicate ids by descending count (ties: lower id first), {@code [26]}
 * @param bands band of each predicate id, {@code [26]}
 */
public record PredicateBands(long[] counts, int[] order, Band[] bands) {

    public enum Band {
        HEAD("head"), BODY("body"), TAIL("tail");

        public final String label;

        Band(String label) {
            this.label = label;
        }
    }

    public PredicateBands {
        counts = counts.clone();
        order = order.clone();
        bands = bands.clone();
        if (counts.length != Vocabulary.NUM_PREDICATES || order.length != Vocabulary.NUM_PREDICATES
                || bands.length != Vocabulary.NUM_PREDICATES) {
            throw new IllegalArgumentException("predicate bands need 26 counts, 26 ranks and 26 bands");
        }
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    @Override
    public int[] order() {
        return order.clone();
    }

    @Override
    public Band[] bands() {
        return bands.clone();
    }

    public Band band(int predicate) {
        return bands[predicate];
    }

    public long count(int predicate) {
        return counts[predicate];
    }

    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Predicate ids of one band in frequency order. */
    public List<Integer> members(Band band) {
        List<Integer> out = new ArrayList<>();
        for (int p : order) {
            if (bands[p] == band) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Ranks predicates by {@code counts} and gives the first {@code headSize} to the head, the next
     * {@code bodySize} to the body and the rest to the tail.
     */
    public static PredicateBands byRank(long[] counts, int headSize, int bodySize) {
        if (counts.length != Vocabulary.NUM_PREDICATES) {
            throw new KitException("predicate counts: expected 26 values (one per predicate id 0..25), got "
                    + counts.length);
        }
        for (int p = 0; p < counts.length; p++) {
            if (counts[p] < 0) {
                throw new KitException("predicate count of '" + Vocabulary.PREDICATES.get(p) + "' is " + counts[p]
                        + ": expected a count >= 0");
            }
        }
        if (headSize < 0 || bodySize < 0 || headSize + bodySize > Vocabulary.NUM_PREDICATES) {
            throw new KitException("predicate bands: head " + headSize + " + body " + bodySize
                    + " must be non-negative and at most 26");
        }
        Integer[] ids = new Integer[counts.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        // stable sort: equal counts keep id order, so the ranking is deterministic
        Arrays.sort(ids, Comparator.comparingLong((Integer p) -> counts[p]).reversed());
        int[] order = new int[ids.length];
        Band[] bands = new Band[ids.length];
        for (int r = 0; r < ids.length; r++) {
            order[r] = ids[r];
            bands[ids[r]] = r < headSize ? Band.HEAD : r < headSize + bodySize ? Band.BODY : Band.TAIL;
        }
        return new PredicateBands(counts, order, bands);
    }

    /** Equal thirds by rank: 9 head, 9 body, 8 tail predicates. */
    public static PredicateBands thirds(long[] counts) {
        int n = Vocabulary.NUM_PREDICATES;
        int head = (n + 2) / 3;
        return byRank(counts, head, (n - head + 1) / 2);
    }

    /**
     * Counts ground-truth relations per predicate id the way the evaluator counts them: one attention, every
     * spatial and every contacting label of every object.
     */
    public static long[] countRelations(Iterable<AgFrame> frames) {
        long[] counts = new long[Vocabulary.NUM_PREDICATES];
        for (AgFrame f : frames) {
            for (AgObject o : f.objects()) {
                for (int a : o.attention()) {
                    counts[a]++;
                }
                for (int s : o.spatial()) {
                    counts[Vocabulary.SPATIAL_OFFSET + s]++;
                }
                for (int c : o.contacting()) {
                    counts[Vocabulary.CONTACTING_OFFSET + c]++;
                }
            }
        }
        return counts;
    }
}
