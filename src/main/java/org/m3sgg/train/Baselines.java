package org.m3sgg.train;

import java.util.List;
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
}
