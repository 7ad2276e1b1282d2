package org.m3sgg.models.relation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.nn.Selection;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Host-side preparation of one video for the STTran graph: every gather becomes a one-hot selection matrix and
 * every padded/looped layout of the reference becomes a mask, built once per video.
 *
 * <h2>Spatial encoder</h2>
 * The reference pads each frame's pairs to the longest frame and runs the encoder on {@code [l, T, D]} with a
 * key-padding mask. Here all P pairs form one sequence with an additive block-diagonal mask
 * {@code [P, P]} (0 within a frame, {@link #BLOCKED} across frames): the same attention without the padding.
 *
 * <h2>Temporal decoder</h2>
 * Window j (j = 0 .. T-2, T = last frame + 1) is the pairs of frame j followed by those of frame j + 1. The R
 * window rows of all windows are stacked: {@code window_select [R, P]} copies encoder rows into them,
 * {@code window_frame_code [R, 2]} picks row 0 (frame j) or row 1 (frame j + 1) of the learned frame encoding,
 * {@code window_mask [R, R]} keeps attention inside a window, and {@code window_output [P, R]} implements the
 * 'latter' assembly: frame-0 pairs read their row of window 0, frame-(j+1) pairs their row of window j. With a
 * single frame there are no windows: one dummy row with an all-zero output selection gives the reference's zero
 * output.
 */
public final class RelationBatch {

    /** Additive mask value for a forbidden (query, key) pair; exp underflows to exactly 0 in float32. */
    public static final double BLOCKED = -1e9;

    public static final String FEATURES = "features";
    public static final String SUBJECT_SELECT = RelationFeatures.SUBJECT_SELECT;
    public static final String OBJECT_SELECT = RelationFeatures.OBJECT_SELECT;
    public static final String SUBJECT_CLASS = RelationFeatures.SUBJECT_CLASS;
    public static final String OBJECT_CLASS = RelationFeatures.OBJECT_CLASS;
    public static final String UNION_FEAT = RelationFeatures.UNION_FEAT;
    public static final String SPATIAL_MASKS = RelationFeatures.SPATIAL_MASKS;
    public static final String FRAME_MASK = "frame_mask";
    public static final String WINDOW_SELECT = "window_select";
    public static final String WINDOW_FRAME_CODE = "window_frame_code";
    public static final String WINDOW_MASK = "window_mask";
    public static final String WINDOW_OUTPUT = "window_output";
    public static final String DISTRIBUTION = "distribution";
    public static final String BOX_CENTER_SIZE = "box_center_size";
    public static final String ATTENTION_TARGET = RelationFeed.ATTENTION_TARGET;
    public static final String SPATIAL_TARGET = RelationFeed.SPATIAL_TARGET;
    public static final String CONTACTING_TARGET = RelationFeed.CONTACTING_TARGET;
    public static final String OBJECT_TARGET = RelationFeed.OBJECT_TARGET;

    /**
     * The graph's placeholders for this layout (STTran's, which STKET and TEMPURA share).
     *
     * @param features        [N, F] box features
     * @param pairs           the per-pair inputs of {@link RelationFeatures}
     * @param frameMask       [P, P] additive mask keeping the spatial encoder inside a frame
     * @param windowSelect    [R, P]
     * @param windowFrameCode [R, 2]
     * @param windowMask      [R, R]
     * @param windowOutput    [P, R]
     */
    public record Placeholders(SDVariable features, RelationFeatures.Inputs pairs, SDVariable frameMask,
            SDVariable windowSelect, SDVariable windowFrameCode, SDVariable windowMask, SDVariable windowOutput) {}

    /** Declares the relation placeholders of this layout on {@code sd}. */
    public static Placeholders placeholders(SameDiff sd, DataType dtype, RelationWidths c) {
        long p = -1;
        long n = -1;
        SDVariable feat = sd.placeHolder(FEATURES, dtype, n, c.feature());
        RelationFeatures.Inputs pairs = RelationFeatures.Inputs.placeholders(sd, dtype, c.classes().objects(), c.unionIn());
        return new Placeholders(feat, pairs, sd.placeHolder(FRAME_MASK, dtype, p, p),
                sd.placeHolder(WINDOW_SELECT, dtype, -1, p), sd.placeHolder(WINDOW_FRAME_CODE, dtype, -1, 2),
                sd.placeHolder(WINDOW_MASK, dtype, -1, -1), sd.placeHolder(WINDOW_OUTPUT, dtype, p, -1));
    }

    private final Map<String, INDArray> relation;
    private final Map<String, INDArray> objects;
    private final Map<String, INDArray> targets;
    private final int frames;
    private final int windowRows;

    private RelationBatch(Map<String, INDArray> relation, Map<String, INDArray> objects, Map<String, INDArray> targets,
            int frames, int windowRows) {
        this.relation = relation;
        this.objects = objects;
        this.targets = targets;
        this.frames = frames;
        this.windowRows = windowRows;
    }

    /** Placeholders of the relation branch. */
    public Map<String, INDArray> relationInputs() {
        return Collections.unmodifiableMap(relation);
    }

    /** Placeholders of the SGCLS object classifier (features, distribution, box center/size). */
    public Map<String, INDArray> objectInputs() {
        return Collections.unmodifiableMap(objects);
    }

    /** Placeholders of the loss targets (empty without targets). */
    public Map<String, INDArray> targetInputs() {
        return Collections.unmodifiableMap(targets);
    }

    /** All placeholders together. */
    public Map<String, INDArray> all() {
        Map<String, INDArray> m = new LinkedHashMap<>(relation);
        m.putAll(objects);
        m.putAll(targets);
        return m;
    }

    /** STTran's b: last frame + 1 (frames without pairs still count). */
    public int frames() {
        return frames;
    }

    /** Rows of the stacked windows (1 dummy row when there is no window). */
    public int windowRows() {
        return windowRows;
    }

    public static RelationBatch build(RelationInputs in, RelationTargets t, RelationWidths cfg, boolean withClassifier,
            DataType type) {
        int n = in.numBoxes();
        int p = in.numPairs();
        RelationFeed.check(in, cfg.feature(), cfg.unionIn(), cfg.classes().objects());
        Map<String, INDArray> rel = new LinkedHashMap<>();
        INDArray features = in.features().castTo(type);
        rel.put(FEATURES, features);
        rel.putAll(RelationFeed.pairs(in, cfg.classes().objects(), type));

        int[] frame = in.pairFrame();
        double[][] frameMask = new double[p][p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < p; j++) {
                frameMask[i][j] = frame[i] == frame[j] ? 0 : BLOCKED;
            }
        }
        rel.put(FRAME_MASK, matrix(frameMask, p, p, type));

        int frames = 0;
        for (int f : frame) {
            frames = Math.max(frames, f + 1);
        }
        List<Integer> rowPair = new ArrayList<>();
        List<Integer> rowCode = new ArrayList<>();
        List<Integer> rowWindow = new ArrayList<>();
        int[] outputRow = new int[p];
        java.util.Arrays.fill(outputRow, -1);
        for (int j = 0; j + 1 < frames; j++) {
            for (int code = 0; code < 2; code++) {
                for (int i = 0; i < p; i++) {
                    if (frame[i] != j + code) {
                        continue;
                    }
                    // 'latter' assembly: frame 0 reads window 0 (code 0); frame j+1 reads window j (code 1)
                    if ((code == 1) || (j == 0 && frame[i] == 0)) {
                        outputRow[i] = rowPair.size();
                    }
                    rowPair.add(i);
                    rowCode.add(code);
                    rowWindow.add(j);
                }
            }
        }
        int r = rowPair.size();
        if (r == 0) {
            // a single frame: no window; one dummy row keeps shapes non-empty and output_select stays all zero
            rowPair.add(-1);
            rowCode.add(-1);
            rowWindow.add(0);
            r = 1;
        }
        int[] rp = rowPair.stream().mapToInt(Integer::intValue).toArray();
        int[] rc = rowCode.stream().mapToInt(Integer::intValue).toArray();
        rel.put(WINDOW_SELECT, Selection.rows(rp, p, type));
        rel.put(WINDOW_FRAME_CODE, Selection.rows(rc, 2, type));
        double[][] wm = new double[r][r];
        for (int a = 0; a < r; a++) {
            for (int b = 0; b < r; b++) {
                wm[a][b] = rowWindow.get(a).equals(rowWindow.get(b)) ? 0 : BLOCKED;
            }
        }
        rel.put(WINDOW_MASK, matrix(wm, r, r, type));
        rel.put(WINDOW_OUTPUT, Selection.rows(outputRow, r, type));

        Map<String, INDArray> objects = new LinkedHashMap<>();
        if (withClassifier) {
            if (in.distribution() == null) {
                throw new KitException("relation inputs: the SGCLS classifier needs the detector distribution [N, "
                        + (cfg.classes().objects() - 1) + "]");
            }
            if (in.distribution().size(1) != cfg.classes().objects() - 1) {
                throw new KitException("relation inputs: distribution has " + in.distribution().size(1)
                        + " columns, expected " + (cfg.classes().objects() - 1) + " (classes without background)");
            }
            objects.put(FEATURES, features);
            objects.put(DISTRIBUTION, in.distribution().castTo(type));
            objects.put(BOX_CENTER_SIZE, centerSize(in.boxes(), type));
        }

        Map<String, INDArray> tg = t == null ? Map.of()
                : RelationFeed.targets(t, p, n, cfg.classes(), withClassifier, type);
        return new RelationBatch(rel, objects, tg, frames, r);
    }

    /** STTran's {@code center_size} with the +1 convention: (cx, cy, w, h), w = x2 - x1 + 1, cx = x1 + w / 2. */
    static INDArray centerSize(double[][] boxes, DataType type) {
        double[][] out = new double[boxes.length][4];
        for (int i = 0; i < boxes.length; i++) {
            double w = boxes[i][2] - boxes[i][0] + 1.0;
            double h = boxes[i][3] - boxes[i][1] + 1.0;
            out[i][0] = boxes[i][0] + 0.5 * w;
            out[i][1] = boxes[i][1] + 0.5 * h;
            out[i][2] = w;
            out[i][3] = h;
        }
        return matrix(out, boxes.length, 4, type);
    }

    private static INDArray matrix(double[][] m, int rows, int cols, DataType type) {
        return rows == 0 ? Nd4j.zeros(type, 0, cols) : Nd4j.createFromArray(m).castTo(type);
    }
}
