package org.m3sgg.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.api.ProgressListener;
import org.m3sgg.models.FrameModel;
import org.m3sgg.models.SggModel;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.eval.GroundTruthFrame;
import org.m3sgg.eval.PredictionsFile;
import org.m3sgg.eval.SceneGraphEvaluator;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.models.RelationInputs;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A model's outputs as the evaluator's {@link FramePrediction}s, and the scoring of whole splits. Attention logits
 * become probabilities here (softmax per pair, in double precision); spatial and contacting rows are the model's
 * sigmoids. PredCLS boxes keep their ground-truth labels with score 1; SGCLS boxes take the classifier's
 * relabelled labels and probabilities; SGDET boxes and their labels and scores come from the SGDET object pipeline.
 */
public final class Inference {

    /** Counters of one scoring pass. */
    public record Stats(int videos, int frames, int pairs, int zeroUnionPairs) {}

    /** A scoring pass: the evaluator's result and the counters. */
    public record Scored(EvaluationResult result, Stats stats) {}

    private Inference() {}

    /** Predictions for every frame of one collated video, in frame order. */
    public static List<FramePrediction> predict(SggModel model, Collate.Video v, VideoFeatures features,
            FeatureSource source) {
        return predictWithStats(model, v, features, source, new int[1]);
    }

    private static List<FramePrediction> predictWithStats(SggModel model, Collate.Video v, VideoFeatures features,
            FeatureSource source, int[] zeroUnions) {
        RelationInputs in = v.inputs();
        int[] labels;
        double[] scores;
        if (model.mode() == Mode.SGCLS) {
            INDArray logits = model.objectLogits(in);
            Collate.Relabelled r = Collate.relabel(v, features, source.meta(), logits);
            in = r.inputs();
            labels = r.labels();
            scores = r.scores();
            zeroUnions[0] += r.zeroUnions();
        } else if (v.scores() != null) {
            labels = in.labels(); // SGDET: the detection pipeline's labels and scores
            scores = v.scores();
        } else {
            labels = in.labels();
            scores = new double[labels.length];
            java.util.Arrays.fill(scores, 1.0);
        }
        // the relation outputs only: in SGCLS the classifier ran once above, on the boxes before relabelling
        Map<String, INDArray> out = model.relations(in);
        double[][] att = toRows(out.get(SggModel.ATTENTION), in.numPairs());
        double[][] spa = toRows(out.get(SggModel.SPATIAL), in.numPairs());
        double[][] con = toRows(out.get(SggModel.CONTACTING), in.numPairs());
        for (double[] row : att) {
            softmaxInPlace(row);
        }
        List<FramePrediction> preds = new ArrayList<>();
        int[] frameBox = v.frameBox();
        for (int t = 0; t < v.frames(); t++) {
            int from = frameBox[t];
            int n = frameBox[t + 1] - from;
            double[][] boxes = new double[n][];
            int[] fl = new int[n];
            double[] fs = new double[n];
            for (int i = 0; i < n; i++) {
                boxes[i] = in.boxes()[from + i].clone();
                fl[i] = labels[from + i];
                fs[i] = scores[from + i];
            }
            List<Integer> rows = new ArrayList<>();
            for (int k = 0; k < in.numPairs(); k++) {
                if (in.pairFrame()[k] == t) {
                    rows.add(k);
                }
            }
            int p = rows.size();
            int[][] pairs = new int[p][];
            double[][] a = new double[p][];
            double[][] s = new double[p][];
            double[][] c = new double[p][];
            for (int j = 0; j < p; j++) {
                int k = rows.get(j);
                pairs[j] = new int[] {in.pairs()[k][0] - from, in.pairs()[k][1] - from};
                a[j] = att[k];
                s[j] = spa[k];
                c[j] = con[k];
            }
            preds.add(new FramePrediction(boxes, fl, fs, pairs, a, s, c));
        }
        return preds;
    }

    /**
     * Scores a model on videos with the full protocol; writes every frame to {@code writer} when not null.
     */
    public static Scored score(SggModel model, List<AgVideo> videos, FeatureSource source, EvaluatorConfig config,
            PredictionsFile.Writer writer) {
        return score(model, videos, source, config, writer, ProgressListener.none());
    }

    /** {@link #score(SggModel, List, FeatureSource, EvaluatorConfig, PredictionsFile.Writer)}, reporting each video. */
    public static Scored score(SggModel model, List<AgVideo> videos, FeatureSource source, EvaluatorConfig config,
            PredictionsFile.Writer writer, ProgressListener progress) {
        if (model.mode() == Mode.SGDET || model instanceof FrameModel) {
            throw new KitException(model.name() + " " + model.mode().name().toLowerCase(java.util.Locale.ROOT)
                    + " reads detections or frame maps, not a feature folder: score with the run's data "
                    + "(Inference.score(model, videos, runData, ...))");
        }
        return score(model, videos, null, source, config, writer, progress);
    }

    /**
     * Scores a model on videos of a run's data: PredCLS and SGCLS from its feature folder, SGDET from its
     * detections through the SGDET object pipeline ({@link SgdetCollate#test}).
     */
    public static Scored score(SggModel model, List<AgVideo> videos, RunData data, EvaluatorConfig config,
            PredictionsFile.Writer writer) {
        return score(model, videos, data, config, writer, ProgressListener.none());
    }

    /** {@link #score(SggModel, List, RunData, EvaluatorConfig, PredictionsFile.Writer)}, reporting each video. */
    public static Scored score(SggModel model, List<AgVideo> videos, RunData data, EvaluatorConfig config,
            PredictionsFile.Writer writer, ProgressListener progress) {
        return score(model, videos, data, data.features(), config, writer, progress);
    }

    private static Scored score(SggModel model, List<AgVideo> videos, RunData data, FeatureSource source,
            EvaluatorConfig config, PredictionsFile.Writer writer, ProgressListener progress) {
        progress.onStart("scoring " + videos.size() + " videos", videos.size());
        try {
            return scoreVideos(model, videos, data, source, config, writer, progress);
        } finally {
            progress.onFinish();
        }
    }

    private static Scored scoreVideos(SggModel model, List<AgVideo> videos, RunData data, FeatureSource source,
            EvaluatorConfig config, PredictionsFile.Writer writer, ProgressListener progress) {
        SceneGraphEvaluator evaluator = new SceneGraphEvaluator(config);
        int done = 0;
        int frames = 0;
        int pairs = 0;
        int[] zero = new int[1];
        for (AgVideo video : videos) {
            List<FramePrediction> preds;
            List<GroundTruthFrame> gt;
            if (model instanceof FrameModel fm) {
                if (data == null) {
                    throw new KitException("model '" + model.name() + "' reads frame maps: score it with the run's "
                            + "data (Inference.score(model, videos, runData, ...))");
                }
                preds = fm.predict(data.clip(video));
                gt = new ArrayList<>();
                for (org.m3sgg.data.AgFrame fr : video.frames()) {
                    gt.add(GroundTruthFrame.of(fr));
                }
            } else {
                VideoFeatures f = null;
                Collate.Video v;
                if (model.mode() == Mode.SGDET) {
                    v = SgdetCollate.test(video, data.sgdetVideo(video), data.sgdet());
                } else {
                    f = source.video(video.id());
                    v = Collate.of(video, f, model.mode());
                }
                preds = predictWithStats(model, v, f, source, zero);
                gt = v.groundTruth();
            }
            evaluator.processVideo(gt, preds);
            frames += gt.size();
            for (FramePrediction p : preds) {
                pairs += p.pairCount();
            }
            write(writer, gt, preds);
            progress.onAdvance(++done, video.id());
        }
        return new Scored(evaluator.summarize(), new Stats(videos.size(), frames, pairs, zero[0]));
    }

    private static void write(PredictionsFile.Writer writer, List<GroundTruthFrame> gt, List<FramePrediction> preds) {
        if (writer == null) {
            return;
        }
        try {
            for (int i = 0; i < gt.size(); i++) {
                writer.write(gt.get(i), preds.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double[][] toRows(INDArray a, int rows) {
        if (rows == 0) {
            return new double[0][];
        }
        double[][] out = new double[rows][];
        INDArray d = a.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        for (int i = 0; i < rows; i++) {
            out[i] = d.getRow(i).toDoubleVector();
        }
        return out;
    }

    /** A softmax over one row of logits, in place, in double precision (attention logits to probabilities). */
    public static void softmaxInPlace(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : row) {
            max = Math.max(max, x);
        }
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            row[i] = Math.exp(row[i] - max);
            sum += row[i];
        }
        for (int i = 0; i < row.length; i++) {
            row[i] /= sum;
        }
    }
}
