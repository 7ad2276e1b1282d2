package org.m3sgg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.models.oed.OedCheckpoint;
import org.m3sgg.models.oed.OedImages;
import org.m3sgg.models.oed.OedPostProcess;
import org.m3sgg.models.oed.OedPredictor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code m3sgg oed-predict}: an OED checkpoint run on the frames of one video, OED's predictions as JSON. */
@Command(name = "oed-predict", mixinStandardHelpOptions = true,
        description = {"Run an OED SGDET checkpoint (OED's own layout, e.g. the published ones) on the frames of one "
                + "video (PNG or JPEG files of a folder, in name order) as OED's evaluation does: resize to short "
                + "side 600 / long side <= 1000, normalise, ResNet backbone, transformer; a temporal checkpoint "
                + "refines each frame with the PRM over OED's reference frames. Writes OED's post-processed "
                + "predictions per frame (boxes normalised cxcywh of the resized frame, as OED leaves them).",
            "See docs/MODELS.md (OED) for the published checkpoints and what the kit refuses."})
public final class OedPredictCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "FILE", required = true, converter = Converters.ExistingFile.class,
            description = "OED checkpoint ({'model', 'args', ...}, zip or legacy torch serialisation).")
    Path checkpoint;

    @Option(names = "--frames", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "Folder with the video's frames (*.png, *.jpg, *.jpeg), taken in name order.")
    Path frames;

    @Option(names = "--out", paramLabel = "FILE", required = true, converter = Converters.OutFile.class,
            description = "Predictions JSON to write.")
    Path out;

    @Option(names = "--spatial-only", description = "Run a temporal checkpoint's spatial model only (no PRM).")
    boolean spatialOnly;

    @Option(names = "--prm-topk", paramLabel = "K,K,K", converter = Converters.PositiveInts.class,
            description = "Reference queries the PRM keeps per reference frame at each step (default 80,50,30: "
                    + "literals of OED's code, not in the checkpoint's args).")
    Converters.IntList prmTopk;

    @Override
    public Integer call() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(frames)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)"))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new KitException("--frames " + frames + ": no *.png, *.jpg or *.jpeg files");
        }
        List<OedImages.Rgb> rgb = new ArrayList<>();
        for (Path f : files) {
            rgb.add(read(f));
        }
        OedPredictor predictor = OedPredictor.fromCheckpoint(OedCheckpoint.load(checkpoint),
                prmTopk == null ? org.m3sgg.models.oed.OedConfig.PUBLISHED_TOPK : prmTopk.values(), spatialOnly);
        List<OedPredictor.Result> results = predictor.predict(rgb);
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("checkpoint", checkpoint.toString());
        root.put("temporal", predictor.model().config().temporal());
        root.put("boxes", "cxcywh normalised to the resized frame (OED's PostProcessDSGG)");
        ArrayNode arr = root.putArray("frames");
        for (OedPredictor.Result r : results) {
            ObjectNode n = arr.addObject();
            n.put("frame", files.get(r.frame()).getFileName().toString());
            n.put("width", rgb.get(r.frame()).width());
            n.put("height", rgb.get(r.frame()).height());
            n.put("input_width", r.inputWidth());
            n.put("input_height", r.inputHeight());
            ArrayNode refs = n.putArray("reference_frames");
            for (int i : r.referenceFrames()) {
                refs.add(files.get(i).getFileName().toString());
            }
            OedPostProcess p = r.post();
            n.set("scores", om.valueToTree(p.scores()));
            n.set("labels", om.valueToTree(p.labels()));
            n.set("boxes", om.valueToTree(p.boxes()));
            n.set("pair_idx", om.valueToTree(p.pairs()));
            n.set("attention_distribution", om.valueToTree(p.attention()));
            n.set("spatial_distribution", om.valueToTree(p.spatial()));
            n.set("contacting_distribution", om.valueToTree(p.contacting()));
        }
        AtomicFiles.writeString(out, om.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "OED (%s) on %d frames of %s: %s%n", predictor.model().config().temporal()
                ? "temporal, PRM" : "spatial", files.size(), frames, out);
        w.flush();
        return 0;
    }

    /** An 8-bit RGB frame as PIL's {@code convert('RGB')} gives it (alpha dropped, grey expanded). */
    private static OedImages.Rgb read(Path f) {
        BufferedImage img;
        try {
            img = ImageIO.read(f.toFile());
        } catch (IOException e) {
            throw new KitException(f + ": cannot read the image (" + e.getMessage() + ")");
        }
        if (img == null) {
            throw new KitException(f + ": not a readable PNG or JPEG image");
        }
        int h = img.getHeight();
        int w = img.getWidth();
        byte[] px = new byte[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = img.getRGB(x, y);
                int o = (y * w + x) * 3;
                px[o] = (byte) (v >> 16);
                px[o + 1] = (byte) (v >> 8);
                px[o + 2] = (byte) v;
            }
        }
        return new OedImages.Rgb(h, w, px);
    }
}
