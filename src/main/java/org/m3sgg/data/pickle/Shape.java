package org.m3sgg.data.pickle;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;

/**
 * Bounds on the shape of an unpickled value, checked when the file could break them: values nested deeper than
 * {@link #MAX_DEPTH} (or a list that contains itself, which is infinitely deep to anyone who walks it), and
 * values shared through the memo so often that walking them visits far more nodes than the file has bytes (the
 * "billion laughs": a few hundred bytes that expand to 2^60 nodes). Python refuses both; every reader of the kit
 * walks what it loads, so a value that passes here is safe to walk.
 */
final class Shape {

    /** Annotation files nest 4-5 levels; 200 leaves room for any real data and none for a stack overflow. */
    static final int MAX_DEPTH = 200;

    /** Thrown when a bound is broken; turned into a {@code KitException} naming the file. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private Shape() {}

    /**
     * Walks {@code root} (iteratively) and refuses it if it is nested deeper than {@link #MAX_DEPTH} or if the
     * walk visits more than {@code 16 * fileBytes + 1,000,000} nodes.
     */
    static void check(Object root, long fileBytes) {
        long budget = 16 * Math.max(fileBytes, 0) + 1_000_000;
        ArrayDeque<Object> nodes = new ArrayDeque<>();
        ArrayDeque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(0);
        long visited = 0;
        while (!nodes.isEmpty()) {
            Object o = nodes.pop();
            int depth = depths.pop();
            if (++visited > budget) {
                throw new Refused("its values are shared so often that reading them would visit more than "
                        + budget + " nodes (a memo bomb?)");
            }
            if (depth > MAX_DEPTH) {
                throw new Refused("values nested deeper than " + MAX_DEPTH + " levels (or a container that holds "
                        + "itself)");
            }
            if (o instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    push(nodes, depths, e.getKey(), depth + 1);
                    push(nodes, depths, e.getValue(), depth + 1);
                }
            } else if (o instanceof Collection<?> c) {
                for (Object x : c) {
                    push(nodes, depths, x, depth + 1);
                }
            } else if (o instanceof Object[] a) {
                for (Object x : a) {
                    push(nodes, depths, x, depth + 1);
                }
            }
        }
    }

    private static void push(ArrayDeque<Object> nodes, ArrayDeque<Integer> depths, Object o, int depth) {
        if (o instanceof Map || o instanceof Collection || o instanceof Object[]) {
            nodes.push(o);
            depths.push(depth);
        }
    }
}
