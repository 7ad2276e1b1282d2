package org.m3sgg.infer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.m3sgg.api.ProgressListener;
import org.m3sgg.api.KitException;
import org.m3sgg.detector.DetectorSettings;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.SggModel;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.SgdetPipeline;
import org.m3sgg.sgdet.TestEntry;
import org.m3sgg.train.SgdetCollate;
import org.m3sgg.video.DetectorInput;
import org.m3sgg.video.Frame;
import org.m3sgg.video.FrameSource;
import org.m3sgg.video.FrameSources;
import org.m3sgg.video.Sampling;
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

    /**
     * How a video is run.
     *
     * @param sampling   which frames of the source (every n-th, or at a rate)
     * @param topK       triplets kept per frame
     * @param window     sampled frames the relation model sees together, a multiple of the detector's chunk (10)
     * @param targetSize the preprocessed frames' short side (600: what the published detector was trained on)
     */
    public record Options(Sampling sampling, int topK, int window, int targetSize) {
        public static final int DEFAULT_WINDOW = 30;

        public Options {
            if (sampling == null) {
                throw new KitException("infer: sampling missing");
            }
            if (topK < 0) {
                throw new KitException("infer: top-k must be >= 0, got " + topK);
            }
            if (window < 1) {
                throw new KitException("infer: window must be >= 1 frame, got " + window);
            }
            if (targetSize < 1) {
                throw new KitException("infer: target size must be >= 1 pixel, got " + targetSize);
            }
        }

        /** Every frame, top 10 triplets, windows of 30 frames, short side 600. */
        public static Options defaults() {
            return new Options(Sampling.ALL, 10, DEFAULT_WINDOW, DetectorInput.STTRAN_SHORT_SIDE);
        }

        public Options withSampling(Sampling s) {
            return new Options(s, topK, window, targetSize);
        }

        public Options withTopK(int k) {
            return new Options(sampling, k, window, targetSize);
        }

        public Options withTargetSize(int size) {
            return new Options(sampling, topK, window, size);
        }
    }

    /** One window's frames (as decoded) and their graphs, in order. */
    public record Window(List<Frame> frames, List<SceneGraph> graphs) {}

    /**
     * A video's scene graphs.
     *
     * @param source what was read ({@link FrameSource#describe()})
     * @param width  the frames' width
     * @param height the frames' height
     */
    public record Result(String source, int width, int height, List<SceneGraph> graphs) {
        @Override
        public String toString() {
            long triplets = graphs.stream().mapToLong(g -> g.triplets().size()).sum();
            return graphs.size() + " scene graphs of " + width + "x" + height + " frames, " + triplets
                    + " triplets (" + source + ")";
        }
    }

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

    /** A result as {@code graphs.json} holds it, with what produced it. */
    public GraphsFile file(Result r, Options o) {
        return new GraphsFile(GraphsFile.FORMAT, r.source(), detectorSource, run.checkpoint().toString(),
                model().name(), o.sampling().every(), o.sampling().fps(), o.topK(), o.window(), o.targetSize(),
                r.width(), r.height(), r.graphs());
    }

    /** {@link #run(Path, Options, ProgressListener, Consumer)} without progress or per-window callback. */
    public Result run(Path videoOrFolder, Options options) {
        return run(videoOrFolder, options, ProgressListener.none(), w -> { });
    }

    /**
     * The scene graphs of a video file or a frame folder: frames are read with the options' sampling, preprocessed
     * as STTran's loader does, and run a window at a time; {@code each} sees every window's frames and graphs as
     * soon as they exist (to write overlays without keeping the frames).
     */
    public Result run(Path videoOrFolder, Options options, ProgressListener progress, Consumer<Window> each) {
        int chunk = detector.settings().chunk();
        if (options.window() % chunk != 0) {
            throw new KitException("infer: window " + options.window() + " is not a multiple of the detector's "
                    + "chunk of " + chunk + " frames");
        }
        List<SceneGraph> all = new ArrayList<>();
        String source;
        int width = -1;
        int height = -1;
        progress.onStart("scene graphs of " + videoOrFolder.getFileName(), 0);
        try (FrameSource frames = FrameSources.open(videoOrFolder, options.sampling())) {
            source = frames.describe();
            List<Frame> window = new ArrayList<>();
            while (true) {
                Optional<Frame> next = frames.next();
                if (next.isPresent()) {
                    Frame f = next.get();
                    if (width < 0) {
                        width = f.width();
                        height = f.height();
                    } else if (f.width() != width || f.height() != height) {
                        throw new KitException(source + ": frame " + f.name() + " is " + f.width() + "x"
                                + f.height() + ", the first frame is " + width + "x" + height);
                    }
                    window.add(f);
                }
                if (window.size() == options.window() || next.isEmpty() && !window.isEmpty()) {
                    List<SceneGraph> g = graphs(window, options);
                    all.addAll(g);
                    each.accept(new Window(List.copyOf(window), g));
                    progress.onAdvance(all.size(), window.get(window.size() - 1).name());
                    window.clear();
                }
                if (next.isEmpty()) {
                    break;
                }
            }
        } finally {
            progress.onFinish();
        }
        if (all.isEmpty()) {
            throw new KitException(source + ": no frames were read (" + options.sampling().describe() + ")");
        }
        return new Result(source, width, height, all);
    }

    /** The graphs of decoded frames of one window: STTran's preprocessing, then {@link #graphs(float[], int, int,
     * int, float[][], int[], String[], int)}. */
    public List<SceneGraph> graphs(List<Frame> frames, Options options) {
        List<DetectorInput.Blob> blobs = new ArrayList<>();
        int[] index = new int[frames.size()];
        String[] names = new String[frames.size()];
        for (int i = 0; i < frames.size(); i++) {
            blobs.add(DetectorInput.sttran(frames.get(i).image(), options.targetSize()));
            index[i] = frames.get(i).index();
            names[i] = frames.get(i).name();
        }
        DetectorInput.Batch b = DetectorInput.batch(blobs);
        return graphs(b.images(), b.frames(), b.height(), b.width(), b.imInfo(), index, names, options.topK());
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
