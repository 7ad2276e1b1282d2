package org.m3sgg.eval;

/**
 * A stable descending argsort over primitive doubles: higher keys first, equal keys in their original (index)
 * order. The reference uses numpy's default (unstable) sort, whose order for equal scores is unspecified; a fixed
 * rule makes our results reproducible and documentable (docs/METRICS.md, "Ties").
 */
final class StableOrder {

    private static final int INSERTION_LIMIT = 24;

    private StableOrder() {}

    /**
     * Writes into {@code order[0..n)} the indices {@code 0..n-1} sorted by {@code keys} descending, ties by
     * ascending index. {@code scratch} needs at least {@code n} entries.
     */
    static void descending(double[] keys, int n, int[] order, int[] scratch) {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        sort(keys, order, scratch, 0, n);
    }

    private static void sort(double[] keys, int[] a, int[] tmp, int lo, int hi) {
        if (hi - lo <= INSERTION_LIMIT) {
            for (int i = lo + 1; i < hi; i++) {
                int v = a[i];
                double k = keys[v];
                int j = i - 1;
                // Move only past strictly smaller keys: equal keys keep their order.
                while (j >= lo && keys[a[j]] < k) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (lo + hi) >>> 1;
        sort(keys, a, tmp, lo, mid);
        sort(keys, a, tmp, mid, hi);
        if (!(keys[a[mid]] > keys[a[mid - 1]])) {
            return; // already in order
        }
        System.arraycopy(a, lo, tmp, lo, hi - lo);
        int i = lo;
        int j = mid;
        for (int k = lo; k < hi; k++) {
            if (j >= hi || (i < mid && !(keys[tmp[j]] > keys[tmp[i]]))) {
                a[k] = tmp[i++];
            } else {
                a[k] = tmp[j++];
            }
        }
    }
}
