package org.m3sgg.models;

import java.util.List;
import org.m3sgg.data.AgVideo;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.nn.AdamW;
import org.m3sgg.sgdet.FrameMaps;

/**
 * A model that reads whole frames (a frame-level feature map) instead of the kit's per-box inputs: OED, which
 * detects its own pairs. The {@link org.m3sgg.train.Trainer} hands it the annotated videos with their frame maps
 * instead of collated {@link RelationInputs}, and the scoring takes its predictions as they are. The per-box
 * methods of {@link SggModel} ({@code forward}, {@code relations}, {@code objectLogits}, {@code evaluateLoss}, the
 * per-box {@code trainStep}) do not apply and refuse with a {@link org.m3sgg.api.KitException}.
 */
public interface FrameModel extends SggModel {

    /**
     * One annotated video and its frame maps.
     *
     * @param video the annotations (ground truth for the losses, and the ground-truth pairs in PredCLS)
     * @param maps  one map per annotated frame, in annotation order
     */
    record Clip(AgVideo video, FrameMaps maps) {}

    /**
     * One optimiser update from the annotated frames of {@code clips}.
     *
     * @return the mean loss over the frames (forward passes before the update)
     */
    double trainStep(List<Clip> clips, AdamW optimizer);

    /** Evaluation-mode predictions for every annotated frame of a video, in frame order. */
    List<FramePrediction> predict(Clip clip);
}
