package org.m3sgg.train;

import java.util.ArrayList;
import java.util.List;
import org.m3sgg.api.KitException;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.GroundTruthFrame;
import org.m3sgg.eval.SceneGraphEvaluator;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.models.frequency.FrequencyBaseline;

/** The frequency baseline scored the way a trained model is, so that tables put them side by side. */
public final class Baselines {

    private Baselines() {}

    /**
     * Fits the class prior on {@code train} and scores it on {@code test}: PredCLS with ground-truth labels, SGCLS
     * with labels from the detector distribution through STTran's test-time relabelling.
     */
    public static EvaluationResult frequency(List<AgVideo> train, List<AgVideo> test, Mode mode,
            FeatureSource features, EvaluatorConfig config) {
        if (mode == Mode.SGDET) {
            throw new KitException("the SGDET baseline scores detections: call Baselines.frequency(runData, "
                    + "Mode.SGDET, config)");
        }
        FrequencyBaseline b = FrequencyBaseline.fit(train);
        SceneGraphEvaluator ev = new SceneGraphEvaluator(config);
        for (AgVideo v : test) {
            VideoFeatures f = mode == Mode.SGCLS ? features.video(v.id()) : null;
            for (AgFrame frame : v.frames()) {
                if (mode == Mode.SGCLS) {
                    float[][] dist = new float[frame.objects().size() + 1][];
                    dist[0] = f.distribution(frame.frameNumber(), Vocabulary.PERSON);
                    for (int i = 0; i < frame.objects().size(); i++) {
                        dist[i + 1] = f.distribution(frame.frameNumber(), frame.objects().get(i).label());
                    }
                    ev.process(GroundTruthFrame.of(frame), b.predictSgcls(frame, dist));
                } else {
                    ev.process(GroundTruthFrame.of(frame), b.predictPredCls(frame));
                }
            }
        }
        return ev.summarize();
    }

    /**
     * The baseline on a run's data: fit on its training videos, scored on its test split. SGDET: on the detections,
     * through the same object pipeline the models see (labels, scores and pairs of {@link SgdetCollate#test}).
     */
    public static EvaluationResult frequency(RunData data, Mode mode, EvaluatorConfig config) {
        if (mode != Mode.SGDET) {
            return frequency(data.train(), data.test(), mode, data.features(), config);
        }
        FrequencyBaseline b = FrequencyBaseline.fit(data.train());
        SceneGraphEvaluator ev = new SceneGraphEvaluator(config);
        for (AgVideo v : data.test()) {
            Collate.Video c = SgdetCollate.test(v, data.sgdetVideo(v), data.sgdet());
            RelationInputs in = c.inputs();
            int[] frameBox = c.frameBox();
            List<FramePrediction> preds = new ArrayList<>();
            for (int t = 0; t < v.frames().size(); t++) {
                int from = frameBox[t];
                int n = frameBox[t + 1] - from;
                double[][] boxes = new double[n][];
                int[] labels = new int[n];
                double[] scores = new double[n];
                for (int i = 0; i < n; i++) {
                    boxes[i] = in.boxes()[from + i].clone();
                    labels[i] = in.labels()[from + i];
                    scores[i] = c.scores()[from + i];
                }
                List<int[]> pairs = new ArrayList<>();
                for (int k = 0; k < in.numPairs(); k++) {
                    if (in.pairFrame()[k] == t) {
                        pairs.add(new int[] {in.pairs()[k][0] - from, in.pairs()[k][1] - from});
                    }
                }
                preds.add(b.predict(boxes, labels, scores, pairs.toArray(new int[0][])));
            }
            ev.processVideo(c.groundTruth(), preds);
        }
        return ev.summarize();
    }
}
