package org.m3sgg.detector;

import static org.m3sgg.sgdet.SgdetParity.flat;
import static org.m3sgg.sgdet.SgdetParity.rows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import org.m3sgg.api.KitException;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npy;
import org.m3sgg.sgdet.BoxSet;
import org.m3sgg.sgdet.DetectorTail;

/**
 * Runs the Java Faster R-CNN on the detector reference fixture ({@code
 * src/test/resources/reference/detector-reference}: STTran's detector at reduced widths with seeded weights,
 * PyTorch 1.13, SGDET test mode) from its preprocessed frames ({@code in_im_data}, {@code in_im_info}) and
 * reports, per reference output (the file name without {@code out_} and {@code .npy}), the largest absolute
 * difference, or for integer outputs (labels) the number of differing entries. Each stage runs on this
 * implementation's own previous outputs, so a difference anywhere shows in everything after it.
 */
public final class FasterRcnnParity {

    /**
     * Outputs in pixels, compared in units of the frame's longer side ({@link #frameDiff}): a box is decoded from
     * deltas, so its coordinates carry the deltas' float32 rounding times the anchor or RoI size.
     */
    public static final java.util.Set<String> FRAME_UNIT_OUTPUTS =
            java.util.Set.of("proposals_all", "rois", "pred_boxes", "final_boxes");

    /** The checkpoint {@code compare} uses when given none. */
    public static final String DEFAULT_CHECKPOINT = "faster_rcnn_ag.zip.tar";

    private FasterRcnnParity() {}

    /** Every output compared; {@code checkpointOrNull}: a checkpoint, or null for {@link #DEFAULT_CHECKPOINT}. */
    public static LinkedHashMap<String, Double> compare(Path fixture, Path checkpointOrNull) {
        Path ckpt = checkpointOrNull != null ? checkpointOrNull : fixture.resolve(DEFAULT_CHECKPOINT);
        FasterRcnn det = FasterRcnn.load(ckpt, DetectorSettings.sttran());
        NdArray im = npy(fixture, "in_im_data", 4);
        NdArray info = npy(fixture, "in_im_info", 2);
        int frames = im.dim(0);
        if (im.dim(1) != 3 || info.dim(0) != frames || info.dim(1) != 3) {
            throw new KitException(fixture + ": in_im_data must be [B, 3, H, W] and in_im_info [B, 3], found "
                    + Arrays.toString(im.shape()) + " and " + Arrays.toString(info.shape()));
        }
        FasterRcnn.Pass p = det.detect(im.floats(), frames, im.dim(2), im.dim(3), rows(info));
        double blobSide = Math.max(im.dim(2), im.dim(3));
        double frameSide = blobSide / info.floats()[2];
        LinkedHashMap<String, Double> r = new LinkedHashMap<>();
        r.put("base_feat", diff(p.base().maps().data(), fixture, "out_base_feat"));
        r.put("rpn_cls_score", diff(p.base().rpnClsScore(), fixture, "out_rpn_cls_score"));
        r.put("rpn_cls_prob", diff(p.base().rpnClsProb(), fixture, "out_rpn_cls_prob"));
        r.put("rpn_bbox_pred", diff(p.base().rpnBboxPred(), fixture, "out_rpn_bbox_pred"));
        DetectorSettings st = det.settings();
        r.put("anchors", diff(flat(Anchors.base(st.baseSize(), st.anchorRatios(), st.anchorScales())), fixture,
                "out_anchors"));
        r.put("proposals_all", frameDiff(flat(Arrays.stream(p.proposals()).flatMap(Arrays::stream)
                .toArray(float[][]::new)), fixture, "out_proposals_all", blobSide));
        r.put("proposal_scores_all", diff(flat(p.proposalScores()), fixture, "out_proposal_scores_all"));
        r.put("rois", frameDiff(flat(p.rois()), fixture, "out_rois", blobSide));
        r.put("cls_prob", diff(flat(p.head().clsProb()), fixture, "out_cls_prob"));
        r.put("bbox_pred", diff(flat(p.head().bboxPred()), fixture, "out_bbox_pred"));
        r.put("roi_features", diff(flat(p.head().features()), fixture, "out_roi_features"));
        r.put("pred_boxes", frameDiff(flat(p.predBoxes()), fixture, "out_pred_boxes", frameSide));
        FasterRcnn.Final fin = p.detections();
        r.put("final_boxes", frameDiff(flat(fin.boxes()), fixture, "out_final_boxes", frameSide));
        r.put("final_labels", count(fin.labels(), fixture, "out_final_labels"));
                r.put("final_features", diff(flat(fin.features()), fixture, "out_final_features"));
        BoxSet test = DetectorTail.apply(fin.toDetections(), det.head());
        r.put("final_scores", diff(test.scores(), fixture, "out_final_scores"));
        r.put("distribution", diff(flat(test.distribution()), fixture, "out_distribution"));
        r.put("pred_scores", diff(test.scores(), fixture, "out_pred_scores"));
        r.put("pred_labels", count(test.labels(), fixture, "out_pred_labels"));
        return r;
    }

    private static NdArray npy(Path dir, String name, int rank) {
        Path f = dir.resolve(name + ".npy");
        if (!Files.isRegularFile(f)) {
            throw new KitException(f + ": file not found");
        }
        NdArray a = Npy.read(f);
        if (rank > 0 && a.rank() != rank) {
            throw new KitException(f + ": expected rank " + rank + ", found shape " + Arrays.toString(a.shape()));
        }
        return a;
    }

    /** Largest |mine - reference|; infinite when the sizes differ (a different number of detections). */
    private static double diff(float[] mine, Path dir, String name) {
        double[] b = npy(dir, name, -1).doubles();
        if (mine.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < b.length; i++) {
            double d = Math.abs(mine[i] - b[i]);
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    /**
     * Largest {@code |mine - reference| / side}: box coordinates in units of the frame's longer side ({@code side}
     * in the same pixels as the boxes). A box decoded from deltas moves by the deltas' rounding error times the
     * anchor or RoI size (up to about 700 pixels for STTran's anchors), so two float32 networks that agree to 1e-6
     * on the deltas disagree by a few 1e-4 pixels on the boxes, near 0 as much as near the far edge.
     */
    private static double frameDiff(float[] mine, Path dir, String name, double side) {
        double[] b = npy(dir, name, -1).doubles();
        if (mine.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double m = 0;
        for (int i = 0; i < b.length; i++) {
            double d = Math.abs(mine[i] - b[i]) / side;
            m = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(m, d);
        }
        return m;
    }

    /** Differing entries; all of them when the sizes differ. */
    private static double count(int[] mine, Path dir, String name) {
        long[] b = npy(dir, name, 1).longs();
        if (mine.length != b.length) {
            return Math.max(mine.length, b.length);
        }
        long n = 0;
        for (int i = 0; i < b.length; i++) {
            if (mine[i] != b[i]) {
                n++;
            }
        }
        return n;
    }
}
