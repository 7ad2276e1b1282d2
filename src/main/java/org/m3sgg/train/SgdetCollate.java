package org.m3sgg.train;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgObject;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.features.SpatialMasks;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.sgdet.Detections;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.FrameTruth;
import org.m3sgg.sgdet.SgdetPipeline;
import org.m3sgg.sgdet.TestEntry;
import org.m3sgg.sgdet.TrainEntry;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * SGDET: one annotated video and its detections as model inputs, through STTran's object pipeline
 * ({@link SgdetPipeline}). Nothing here falls back to ground-truth boxes: training sees the detections, labelled by
 * {@code assign_relations}, plus the ground-truth boxes no detection matched (SUPPLY, with features pooled from the
 * frame maps by the detector's box head); test time sees the detections only, cleaned, NMS-ed and paired around one
 * human per frame, with union features RoIAligned from the frame maps.
 *
 * <p>Frames: the annotation's frames (filtersmall in SGDET, as the reference loads them) are looked up in the
 * detections by frame number; an annotated frame without detections is an error naming the video and the frame.
 */
public final class SgdetCollate {

    private SgdetCollate() {}

    /** The detections and maps of the annotated frames of {@code video}, frame indices in annotation order. */
    record Selected(Detections detections, FrameMaps maps) {}

    static Selected select(AgVideo video, VideoDetections det) {
        List<AgFrame> frames = video.frames();
        int t = frames.size();
        int[] source = new int[t];
        int d = 0;
        for (int i = 0; i < t; i++) {
            long number = frames.get(i).frameNumber();
            while (d < det.frameCount() && det.frameNumber(d) < number) {
                d++;
            }
            if (d >= det.frameCount() || det.frameNumber(d) != number) {
                throw new KitException(det.source() + ": video " + video.id() + " has no detections for frame "
                        + frames.get(i).key() + " (frame number " + number + ")");
            }
            source[i] = d++;
        }
        FrameMaps all = det.maps();
        FrameMaps maps = all;
        boolean identity = t == all.frames();
        for (int i = 0; identity && i < t; i++) {
            identity = source[i] == i;
        }
        if (!identity) {
            int len = all.frameLength();
            float[] data = new float[t * len];
            float[] scales = new float[t];
            for (int i = 0; i < t; i++) {
                System.arraycopy(all.data(), all.offset(source[i]), data, i * len, len);
                scales[i] = all.scales()[source[i]];
            }
            maps = new FrameMaps(t, all.channels(), all.height(), all.width(), data, scales, all.spatialScale());
        }
        int f = det.featureDim();
        List<float[]> boxes = new ArrayList<>();
        List<float[]> feats = new ArrayList<>();
        List<float[]> dists = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        float[] scoreArr = det.scores();
        for (int i = 0; i < t; i++) {
            int from = det.firstBox(source[i]);
            int to = det.firstBox(source[i] + 1);
            for (int r = from; r < to; r++) {
                float[] b = det.box(r).clone();
                b[0] = i;
                boxes.add(b);
                feats.add(det.feature(r));
                dists.add(det.distribution(r));
                scores.add(scoreArr == null ? null : scoreArr[r]);
            }
        }
        float[] sc = null;
        if (scoreArr != null) {
            sc = new float[scores.size()];
            for (int i = 0; i < sc.length; i++) {
                sc[i] = scores.get(i);
            }
        }
        if (f < 1) {
            throw new KitException(det.source() + ": video " + video.id() + ": detections without features");
        }
        return new Selected(new Detections(boxes.toArray(new float[0][]), feats.toArray(new float[0][]),
                dists.toArray(new float[0][]), sc), maps);
    }

    /** The ground truth of each annotated frame, as the assignment needs it. */
    static List<FrameTruth> truth(AgVideo video) {
        List<FrameTruth> out = new ArrayList<>();
        for (AgFrame f : video.frames()) {
            int k = f.objects().size();
            int[] classes = new int[k];
            double[][] boxes = new double[k][];
            for (int i = 0; i < k; i++) {
                AgObject o = f.objects().get(i);
                classes[i] = o.label();
                boxes[i] = o.box().toArray();
            }
            double[] p = f.personBox().toArray();
            out.add(new FrameTruth(new float[] {(float) p[0], (float) p[1], (float) p[2], (float) p[3]}, classes,
                    boxes));
        }
        return out;
    }

    /**
     * Training inputs: detections labelled by {@code assign_relations} (0 = background), supplied ground-truth boxes,
     * one pair per matched or supplied object with that object's relation labels; object targets are the assigned
     * labels.
     */
    public static Collate.Video train(AgVideo video, VideoDetections det, SgdetPipeline pipeline) {
        Selected s = select(video, det);
        TrainEntry e = pipeline.train(s.detections(), s.maps(), truth(video));
        int p = e.pairs().length;
        int[] attention = new int[p];
        int[][] spatial = new int[p][];
        int[][] contacting = new int[p][];
        for (int i = 0; i < p; i++) {
            int t = e.pairGt()[i][0];
            int g = e.pairGt()[i][1];
            AgFrame f = video.frames().get(t);
            AgObject o = f.objects().get(g - 1);
            if (o.attention().length != 1) {
                throw new KitException("video " + video.id() + ", frame " + f.key() + ": object "
                        + Vocabulary.OBJECT_CLASSES.get(o.label()) + " has " + o.attention().length
                        + " attention labels, the attention loss needs exactly one");
            }
            attention[i] = o.attention()[0];
            spatial[i] = o.spatial();
            contacting[i] = o.contacting();
        }
        RelationInputs in = inputs(e.boxes(), e.features(), e.distribution(), e.labels(), e.pairs(), e.imIdx(),
                e.unionFeatures(), e.masks(), s.maps().channels(), det.featureDim());
        RelationTargets tg = new RelationTargets(attention, spatial, contacting, e.labels().clone());
        return new Collate.Video(video, Mode.SGDET, in, tg, e.frameStart(), e.labels().clone(), null);
    }

    /** Test inputs: the pipeline's boxes, labels, scores and pairs; no targets. */
    public static Collate.Video test(AgVideo video, VideoDetections det, SgdetPipeline pipeline) {
        Selected s = select(video, det);
        TestEntry e = pipeline.test(s.detections(), s.maps());
        RelationInputs in = inputs(e.boxes(), e.features(), e.distribution(), e.labels(), e.pairs(), e.imIdx(),
                e.unionFeatures(), e.masks(), s.maps().channels(), det.featureDim());
        double[] scores = new double[e.scores().length];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = e.scores()[i];
        }
        return new Collate.Video(video, Mode.SGDET, in, null, e.frameStart(), null, scores);
    }

    /** Model inputs from the pipeline's arrays (frame-indexed boxes [N][5], flat unions and masks). */
    public static RelationInputs inputs(float[][] boxes5, float[][] features, float[][] distribution, int[] labels,
            int[][] pairs, int[] imIdx, float[] union, float[] masks, int channels, int f) {
        int n = boxes5.length;
        double[][] boxes = new double[n][];
        int[] boxFrame = new int[n];
        for (int i = 0; i < n; i++) {
            boxes[i] = new double[] {boxes5[i][1], boxes5[i][2], boxes5[i][3], boxes5[i][4]};
            boxFrame[i] = (int) boxes5[i][0];
        }
        int p = pairs.length;
        int side = SpatialMasks.SIZE;
        return new RelationInputs(matrix(features, n, f), boxes, boxFrame, labels.clone(), pairs,
                imIdx.clone(), array(union, p, channels, 7, 7), array(masks, p, 2, side, side),
                matrix(distribution, n, Detections.CLASSES));
    }

    private static INDArray matrix(float[][] rows, int n, int width) {
        if (n == 0) {
            return Nd4j.create(DataType.FLOAT, 0, width);
        }
        float[] flat = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return Nd4j.create(flat, n, width);
    }

    private static INDArray array(float[] flat, long... shape) {
        if (shape[0] == 0) {
            return Nd4j.create(DataType.FLOAT, shape);
        }
        return Nd4j.create(flat, shape);
    }
}
