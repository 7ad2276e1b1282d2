package org.m3sgg.infer;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.detector.DetectorSettings;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.SggModel;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.SgdetPipeline;
import org.m3sgg.sgdet.TestEntry;
import org.m3sgg.train.SgdetCollate;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scene graphs of any video: frames through STTran's preprocessing, the Faster R-CNN (chunks of 10 frames, as the
 * reference), STTran's SGDET object pipeline ({@link SgdetPipeline#test}, with the detector's own layer-4 head as
 * the box head) and the relation model of an SGDET run, one window of frames at a time.
 *
 * <p>A window is a run of consecutive sampled frames the relation model sees together (its temporal context);
 * it is a multiple of the detector's chunk so that the detector's per-chunk behaviour (only the first frame of a
 * chunk is clipped) is the same as on the whole video.
 */
public final class VideoInference {

    private final FasterRcnn detector;
    private final SgdetRun run;
    private final SgdetPipeline pipeline;
    private final String detectorSource;

    /** The detector and the run's model; their widths must agree ({@link SgdetRun#requireMatches}). */
    public VideoInference(FasterRcnn detector, String detectorSource, SgdetRun run) {
        run.requireMatches(detector, detectorSource);
        this.detector = detector;
        this.run = run;
        this.detectorSource = detectorSource;
        this.pipeline = new SgdetPipeline(detector.head(), run.options());
    }

    /** Loads the run (checkpoint or run folder) and the detector checkpoint, checking that they agree. */
    public static VideoInference load(Path runDir, Path detectorCheckpoint) {
        SgdetRun run = SgdetRun.open(runDir);
        FasterRcnn det = FasterRcnn.load(detectorCheckpoint, DetectorSettings.sttran());
        return new VideoInference(det, detectorCheckpoint.toString(), run);
    }

    public FasterRcnn detector() {
        return detector;
    }

    public SgdetRun run() {
        return run;
    }

    public String detectorSource() {
        return detectorSource;
    }

    /** The model of the run. */
    public SggModel model() {
        return run.loaded().model();
    }

    /**
     * The scene graphs of one window of preprocessed frames.
     *
     * @param images [T, 3, H, W] preprocessed frames (C order, zero-padded to one size)
     * @param imInfo [T][3] = (H, W, scale) of each frame before padding
     * @param index  each frame's number in its source
     * @param names  each frame's name
     */
    public List<SceneGraph> graphs(float[] images, int frames, int height, int width, float[][] imInfo,
            int[] index, String[] names, int topK) {
        if (index.length != frames || names.length != frames) {
            throw new KitException("infer: " + frames + " frames but " + index.length + " indices and "
                    + names.length + " names");
        }
        FasterRcnn.Pass pass = detector.detect(images, frames, height, width, imInfo);
        FrameMaps maps = pass.base().maps();
        TestEntry e = pipeline.test(pass.detections().toDetections(), maps);
        Map<String, INDArray> out = null;
        if (e.pairs().length > 0) {
            RelationInputs in = SgdetCollate.inputs(e.boxes(), e.features(), e.distribution(), e.labels(),
                    e.pairs(), e.imIdx(), e.unionFeatures(), e.masks(), maps.channels(),
                    detector.head().featureDim());
            out = model().relations(in);
        }
        return GraphBuilder.build(e, out, index, names, topK);
    }
}
