package org.m3sgg.nn;

import java.io.OutputStream;
import java.io.PrintStream;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * SameDiff prints one {@code Added differentiated op ...} line per op to {@code System.out} (hard-coded, no logger)
 * while it builds a graph's gradient function: hundreds of lines in a notebook cell or a test log. The gradient
 * function is built here, once per graph, with {@code System.out} set aside for exactly that call.
 */
public final class Quiet {

    /** The name under which SameDiff keeps the gradient function. */
    public static final String GRAD_FUNCTION = "grad";

    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private Quiet() {}

    /**
     * Builds {@code sd}'s gradient function (what {@code calculateGradients} would do on its first call) unless it
     * exists, without SameDiff's console output.
     */
    public static void createGradFunction(SameDiff sd) {
        if (sd.getFunction(GRAD_FUNCTION) != null) {
            return;
        }
        synchronized (System.class) {
            PrintStream out = System.out;
            System.setOut(DISCARD);
            try {
                sd.createGradFunction();
            } finally {
                System.setOut(out);
            }
        }
    }
}
