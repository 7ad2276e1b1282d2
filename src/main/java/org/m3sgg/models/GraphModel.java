package org.m3sgg.models;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.models.SggModel;
import org.m3sgg.data.Mode;
import org.m3sgg.nn.AdamW;
import org.m3sgg.nn.ArrayPool;
import org.m3sgg.nn.BatchNorm;
import org.m3sgg.nn.NnScope;
import org.m3sgg.nn.Quiet;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.ArrayCacheMemoryMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The plumbing every SameDiff relation model shares, so that a model class holds only its graph and its host-side
 * preparation: the graph and its {@link NnScope}, the accessors of {@link SggModel}, which parameters and batch
 * norms take part in the mode, the training step (gradients averaged over the step's videos, batch-norm running
 * statistics, one optimiser update), evaluation-mode loss reads, and the checkpoint state.
 *
 * <p>A subclass constructor calls {@code super(...)}, assigns its own fields, then declares its graph on
 * {@link #graph()} / {@link #scope()}: parameters are drawn from the scope's seeded generator in creation order, so
 * that order is part of what a seed means.
 *
 * @param <C> the model's config record
 */
public abstract class GraphModel<C extends Record> implements SggModel {

    private final String name;
    private final String label;
    private final C config;
    private final Mode mode;
    private final DataType dtype;
    private final SameDiff sd;
    private final NnScope scope;
    /** Reuses the training session's buffers from step to step (see {@link ArrayPool}); null: no reuse. */
    private ArrayPool trainingArrays = new ArrayPool(TRAINING_POOL_FREE_BYTES);

    /** Reuses the evaluation session's intermediate buffers from call to call; outputs are left to the caller. */
    private final ArrayPool inferenceArrays = new ArrayPool(INFERENCE_POOL_FREE_BYTES, ArrayPool.MIN_BYTES, false);

    /** Runs the evaluation-mode passes instead of SameDiff when set (see {@link #setEngine}). */
    private Engine engine;

    /** The mode of the session in place for {@link #infer}; the other mode's session waits here (null: none yet). */
    private boolean sessionTraining;
    private InferenceSession parkedSession;

    /** The most the training pool keeps between steps: a paper-width STTran step needs about 2.2 GB. */
    private static final long TRAINING_POOL_FREE_BYTES = 3L << 30;
    /** The same for evaluation passes (a paper-width STTran forward pass needs about 0.5 GB). */
    private static final long INFERENCE_POOL_FREE_BYTES = 1L << 30;
    /** SameDiff's name for the gradient function (it runs the forward and backward passes of a training step). */
    private static final String GRAD_FUNCTION = Quiet.GRAD_FUNCTION;

    /**
     * @param name  the registry name ({@link #name()})
     * @param label how messages about checkpoints name the model ({@code STTran})
     * @param seed  seeds the parameter initialisation
     */
    protected GraphModel(String name, String label, C config, Mode mode, DataType dtype, long seed) {
        this.name = name;
        this.label = label;
        this.config = config;
        this.mode = mode;
        this.dtype = dtype;
        this.sd = SameDiff.create();
        this.scope = new NnScope(sd, dtype, seed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public C config() {
        return config;
    }

    public DataType dataType() {
        return dtype;
    }

    /** The graph, for inspection, listeners or custom outputs. */
    @Override
    public SameDiff graph() {
        return sd;
    }

    /** Where the parameters are created (their names are the checkpoint keys). */
    public NnScope scope() {
        return scope;
    }

    /**
     * Whether the parameter or batch norm {@code name} takes part in this mode. All do unless a model says
     * otherwise (STTran's object classifier exists in every checkpoint but runs only in SGCLS); what does not take
     * part is neither optimised nor has its running statistics updated.
     */
    protected boolean usedInMode(String name) {
        return true;
    }

    /** Trainable variables that take part in this mode, in creation order. */
    @Override
    public List<String> trainableParameters() {
        List<String> out = new ArrayList<>();
        for (String p : scope.trainable()) {
            if (usedInMode(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** Number of trainable scalars, unused ones included (the reference's {@code sum(p.numel())}). */
    @Override
    public long parameterCount() {
        return ModelState.parameterCount(scope);
    }

    /** AdamW with STTran's settings (clip 5) over {@link #trainableParameters()}. */
    public AdamW newOptimizer(double learningRate) {
        return AdamW.sttran(sd, trainableParameters(), learningRate);
    }

    /** Trainable parameters and batch-norm running statistics by checkpoint key, as live arrays. */
    @Override
    public Map<String, INDArray> state() {
        return ModelState.of(scope);
    }

    @Override
    public void loadState(Map<String, INDArray> state, String source) {
        ModelState.load(state(), state, source, label);
    }

    // ---- training ------------------------------------------------------------------------------------------------

    /**
     * Replaces the pool that recycles the training session's buffers between steps ({@code null}: every step
     * allocates afresh and leaves its arrays to the garbage collector, as SameDiff does by itself). Values do not
     * depend on it; speed and memory do.
     */
    public void setTrainingArrayPool(ArrayPool pool) {
        if (trainingArrays != null) {
            trainingArrays.close();
        }
        trainingArrays = pool;
        if (pool == null) {
            SameDiff grad = sd.getFunction(GRAD_FUNCTION);
            InferenceSession session = grad == null ? null : grad.getSessions().get(Thread.currentThread().getId());
            if (session != null) {
                session.setMmgr(new ArrayCacheMemoryMgr());
            }
        }
    }

    /** Every placeholder of one training video, targets included (called once per video per step). */
    protected abstract Map<String, INDArray> trainingInputs(RelationInputs in, RelationTargets targets);

    /**
     * False (the default): the whole step runs in training mode, so {@link #trainingInputs} sees training mode and
     * one dropout seed serves all the step's videos. True: {@link #trainingInputs} runs the graph in evaluation mode
     * itself, and each video's gradient pass switches to training mode on its own (drawing its own dropout seed).
     */
    protected boolean preparesInEvaluationMode() {
        return false;
    }

    /** One update from one video. */
    public double trainStep(RelationInputs in, RelationTargets targets, AdamW optimizer) {
        return trainStep(List.of(in), List.of(targets), optimizer);
    }

    /**
     * One update from several videos: each video's gradients come from its own forward pass and are summed in video
     * order, then divided by the count; the batch norms in use take one running-statistics momentum step per video,
     * in order.
     *
     * @return the mean of the videos' losses (forward passes before the update)
     */
    @Override
    public double trainStep(List<RelationInputs> ins, List<RelationTargets> targets, AdamW optimizer) {
        if (ins.isEmpty() || ins.size() != targets.size()) {
            throw new IllegalArgumentException(ins.size() + " inputs and " + targets.size() + " targets");
        }
        List<String> outputs = new ArrayList<>(List.of(LOSS));
        List<BatchNorm> used = new ArrayList<>();
        for (BatchNorm bn : scope.batchNorms()) {
            if (usedInMode(bn.name())) {
                used.add(bn);
                outputs.add(bn.batchMeanName());
                outputs.add(bn.batchVarName());
            }
        }
        boolean perVideo = preparesInEvaluationMode();
        int k = ins.size();
        Map<String, INDArray> grads = null;
        double loss = 0;
        if (!perVideo) {
            scope.setTraining(true);
        }
        try {
            for (int i = 0; i < k; i++) {
                if (ins.get(i).numPairs() == 0) {
                    throw new IllegalArgumentException("a training step needs at least one pair");
                }
                Map<String, INDArray> placeholders = trainingInputs(ins.get(i), targets.get(i));
                if (perVideo) {
                    scope.setTraining(true);
                }
                // what the call below would do first; made here to attach the pool and without SameDiff's printing
                Quiet.createGradFunction(sd);
                if (trainingArrays != null) {
                    trainingArrays.attach(sd.getFunction(GRAD_FUNCTION));
                    trainingArrays.beginRun();
                }
                OutAndGrad r = sd.calculateGradientsAndOutputs(placeholders, outputs, optimizer.params());
                if (perVideo) {
                    scope.setTraining(false);
                }
                Map<String, INDArray> acts = r.getOutputs();
                if (k == 1) {
                    grads = r.getGradients();
                } else {
                    // copies: the graph may reuse its gradient arrays on the next call
                    grads = ModelState.accumulate(grads, r.getGradients());
                    giveBack(r.getGradients().values());
                }
                for (BatchNorm bn : used) {
                    bn.updateRunning(acts.get(bn.batchMeanName()), acts.get(bn.batchVarName()));
                }
                loss += acts.get(LOSS).getDouble(0);
                giveBack(acts.values());
            }
            if (k > 1) {
                for (INDArray g : grads.values()) {
                    g.divi(k);
                }
            }
            optimizer.step(grads);
            // the gradients (~parameter size) are dead now: back to the pool (or freed at once) instead of leaving
            // up to ~0.5 GB per step of off-heap memory to the garbage collector
            giveBack(grads.values());
            return loss / k;
        } finally {
            scope.setTraining(false);
        }
    }

    private void giveBack(Collection<INDArray> arrays) {
        if (trainingArrays != null) {
            trainingArrays.giveBack(arrays);
        } else {
            ModelState.release(arrays);
        }
    }

    // ---- evaluation ---------------------------------------------------------------------------------------------

    /** {@link #relations}, plus in SGCLS the classifier's {@link #OBJECT_LOGITS} (for videos with boxes). */
    @Override
    public Map<String, INDArray> forward(RelationInputs in) {
        Map<String, INDArray> out = new LinkedHashMap<>(relations(in));
        if (mode.hasObjectClassifier() && in.numBoxes() > 0) {
            out.put(OBJECT_LOGITS, objectLogits(in));
        }
        return out;
    }

    /** Evaluation-mode relation outputs of one video; zero pairs give empty [0, K] outputs. */
    @Override
    public abstract Map<String, INDArray> relations(RelationInputs in);

    // ---- evaluation helpers ------------------------------------------------------------------------------------

    /**
     * What runs an evaluation-mode pass of the graph: the placeholders a model prepared on the host and the output
     * names it asks for in, those outputs back. {@code own} is the model's SameDiff pass, for an engine that records
     * or compares.
     */
    @FunctionalInterface
    public interface Engine {
        Map<String, INDArray> run(Map<String, INDArray> placeholders, List<String> outputs,
                java.util.function.BiFunction<Map<String, INDArray>, List<String>, Map<String, INDArray>> own);
    }

    /**
     * Replaces SameDiff for every evaluation-mode pass (null: back to SameDiff): the deployment package runs an
     * exported ONNX copy of the graph through here, so the model's own host-side preparation, relabelling and
     * scoring stay exactly as they are. Training passes always run on SameDiff.
     */
    public void setEngine(Engine engine) {
        this.engine = engine;
    }

    /**
     * Runs the graph for {@code names} (in whatever mode the scope is in) with the evaluation session's buffers
     * reused from the previous call; what it returns belongs to the caller. Every forward pass goes through here.
     */
    protected Map<String, INDArray> infer(Map<String, INDArray> placeholders, List<String> names) {
        if (engine != null && !scope.isTraining()) {
            return engine.run(placeholders, names, this::runGraph);
        }
        return runGraph(placeholders, names);
    }

    private Map<String, INDArray> runGraph(Map<String, INDArray> placeholders, List<String> names) {
        useSessionFor(scope.isTraining());
        inferenceArrays.attach(sd);
        inferenceArrays.beginRun();
        return sd.output(placeholders, names);
    }

    /**
     * Puts the calling thread's session for {@code training} mode in place. SameDiff's session keeps every value of
     * its previous runs, and its {@code Merge} op takes its second input whenever a value for it exists, from this
     * run or an earlier one. A forward pass in training mode (STKET's first pass) leaves {@link
     * org.m3sgg.nn.Dropout}'s training-branch mask behind; a later evaluation run in the same session then
     * multiplied by that stale mask, whose buffer had been released ("You can't use DataBuffer once it was
     * released"). Runs in training mode therefore get a session of their own, and neither session ever sees the
     * other mode's branch.
     */
    private void useSessionFor(boolean training) {
        if (training == sessionTraining) {
            return;
        }
        Map<Long, InferenceSession> sessions = sd.getSessions();
        long thread = Thread.currentThread().getId();
        InferenceSession current = sessions.remove(thread);
        if (parkedSession != null) {
            sessions.put(thread, parkedSession);     // otherwise attach creates a fresh one
        }
        parkedSession = current;
        sessionTraining = training;
    }

    /** {@link #infer(Map, List)} with the names listed. */
    protected Map<String, INDArray> infer(Map<String, INDArray> placeholders, String... names) {
        return infer(placeholders, List.of(names));
    }

    /** {@link #infer} for one output. */
    protected INDArray inferSingle(Map<String, INDArray> placeholders, String name) {
        return infer(placeholders, name).get(name);
    }

    /** Runs {@code names} in evaluation mode and reads each as a scalar, in the order given. */
    protected Map<String, Double> evaluateScalars(Map<String, INDArray> placeholders, List<String> names) {
        scope.setTraining(false);
        Map<String, INDArray> out = infer(placeholders, names);
        Map<String, Double> values = new LinkedHashMap<>();
        for (String n : names) {
            values.put(n, out.get(n).getDouble(0));
        }
        return values;
    }

    /** A [0, width] array of the model's type: the output of a video without pairs. */
    protected INDArray noRows(int width) {
        return Nd4j.zeros(dtype, 0, width);
    }

    /** {@link #ATTENTION}, {@link #SPATIAL}, {@link #CONTACTING} as [0, K] arrays, for a video without pairs. */
    protected Map<String, INDArray> noRelations(int attention, int spatial, int contacting) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put(ATTENTION, noRows(attention));
        out.put(SPATIAL, noRows(spatial));
        out.put(CONTACTING, noRows(contacting));
        return out;
    }

    /** Throws unless the model was built in SGCLS (the only mode with an object classifier). */
    protected void requireObjectClassifier() {
        if (!mode.hasObjectClassifier()) {
            throw new IllegalStateException("the object classifier runs only in SGCLS mode");
        }
    }
}
