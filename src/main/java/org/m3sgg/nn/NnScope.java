package org.m3sgg.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The shared state of one graph under construction: the SameDiff instance, its floating type, a seeded
 * initialiser, the torch key bindings, the batch norms (whose running statistics live outside autodiff) and a
 * scalar {@code train} constant that switches dropout and batch norm between training and evaluation.
 *
 * <p>Why a constant and not two graphs: parameters belong to one SameDiff instance, so one graph serves both
 * phases; {@link #setTraining} rewrites the scalar in place before a run.
 */
public final class NnScope {

    /** Name of the scalar constant: 1 in training, 0 in evaluation. */
    public static final String TRAIN_FLAG = "train_flag";

    private final SameDiff sd;
    private final DataType dtype;
    private final java.util.Random rng;
    private final TorchBindings bindings = new TorchBindings();
    private final List<String> trainable = new ArrayList<>();
    private final List<BatchNorm> batchNorms = new ArrayList<>();
    private SDVariable trainFlag;
    private SDVariable dropoutSeed;
    private int dropoutSites;

    public NnScope(SameDiff sd, DataType dtype, long seed) {
        this.sd = sd;
        this.dtype = dtype;
        this.rng = new java.util.Random(seed);
    }

    public SameDiff sd() {
        return sd;
    }

    public DataType dtype() {
        return dtype;
    }

    public TorchBindings bindings() {
        return bindings;
    }

    /** Names of the trainable variables, in creation order. */
    public List<String> trainable() {
        return Collections.unmodifiableList(trainable);
    }

    public List<BatchNorm> batchNorms() {
        return Collections.unmodifiableList(batchNorms);
    }

    void register(BatchNorm bn) {
        batchNorms.add(bn);
    }

    /** The scalar train flag (created on first use, 0 = evaluation). */
    public SDVariable trainFlag() {
        if (trainFlag == null) {
            trainFlag = sd.constant(TRAIN_FLAG, Nd4j.scalar(dtype, 0.0));
        }
        return trainFlag;
    }

    /**
     * Switches the graph between training and evaluation. Entering training also draws a fresh dropout seed on the
     * host from ND4J's global generator (the trainer reseeds it before every step), so masks differ between steps
     * and are the same for the same seed and step.
     */
    public void setTraining(boolean training) {
        trainFlag().getArr().assign(training ? 1.0 : 0.0);
        if (training && dropoutSeed != null) {
            dropoutSeed.getArr().assign(Math.floor(Nd4j.getRandom().nextDouble() * 1000.0 * 4096.0) / 4096.0);
        }
    }

    /** Name of the scalar constant (double) the dropout masks are a function of. */
    public static final String DROPOUT_SEED = "dropout_seed";

    /** The scalar dropout seed (created on first use). */
    public SDVariable dropoutSeed() {
        if (dropoutSeed == null) {
            dropoutSeed = sd.constant(DROPOUT_SEED, Nd4j.scalar(DataType.DOUBLE, 0.0));
        }
        return dropoutSeed;
    }

    /** A new site number for a dropout mask: masks at different sites are independent. */
    int nextDropoutSite() {
        return dropoutSites++;
    }

    public boolean isTraining() {
        return trainFlag != null && trainFlag.getArr().getDouble(0) != 0.0;
    }

    /** A trainable variable bound one-to-one to a state_dict key of the same name and shape. */
    public SDVariable param(String key, INDArray init) {
        SDVariable v = sd.var(key, init.castTo(dtype));
        bindings.direct(key, init.shape());
        trainable.add(key);
        return v;
    }

    /** A trainable variable without a binding (the caller registers a custom one). */
    public SDVariable unboundParam(String name, INDArray init) {
        SDVariable v = sd.var(name, init.castTo(dtype));
        trainable.add(name);
        return v;
    }

    /** A non-trainable array (running statistics) bound to a state_dict key of the same name. */
    public SDVariable buffer(String key, INDArray init) {
        SDVariable v = sd.constant(key, init.castTo(dtype));
        bindings.direct(key, init.shape());
        return v;
    }

    /** U(lo, hi) in the scope's type, drawn from the seeded generator. */
    public INDArray uniform(double lo, double hi, long... shape) {
        double[] v = new double[Math.toIntExact(count(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape('c', shape).castTo(dtype);
    }

    /** N(0, 1) in the scope's type. */
    public INDArray normal(long... shape) {
        double[] v = new double[Math.toIntExact(count(shape))];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Nd4j.createFromArray(v).reshape('c', shape).castTo(dtype);
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    public INDArray zeros(long... shape) {
        return Nd4j.zeros(dtype, shape);
    }

    public INDArray ones(long... shape) {
        return Nd4j.ones(dtype, shape);
    }
}
