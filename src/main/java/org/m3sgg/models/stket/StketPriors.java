package org.m3sgg.models.stket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;

/**
 * STKET's knowledge, counted from training annotations (the reference's {@code countPrior.py}, computed here by the
 * kit from the training videos it is handed, never from validation or test).
 *
 * <p>Every annotated object gives a multi-hot vector over all predicates, {@code [attention | spatial | contacting]}
 * (a class listed twice counts once). Per object class c, its occurrences in a video in frame order form a
 * sequence of such rows.
 * <ul>
 * <li>{@code initial[c]} = mean of all rows of c over all videos: P(predicate | c), the spatial prior.</li>
 * <li>{@code specific[c][k]} for contacting class k: per video, the mean of the rows that follow a row with k on
 * (the next annotated occurrence of c); then the mean over the videos that have at least one such transition;
 * zero when none does. P(predicates at t + 1 | k at t, c), the temporal transition prior.</li>
 * </ul>
 *
 * @param initial  [C][R] spatial prior, R = all predicates
 * @param specific [C][K][R] transition prior, K = contacting classes
 */
public record StketPriors(double[][] initial, double[][][] specific) {

    /** Counts the priors of {@code videos} (training videos only). Classes that never occur keep zero rows. */
    public static StketPriors count(List<AgVideo> videos, StketConfig cfg) {
        int classes = cfg.objectClasses();
        int a = cfg.attentionClasses();
        int s = cfg.spatialClasses();
        int k = cfg.contactingClasses();
        int r = cfg.predicates();
        double[][] initialSum = new double[classes][r];
        long[] rows = new long[classes];
        double[][][] videoMeanSum = new double[classes][k][r];
        int[][] videosWith = new int[classes][k];
        for (AgVideo v : videos) {
            Map<Integer, List<double[]>> seq = new LinkedHashMap<>();
            for (AgFrame f : v.frames()) {
                for (AgObject o : f.objects()) {
                    if (o.label() < 0 || o.label() >= classes) {
                        throw new KitException("stket priors: video " + v.id() + " frame " + f.key() + " has object "
                                + "class " + o.label() + ", expected 0.." + (classes - 1));
                    }
                    seq.computeIfAbsent(o.label(), x -> new ArrayList<>()).add(row(o, a, s, k, v, f));
                }
            }
            for (Map.Entry<Integer, List<double[]>> e : seq.entrySet()) {
                int c = e.getKey();
                List<double[]> rs = e.getValue();
                for (double[] row : rs) {
                    add(initialSum[c], row);
                    rows[c]++;
                }
                for (int kk = 0; kk < k; kk++) {
                    double[] next = new double[r];
                    int n = 0;
                    for (int t = 0; t + 1 < rs.size(); t++) {
                        if (rs.get(t)[a + s + kk] != 0) {
                            add(next, rs.get(t + 1));
                            n++;
                        }
                    }
                    if (n > 0) {
                        for (int j = 0; j < r; j++) {
                            videoMeanSum[c][kk][j] += next[j] / n;
                        }
                        videosWith[c][kk]++;
                    }
                }
            }
        }
        double[][] initial = new double[classes][r];
        double[][][] specific = new double[classes][k][r];
        for (int c = 0; c < classes; c++) {
            for (int j = 0; j < r; j++) {
                initial[c][j] = rows[c] == 0 ? 0 : initialSum[c][j] / rows[c];
            }
            for (int kk = 0; kk < k; kk++) {
                for (int j = 0; j < r; j++) {
                    specific[c][kk][j] = videosWith[c][kk] == 0 ? 0 : videoMeanSum[c][kk][j] / videosWith[c][kk];
                }
            }
        }
        return new StketPriors(initial, specific);
    }

    private static double[] row(AgObject o, int a, int s, int k, AgVideo v, AgFrame f) {
        double[] row = new double[a + s + k];
        set(row, 0, a, o.attention(), "attention", v, f);
        set(row, a, s, o.spatial(), "spatial", v, f);
        set(row, a + s, k, o.contacting(), "contacting", v, f);
        return row;
    }

    private static void set(double[] row, int offset, int size, int[] ids, String what, AgVideo v, AgFrame f) {
        for (int id : ids) {
            if (id < 0 || id >= size) {
                throw new KitException("stket priors: video " + v.id() + " frame " + f.key() + " has " + what
                        + " class " + id + ", expected 0.." + (size - 1));
            }
            row[offset + id] = 1;
        }
    }

    private static void add(double[] acc, double[] x) {
        for (int j = 0; j < acc.length; j++) {
            acc[j] += x[j];
        }
    }
}
