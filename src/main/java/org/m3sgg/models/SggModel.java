package org.m3sgg.models;

import java.util.List;
import java.util.Map;
import org.m3sgg.data.Mode;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.nn.AdamW;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the training engine, the evaluator glue and the checkpoints need from a relation model (STTran now,
 * TEMPURA / STKET / DSG-DETR later). A model declares its graph and answers with named outputs; the trainer owns
 * the loop, the optimiser, the schedule and the files. The mode is fixed when the model is built (the collate
 * step decides what goes in), and a checkpoint records it.
 *
 * <p>Output names every model uses: {@link #ATTENTION} [P, 3] logits (softmax is applied when predictions are
 * made), {@link #SPATIAL} [P, 6] and {@link #CONTACTING} [P, 17] probabilities, {@link #OBJECT_LOGITS} [N, C]
 * (SGCLS only).
 */
public interface SggModel {

    String ATTENTION = "attention_distribution";
    String SPATIAL = "spatial_distribution";
    String CONTACTING = "contacting_distribution";
    String OBJECT_LOGITS = "object_logits";
    /** The total loss term in {@link #evaluateLoss}. */
    String LOSS = "loss";

    /** The registry name ({@code sttran}). */
    String name();

    Mode mode();

    /** The typed config record the model was built from. */
    Record config();

    /** Evaluation-mode forward pass of one video: the named outputs above. */
    Map<String, INDArray> forward(RelationInputs in);

    /**
     * The relation outputs of {@link #forward} ({@link #ATTENTION}, {@link #SPATIAL}, {@link #CONTACTING} and a
     * model's extras) without running the object classifier: what SGCLS inference needs once it has relabelled the
     * boxes from {@link #objectLogits}. By default the whole forward pass.
     */
    default Map<String, INDArray> relations(RelationInputs in) {
        return forward(in);
    }

    /** SGCLS: the object classifier's [N, C] logits (evaluation mode). */
    INDArray objectLogits(RelationInputs in);

    /**
     * One optimiser update from one or more videos: gradients of each video's loss are averaged (the reference
     * trains on one video per step), then {@code optimizer} steps once.
     *
     * @return the mean of the videos' losses (forward pass before the update)
     */
    double trainStep(List<RelationInputs> in, List<RelationTargets> targets, AdamW optimizer);

    /** Loss terms in evaluation mode; {@link #LOSS} is the total. */
    Map<String, Double> evaluateLoss(RelationInputs in, RelationTargets targets);

    /**
     * Fine-tuning from another checkpoint: the source name a parameter starts from when the source has none of
     * its own name (OED's temporal heads start from the spatial heads), or null. By default none.
     */
    default String initAlias(String parameter) {
        return null;
    }

    /** The graph that owns the parameters (the optimiser updates its arrays in place). */
    SameDiff graph();

    /** Parameters the optimiser updates in this mode. */
    List<String> trainableParameters();

    /** Number of trainable scalars. */
    long parameterCount();

    /** Every parameter and buffer (batch-norm statistics) by name: what a checkpoint stores. Live arrays. */
    Map<String, INDArray> state();

    /**
     * Copies a {@link #state()} map into the model. Strict: a missing or extra name, or a shape mismatch, is a
     * {@link KitException} naming {@code source}.
     */
    void loadState(Map<String, INDArray> state, String source);
}
