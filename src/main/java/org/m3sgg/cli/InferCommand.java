package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.infer.GraphsFile;
import org.m3sgg.infer.InferOutputs;
import org.m3sgg.infer.VideoInference;
import org.m3sgg.train.ConsoleProgress;
import org.m3sgg.video.DetectorInput;
import org.m3sgg.video.Sampling;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code m3sgg infer}: any video or frame folder to scene graphs, overlays, a timeline and a preview. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = {"Scene graphs of a video file or a frame folder: STTran's preprocessing, the Faster R-CNN "
                + "(--detector), STTran's SGDET object pipeline and the relation model of an SGDET run "
                + "(--checkpoint). Writes OUT/graphs.json, OUT/overlays/NNNNNN.png per sampled frame, "
                + "OUT/timeline.png and OUT/preview.gif or .mp4 (docs/INFER.md)."})
public final class InferCommand implements Callable<Integer>, Preflight {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "RUN", required = true, converter = Converters.ExistingDir.class,
            description = "A run folder (its best checkpoint) or checkpoint folder of a model trained with --mode "
                    + "sgdet on this detector's detections.")
    Path checkpoint;

    @Option(names = "--detector", paramLabel = "PTH", required = true, converter = Converters.ExistingFile.class,
            description = "The Faster R-CNN checkpoint (faster_rcnn_ag.pth).")
    Path detector;

    @Option(names = "--video", paramLabel = "FILE", converter = Converters.ExistingFile.class,
            description = "A video file (decoded by FFmpeg).")
    Path video;

    @Option(names = "--frames", paramLabel = "DIR", converter = Converters.ExistingDir.class,
            description = "A folder of PNG/JPG frames (e.g. Action Genome's frames/VID.mp4).")
    Path frames;

    @Option(names = "--out", paramLabel = "DIR", required = true, converter = Converters.OutDir.class,
            description = "Output folder (created; files in it are replaced).")
    Path out;

    @Option(names = "--every", paramLabel = "N", converter = Converters.PositiveInt.class,
            description = "Every N-th frame (default: every frame).")
    Integer every;

    @Option(names = "--fps", paramLabel = "R", converter = Converters.PositiveDouble.class,
            description = "The frames nearest to R frames per second of the video (not with --every).")
    Double fps;

    @Option(names = "--top", paramLabel = "K", defaultValue = "10", converter = Converters.NonNegativeInt.class,
            description = "Triplets kept per frame (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--preview", paramLabel = "KIND", defaultValue = "gif", converter = Converters.PreviewKind.class,
            completionCandidates = Converters.PreviewKind.class,
            description = "${COMPLETION-CANDIDATES}: the animated preview (default: ${DEFAULT-VALUE}).")
    String preview;

    @Option(names = "--target-size", paramLabel = "PX", defaultValue = "600", converter = Converters.PositiveInt.class,
            description = "Short side of the detector's input (default: ${DEFAULT-VALUE}, what the published "
                    + "detector was trained on).")
    int targetSize;

    @Option(names = "--window", paramLabel = "N", defaultValue = "30", converter = Converters.PositiveInt.class,
            description = "Sampled frames the relation model sees together, a multiple of 10 (default: "
                    + "${DEFAULT-VALUE}).")
    int window;

    @Override
    public void preflight() {
        if ((video == null) == (frames == null)) {
            throw new KitException("give exactly one of --video FILE and --frames DIR");
        }
        if (every != null && fps != null) {
            throw new KitException("give either --every " + every + " or --fps " + fps + ", not both");
        }
        if (window % 10 != 0) {
            throw new KitException("--window " + window + ": expected a multiple of 10 (the detector's chunk)");
        }
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Sampling sampling = fps != null ? Sampling.fps(fps) : every != null ? Sampling.every(every) : Sampling.ALL;
        VideoInference.Options o = new VideoInference.Options(sampling, top, window, targetSize);
        VideoInference vi = VideoInference.load(checkpoint, detector);
        w.printf(Locale.ROOT, "%s (sgdet, %s) on detector %s: %d-d features, %d-channel maps%n", vi.model().name(),
                vi.run().checkpoint(), detector, vi.run().feature(), vi.run().unionIn());
        w.flush();
        Path source = video != null ? video : frames;
        InferOutputs.Preview kind = InferOutputs.Preview.valueOf(preview.toUpperCase(Locale.ROOT));
        InferOutputs outputs = new InferOutputs(out, top, kind);
        VideoInference.Result r = vi.run(source, o, new FrameProgress(w, ConsoleProgress.isTerminal()), outputs);
        GraphsFile file = vi.file(r, o);
        outputs.finish(file, source.getFileName().toString());
        long triplets = r.graphs().stream().mapToLong(g -> g.triplets().size()).sum();
        long objects = r.graphs().stream().mapToLong(g -> g.objects().size()).sum();
        w.printf(Locale.ROOT, "%d frames of %dx%d (%s): %d objects, %d triplets kept (top %d per frame)%n",
                r.graphs().size(), r.width(), r.height(), r.source(), objects, triplets, top);
        w.println("wrote " + out.resolve(GraphsFile.FILE) + ", " + outputs.overlays() + " overlays in "
                + out.resolve(InferOutputs.OVERLAYS) + ", " + out.resolve(InferOutputs.TIMELINE)
                + (kind == InferOutputs.Preview.NONE ? "" : ", " + InferOutputs.previewFile(out, kind)));
        w.flush();
        return 0;
    }
}
