package org.m3sgg.models.oed;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.api.KitException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * OED's SGDET inference on the frames of one video as its evaluation runs it: every frame resized to OED's
 * evaluation size ({@link OedImages#evalResize}), normalised, through the backbone and the spatial model; for a
 * temporal checkpoint each frame is then the key frame of a clip whose reference frames OED's multi-frame dataset
 * picks ({@link #referenceFrames}), refined by the PRM, and post-processed from the temporal heads. Frames are run
 * one at a time (no padding; frames of one video share a size).
 */
public final class OedPredictor {

    /** One frame's post-processed prediction, with the frames it used and its input size. */
    public record Result(int frame, int[] referenceFrames, int inputHeight, int inputWidth, OedPostProcess post) {}

    private final OedBackbone backbone;
    private final OedModel model;
    private final int interval;

    /**
     * @param interval OED's {@code interval2} (reference frames within this many frames of the key; 4 in its
     *                 evaluation scripts)
     */
    public OedPredictor(OedBackbone backbone, OedModel model, int interval) {
        if (backbone.c5Channels() != model.config().c5Channels()) {
            throw new KitException("OED: the backbone gives " + backbone.c5Channels() + " channels, the model reads "
                    + model.config().c5Channels());
        }
        if (interval <= 0) {
            throw new KitException("OED: the reference-frame interval must be positive, got " + interval);
        }
        this.backbone = backbone;
        this.model = model;
        this.interval = interval;
    }

    /**
     * A checkpoint's predictor: backbone in float32 (the transformer runs in double), {@code interval2} from the
     * checkpoint's {@code args} (4 when absent).
     *
     * @param prmTopk reference queries kept per reference frame by each PRM step ({@link OedConfig#PUBLISHED_TOPK})
     */
    public static OedPredictor fromCheckpoint(OedCheckpoint ck, int[] prmTopk, boolean spatialOnly) {
        Object iv = ck.args().get("interval2");
        int interval = iv instanceof Number n ? n.intValue() : 4;
        return new OedPredictor(OedBackbone.fromCheckpoint(ck, DataType.FLOAT),
                OedModel.fromCheckpoint(ck, prmTopk, spatialOnly), interval);
    }

    public OedModel model() {
        return model;
    }

    /**
     * OED's evaluation choice of reference frames for key frame {@code key} of {@code count} frames
     * ({@code ag_multi.py}): the frames within {@code interval} of the key (clipped to the video), the key removed,
     * every {@code step}-th of them with {@code step = (n - 1) // (refs - 1)} when there are more than {@code refs}
     * (else 1), repeated when too few, the first {@code refs} kept. With interval 4 and 2 references inside a video:
     * key - 4 and key + 4.
     */
    public static int[] referenceFrames(int key, int count, int interval, int refs) {
        if (key < 0 || key >= count || refs <= 0) {
            throw new KitException("OED: key frame " + key + " of " + count + " frames with " + refs + " references");
        }
        List<Integer> range = new ArrayList<>();
        for (int i = Math.max(0, key - interval); i <= Math.min(count - 1, key + interval); i++) {
            if (i != key) {
                range.add(i);
            }
        }
        if (range.isEmpty()) {
            throw new KitException("OED: a temporal model needs at least 2 frames (one key and a reference), got "
                    + count);
        }
        int step = range.size() > refs && refs > 1 ? (range.size() - 1) / (refs - 1) : 1;
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < range.size(); i += step) {
            picked.add(range.get(i));
        }
        while (picked.size() < refs) {
            picked.addAll(new ArrayList<>(picked));
        }
        return picked.subList(0, refs).stream().mapToInt(Integer::intValue).toArray();
    }

    /** Predictions for every frame of one video, in order. */
    public List<Result> predict(List<OedImages.Rgb> frames) {
        if (frames.isEmpty()) {
            throw new KitException("OED: no frames to predict");
        }
        List<OedModel.Frame> spatial = new ArrayList<>();
        int[][] sizes = new int[frames.size()][];
        for (OedImages.Rgb f : frames) {
            OedImages.Batch b = OedImages.batch(List.of(OedImages.evalResize(f)));
            INDArray c5 = backbone.c5(b.images());
            spatial.add(model.frame(c5.get(NDArrayIndex.point(0)).dup(), b.mask()[0]));
            sizes[spatial.size() - 1] = new int[] {b.mask()[0].length, b.mask()[0][0].length};
        }
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            if (!model.config().temporal()) {
                OedModel.Frame f = spatial.get(i);
                out.add(new Result(i, new int[0], sizes[i][0], sizes[i][1], OedPostProcess.of(f.get("pred_obj_logits"),
                        f.get("pred_sub_boxes"), f.get("pred_obj_boxes"), f.get("pred_attn_logits"),
                        f.get("pred_spatial_logits"), f.get("pred_contacting_logits"))));
                continue;
            }
            int[] refs = referenceFrames(i, frames.size(), interval, model.config().refFrames());
            List<OedModel.Frame> rf = new ArrayList<>();
            for (int r : refs) {
                rf.add(spatial.get(r));
            }
            var h = model.temporal(spatial.get(i), rf).heads();
            out.add(new Result(i, refs, sizes[i][0], sizes[i][1], OedPostProcess.of(h.get("obj_logits"),
                    h.get("sub_boxes"), h.get("obj_boxes"), h.get("attn_logits"), h.get("spatial_logits"),
                    h.get("contacting_logits"))));
        }
        return out;
    }
}
