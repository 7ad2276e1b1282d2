package org.m3sgg.models.relation;

import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.nn.Selection;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The one feed of {@link RelationInputs} / {@link RelationTargets} into the placeholders every relation model
 * shares: input validation (widths, labels), the pair placeholders of {@link RelationFeatures.Inputs} (one-hot
 * subject/object selections and classes, union features, spatial masks) and the relation (and SGCLS object)
 * targets. {@link RelationBatch} adds STTran's windowed layout on top; models with their own layout (DSG-DETR,
 * {@code PairModel}) call these directly.
 */
public final class RelationFeed {

    public static final String ATTENTION_TARGET = "attention_target";
    public static final String SPATIAL_TARGET = "spatial_target";
    public static final String CONTACTING_TARGET = "contacting_target";
    public static final String OBJECT_TARGET = "object_target";

    private RelationFeed() {}

    /**
     * Checks the inputs against a model: box features of width {@code feature}, union features with
     * {@code unionIn} channels (when there are pairs), every box label in {@code 0 .. objects - 1}.
     */
    public static void check(RelationInputs in, int feature, int unionIn, int objects) {
        if (in.features().size(1) != feature) {
            throw new KitException("relation inputs: features have width " + in.features().size(1) + ", the model "
                    + feature);
        }
        if (in.numPairs() > 0 && in.unionFeatures().size(1) != unionIn) {
            throw new KitException("relation inputs: union features have " + in.unionFeatures().size(1)
                    + " channels, the model " + unionIn);
        }
        checkLabels(in.labels(), objects);
    }

    /** Every label in {@code 0 .. objects - 1}. */
    public static void checkLabels(int[] labels, int objects) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= objects) {
                throw new KitException("relation inputs: box " + i + " has label " + labels[i] + ", expected 0.."
                        + (objects - 1));
            }
        }
    }

    /** The pair placeholders of {@link RelationFeatures.Inputs} under their standard names. */
    public static Map<String, INDArray> pairs(RelationInputs in, int objects, DataType type) {
        int n = in.numBoxes();
        int p = in.numPairs();
        int[] subj = new int[p];
        int[] obj = new int[p];
        int[] subjLabel = new int[p];
        int[] objLabel = new int[p];
        for (int i = 0; i < p; i++) {
            subj[i] = in.pairs()[i][0];
            obj[i] = in.pairs()[i][1];
            subjLabel[i] = in.labels()[subj[i]];
            objLabel[i] = in.labels()[obj[i]];
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(RelationFeatures.SUBJECT_SELECT, Selection.rows(subj, n, type));            // [P, N]
        m.put(RelationFeatures.OBJECT_SELECT, Selection.rows(obj, n, type));              // [P, N]
        m.put(RelationFeatures.SUBJECT_CLASS, Selection.rows(subjLabel, objects, type));  // [P, C]
        m.put(RelationFeatures.OBJECT_CLASS, Selection.rows(objLabel, objects, type));    // [P, C]
        m.put(RelationFeatures.UNION_FEAT, in.unionFeatures().castTo(type));
        m.put(RelationFeatures.SPATIAL_MASKS, in.spatialMasks().castTo(type));
        return m;
    }

    /**
     * The target placeholders: attention one-hot, spatial and contacting multi-hot, and with {@code objects} the
     * SGCLS object labels one-hot (one per box, {@code boxes} of them).
     */
    public static Map<String, INDArray> targets(RelationTargets t, int pairs, int boxes, RelationWidths.Classes c,
            boolean objects, DataType type) {
        if (t.attention().length != pairs) {
            throw new KitException("relation targets: " + t.attention().length + " rows for " + pairs + " pairs");
        }
        for (int i = 0; i < pairs; i++) {
            if (t.attention()[i] < 0 || t.attention()[i] >= c.attention()) {
                throw new KitException("relation targets: pair " + i + " has attention class " + t.attention()[i]
                        + ", expected 0.." + (c.attention() - 1));
            }
        }
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put(ATTENTION_TARGET, Selection.rows(t.attention(), c.attention(), type));
        m.put(SPATIAL_TARGET, Selection.multiHot(t.spatial(), c.spatial(), type));
        m.put(CONTACTING_TARGET, Selection.multiHot(t.contacting(), c.contacting(), type));
        if (objects) {
            if (t.objectLabels() == null || t.objectLabels().length != boxes) {
                throw new KitException("relation targets: SGCLS training needs one object label per box (" + boxes
                        + ")");
            }
            m.put(OBJECT_TARGET, Selection.rows(t.objectLabels(), c.objects(), type));
        }
        return m;
    }
}
