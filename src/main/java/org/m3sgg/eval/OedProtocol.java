package org.m3sgg.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;

/**
 * OED's evaluation protocol ({@link OedEvaluator}) applied to the kit's frames, the named alternative to STTran's
 * protocol ({@link SceneGraphEvaluator}, the default). Boxes are handed over as OED's targets hold them,
 * cxcywh divided by the frame size: the continuous IoU of the matching is the same for any frame size, the NMS
 * filter's +1 widths are not, so the filter needs the frame size of the data ({@code --image-size}) and the plain
 * variant uses pixels divided by 1. Scores and distributions are passed as float32, as OED's post-processing gives
 * them. Reported: R@10/20/50/100 (mean over frames of each frame's recall) and OED's class mean recall (per
 * predicate, the mean over frames that have it; the mean over all 26 predicates, an absent one counting 0) under
 * {@code with} and {@code no}.
 */
public final class OedProtocol {

    /** Both constraints' summaries ({@code with}, {@code no}) over {@code frames} frames. */
    public record Result(int frames, boolean nmsFilter, Map<String, OedEvaluator.Summary> summaries) {

        /** R@K of a constraint ({@code with} or {@code no}), a fraction. */
        public double recall(String constraint, int k) {
            return summaries.get(constraint).recall().get(k);
        }

        /** OED's class mean recall ("way 1"): the mean over all predicates of each one's mean frame recall. */
        public double meanRecall(String constraint, int k) {
            List<List<Double>> per = summaries.get(constraint).perPredicateFrameRecalls().get(k);
            double sum = 0;
            for (List<Double> l : per) {
                sum += l.isEmpty() ? 0 : l.stream().mapToDouble(Double::doubleValue).average().orElse(0);
            }
            return sum / per.size();
        }

        /** The table {@code m3sgg eval/evaluate-predictions --protocol oed} prints (percent). */
        public void print(PrintWriter w) {
            w.printf(Locale.ROOT, "%-10s", "constraint");
            for (int k : OedEvaluator.KS) {
                w.printf(Locale.ROOT, "%8s", "R@" + k);
            }
            for (int k : OedEvaluator.KS) {
                w.printf(Locale.ROOT, "%8s", "mR@" + k);
            }
            w.println();
            for (String c : summaries.keySet()) {
                w.printf(Locale.ROOT, "%-10s", c);
                for (int k : OedEvaluator.KS) {
                    w.printf(Locale.ROOT, "%8.2f", 100 * recall(c, k));
                }
                for (int k : OedEvaluator.KS) {
                    w.printf(Locale.ROOT, "%8.2f", 100 * meanRecall(c, k));
                }
                w.println();
            }
        }

        /** {"protocol": "oed", "nms_filter", "frames", "with": {"R@10": ..., "mR@10": ...}, "no": {...}}. */
        public String toJson() {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            root.put("protocol", "oed");
            root.put("nms_filter", nmsFilter);
            root.put("frames", frames);
            for (String c : summaries.keySet()) {
                ObjectNode n = root.putObject(c);
                for (int k : OedEvaluator.KS) {
                    n.put("R@" + k, recall(c, k));
                }
                for (int k : OedEvaluator.KS) {
                    n.put("mR@" + k, meanRecall(c, k));
                }
            }
            return root.toPrettyString() + "\n";
        }
    }

    private final OedEvaluator with;
    private final OedEvaluator no;
    private final boolean nmsFilter;
    private final double width;
    private final double height;
    private int frames;

    /**
     * @param nmsFilter OED's {@code --use_nms_filter} (its temporal SGDET setting: top 500 for {@code no}, triplet
     *                  NMS); needs the frame size
     * @param imageSize {width, height} in pixels the boxes are divided by; required with the NMS filter, else null
     */
    public OedProtocol(boolean nmsFilter, double[] imageSize) {
        if (nmsFilter && imageSize == null) {
            throw new KitException("OED protocol with the NMS filter needs the frame size (--image-size WxH): its +1 "
                    + "widths act on normalised boxes");
        }
        if (imageSize != null && (imageSize.length != 2 || !(imageSize[0] > 0) || !(imageSize[1] > 0))) {
            throw new KitException("OED protocol: the frame size must be two positive numbers (width, height)");
        }
        this.nmsFilter = nmsFilter;
        this.width = imageSize == null ? 1 : imageSize[0];
        this.height = imageSize == null ? 1 : imageSize[1];
        this.with = new OedEvaluator(true, nmsFilter);
        this.no = new OedEvaluator(false, nmsFilter);
    }

    /** Scores one frame under both constraints. */
    public void process(GroundTruthFrame gt, FramePrediction p) {
        OedEvaluator.GroundTruth g = groundTruth(gt);
        OedEvaluator.Prediction q = prediction(p);
        with.process(g, q);
        no.process(g, q);
        frames++;
    }

    public Result result() {
        if (frames == 0) {
            throw new KitException("OED protocol: no frames were scored");
        }
        Map<String, OedEvaluator.Summary> s = new LinkedHashMap<>();
        s.put("with", with.summary());
        s.put("no", no.summary());
        return new Result(frames, nmsFilter, s);
    }

    /** A predictions file ({@link PredictionsFile}) under OED's protocol. */
    public static Result score(Path predictions, boolean nmsFilter, double[] imageSize) {
        OedProtocol p = new OedProtocol(nmsFilter, imageSize);
        PredictionsFile.forEach(predictions, e -> p.process(e.gt(), e.prediction()));
        return p.result();
    }

    OedEvaluator.GroundTruth groundTruth(GroundTruthFrame gt) {
        List<AgObject> objs = gt.objects();
        float[][] boxes = new float[objs.size() + 1][];
        int[] labels = new int[objs.size() + 1];
        boxes[0] = cxcywh(gt.personBox().x1(), gt.personBox().y1(), gt.personBox().x2(), gt.personBox().y2());
        labels[0] = Vocabulary.PERSON;
        boolean[][] att = new boolean[objs.size()][Vocabulary.NUM_ATTENTION];
        boolean[][] spa = new boolean[objs.size()][Vocabulary.NUM_SPATIAL];
        boolean[][] con = new boolean[objs.size()][Vocabulary.NUM_CONTACTING];
        for (int i = 0; i < objs.size(); i++) {
            AgObject o = objs.get(i);
            Box b = o.box();
            boxes[i + 1] = cxcywh(b.x1(), b.y1(), b.x2(), b.y2());
            labels[i + 1] = o.label();
            for (int a : o.attention()) {
                att[i][a] = true;
            }
            for (int a : o.spatial()) {
                spa[i][a] = true;
            }
            for (int a : o.contacting()) {
                con[i][a] = true;
            }
        }
        return new OedEvaluator.GroundTruth(boxes, labels, att, spa, con);
    }

    OedEvaluator.Prediction prediction(FramePrediction p) {
        int n = p.boxCount();
        float[] scores = new float[n];
        float[][] boxes = new float[n][];
        for (int i = 0; i < n; i++) {
            double[] b = p.boxes()[i];
            boxes[i] = cxcywh(b[0], b[1], b[2], b[3]);
            scores[i] = (float) p.scores()[i];
        }
        return new OedEvaluator.Prediction(scores, p.labels().clone(), boxes, p.pairs(), floats(p.attention()),
                floats(p.spatial()), floats(p.contacting()));
    }

    private float[] cxcywh(double x1, double y1, double x2, double y2) {
        return new float[] {(float) ((x1 + x2) / 2 / width), (float) ((y1 + y2) / 2 / height),
                (float) ((x2 - x1) / width), (float) ((y2 - y1) / height)};
    }

    private static float[][] floats(double[][] a) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new float[a[i].length];
            for (int j = 0; j < a[i].length; j++) {
                out[i][j] = (float) a[i][j];
            }
        }
        return out;
    }
}
