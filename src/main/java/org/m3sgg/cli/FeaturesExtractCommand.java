package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.extract.ExtractPlan;
import org.m3sgg.extract.ExtractProgress;
import org.m3sgg.extract.FeatureExtractor;
import org.m3sgg.extract.VideoSelection;
import org.m3sgg.train.ConsoleProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m3sgg features extract}: Action Genome's annotated frames through STTran's detector into feature folders. */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = {"Run STTran's Faster R-CNN (faster_rcnn_ag.pth) over the annotated frames of an Action Genome "
            + "folder and write OUT/features (PredCLS/SGCLS: ground-truth box features, distributions, person-object "
            + "union features) and OUT/detections (SGDET: detections, layer-3 maps, the detector's box head).",
            "Resumable: videos whose files exist are skipped; every file is written atomically. "
            + "Train with --set data.features=OUT/features or --mode sgdet --set data.detections=OUT/detections."})
public final class FeaturesExtractCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-path", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "Action Genome folder (annotations/ inside)")
    Path dataPath;

    @Option(names = "--frames", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "dumped frames: DIR/VID.mp4/NNNNNN.png for every annotated frame key")
    Path frames;

    @Option(names = "--out", paramLabel = "DIR", required = true, converter = Converters.OutDir.class,
            description = "output folder: features/ and detections/ are written inside")
    Path out;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, converter = Converters.ExistingFile.class,
            description = "the detector checkpoint (faster_rcnn_ag.pth)")
    Path checkpoint;

    @Option(names = "--what", paramLabel = "LIST", defaultValue = "features,detections",
            converter = Converters.ExtractWhat.class, completionCandidates = Converters.ExtractWhat.class,
            description = "${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}")
    String what;

    @Option(names = "--videos", paramLabel = "N|ID,...", converter = Converters.Videos.class,
            description = "only the first N videos (train, then test, loader order) or the listed ids; default all")
    VideoSelection videos;

    @Option(names = "--target-size", paramLabel = "PX", defaultValue = "600", converter = Converters.PositiveInt.class,
            description = "short side of the resized frames (STTran: 600); default ${DEFAULT-VALUE}")
    int targetSize;

    @Option(names = "--map-dtype", paramLabel = "TYPE", defaultValue = "float16", converter = Converters.MapDtype.class,
            completionCandidates = Converters.MapDtype.class,
            description = "stored type of the layer-3 maps: ${COMPLETION-CANDIDATES}; default ${DEFAULT-VALUE}")
    String mapDtype;

    @Option(names = "--clip-boxes",
            description = "clip the detection boxes of every frame to the frame (default: as STTran's detector leaves "
            + "them, only the first frame of each 10-frame chunk clipped, later frames may reach beyond the "
            + "right/bottom edge)")
    boolean clipBoxes;

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        FeatureExtractor.Options o = new FeatureExtractor.Options(frames, out, what.contains("features"),
                what.contains("detections"), targetSize, mapDtype,
                clipBoxes);
        ExtractPlan plan = ExtractPlan.of(ActionGenome.open(dataPath)).select(videos);
        FeatureExtractor ex = FeatureExtractor.open(checkpoint, o);
        if (!plan.filterSmall()) {
            w.println("note: no " + ActionGenome.FILTERSMALL_FILE + ": the frames of the full object file only");
        }
        FeatureExtractor.Summary s = ex.run(plan, new ExtractProgress(w, ConsoleProgress.isTerminal()));
        w.printf(Locale.ROOT, "%d videos: %d written, %d skipped (files already there); %,d boxes, %,d union pairs, "
                + "%,d detections%s, %.1f MB in %.1f s%s%n", s.videos(), s.written(), s.skipped(), s.boxes(),
                s.unions(), s.detections(), clipBoxes ? String.format(Locale.ROOT, " (%,d clipped to the frame)",
                s.clipped()) : "", s.bytes() / 1e6, s.seconds(),
                s.computed() > 0 ? String.format(Locale.ROOT, " (%.3f s per frame computed)", s.seconds() / s.computed()) : "");
        if (o.features()) {
            w.println("features:   " + out.resolve(FeatureExtractor.FEATURES));
        }
        if (o.detections()) {
            w.println("detections: " + out.resolve(FeatureExtractor.DETECTIONS));
        }
        w.flush();
        return 0;
    }
}
