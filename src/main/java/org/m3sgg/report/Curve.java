package org.m3sgg.report;

import java.util.List;
import org.m3sgg.api.KitException;

/**
 * One line of a training chart: a name and matching x (step or epoch) and y (loss or metric) values.
 *
 * @param name legend entry
 * @param x abscissae, {@code [n]}, finite
 * @param y ordinates, {@code [n]}; NaN points are dropped when drawn
 */
public record Curve(String name, double[] x, double[] y) {

    public Curve {
        if (name == null || name.isBlank()) {
            throw new KitException("curve needs a name");
        }
        if (x.length != y.length) {
            throw new KitException("curve '" + name + "': " + x.length + " x values but " + y.length
                    + " y values, expected the same number");
        }
        for (double v : x) {
            if (!Double.isFinite(v)) {
                throw new KitException("curve '" + name + "': x value " + v + " is not finite");
            }
        }
        x = x.clone();
        y = y.clone();
    }

    @Override
    public double[] x() {
        return x.clone();
    }

    @Override
    public double[] y() {
        return y.clone();
    }

    public int size() {
        return x.length;
    }

    /** y against 1..n (epoch numbers, or step numbers when logged every step). */
    public static Curve of(String name, double... y) {
        double[] x = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            x[i] = i + 1;
        }
        return new Curve(name, x, y);
    }

    public static Curve of(String name, List<? extends Number> x, List<? extends Number> y) {
        double[] xs = new double[x.size()];
        double[] ys = new double[y.size()];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = x.get(i).doubleValue();
        }
        for (int i = 0; i < ys.length; i++) {
            ys[i] = y.get(i) == null ? Double.NaN : y.get(i).doubleValue();
        }
        return new Curve(name, xs, ys);
    }

    /**
     * Exponential moving average of y (bias-corrected like TensorBoard's smoothing, so the first points are not
     * pulled towards zero); NaN points are skipped and stay NaN.
     *
     * @param weight smoothing weight in [0, 1): 0 returns the curve unchanged, 0.9 smooths strongly
     */
    public Curve smoothed(double weight) {
        if (!(weight >= 0 && weight < 1)) {
            throw new KitException("curve '" + name + "': smoothing weight " + weight + " must be in [0, 1)");
        }
        double[] out = new double[y.length];
        double acc = 0;
        double norm = 0;
        for (int i = 0; i < y.length; i++) {
            if (Double.isNaN(y[i])) {
                out[i] = Double.NaN;
                continue;
            }
            acc = weight * acc + (1 - weight) * y[i];
            norm = weight * norm + (1 - weight);
            out[i] = acc / norm;
        }
        return new Curve(name + " (smoothed)", x, out);
    }
}
