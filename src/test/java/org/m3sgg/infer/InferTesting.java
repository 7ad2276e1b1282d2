package org.m3sgg.infer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.detector.DetectorSettings;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npy;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.RelationInputs;
import org.m3sgg.models.RelationTargets;
import org.m3sgg.models.SggModel;
import org.m3sgg.nn.AdamW;
import org.m3sgg.sgdet.FrameTruth;
import org.m3sgg.sgdet.SgdetOptions;
import org.m3sgg.sgdet.SgdetPipeline;
import org.m3sgg.sgdet.TrainEntry;
import org.m3sgg.testing.Fixtures;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.SgdetCollate;
import org.m3sgg.train.Trainer;

/**
 * The pieces the inference tests share: the reduced fixture detector (layer-3 maps of 256 channels, 512-d box
 * features) and tiny STTran runs trained for a few steps on that detector's detections of the fixture's two
 * preprocessed frames, with made-up ground truth (a person and two objects per frame, fixed relation labels).
 * Nothing here is about accuracy: the weights are random and the training is a few steps.
 */
public final class InferTesting {

    static final String DETECTOR = "detector-reference/faster_rcnn_ag.zip.tar";

    private static FasterRcnn detector;

    private InferTesting() {}

    public static Path detectorFile() {
        return Fixtures.file(DETECTOR);
    }

    /** The fixture detector, loaded once per test JVM (it is immutable). */
    public static synchronized FasterRcnn detector() {
        if (detector == null) {
            detector = FasterRcnn.load(detectorFile(), DetectorSettings.sttran());
        }
        return detector;
    }

    /** A model's quick config at the given input widths. */
    static ConfigTree config(String model, int feature, int unionIn) {
        return ConfigTree.load(Fixtures.repoRoot().resolve("configs/quick/" + model + ".yaml"),
                List.of("model.feature=" + feature, "model.union_in=" + unionIn));
    }

    /**
     * A run folder ({@code best} naming its checkpoint) of STTran in {@code mode}; in SGDET with widths
     * {@code feature} and {@code unionIn} equal to the detector's, trained {@code steps} steps on its detections.
     */
    public static Path run(Path dir, Mode mode, int feature, int unionIn, int steps) throws Exception {
        return run(dir, "sttran", mode, feature, unionIn, steps);
    }

    /** {@link #run(Path, Mode, int, int, int)} of any registered model with a quick config. */
    public static Path run(Path dir, String name, Mode mode, int feature, int unionIn, int steps) throws Exception {
        ConfigTree cfg = config(name, feature, unionIn);
        SggModel model = ModelRegistry.build(cfg, name, mode, 7);
        if (steps > 0) {
            Example ex = example();
            AdamW opt = AdamW.sttran(model.graph(), model.trainableParameters(), 1e-3);
            for (int s = 0; s < steps; s++) {
                model.trainStep(List.of(ex.inputs()), List.of(ex.targets()), opt);
            }
        }
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, name, mode.name().toLowerCase(), "best", 0,
                steps, steps, Map.of(), "infer-test", null, Map.of(), Instant.now().toString());
        Checkpoint.write(dir, "ckpt", meta, cfg, model, null, null);
        java.nio.file.Files.writeString(dir.resolve(Trainer.BEST), "ckpt\n");
        return dir;
    }

    /**
     * A short clip the tests make: {@code frames} PNGs of 160 x 96 ({@code 000000.png} ...) with a tall blue
     * "person" and two coloured rectangles moving across a grey background.
     */
    public static Path renderClip(Path dir, int frames) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        for (int t = 0; t < frames; t++) {
            javax.imageio.ImageIO.write(clipFrame(t), "png", dir.resolve(String.format("%06d.png", t)).toFile());
        }
        return dir;
    }

    /** Frame {@code t} of the clip. */
    public static java.awt.image.BufferedImage clipFrame(int t) {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(160, 96,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = img.createGraphics();
        g.setColor(new java.awt.Color(0x80, 0x80, 0x80));
        g.fillRect(0, 0, 160, 96);
        g.setColor(new java.awt.Color(0x20, 0x40, 0xC0));
        g.fillRect(20 + 4 * t, 10, 30, 80);
        g.setColor(new java.awt.Color(0xD0, 0x30, 0x30));
        g.fillRect(100 - 3 * t, 50, 28, 22);
        g.setColor(new java.awt.Color(0x30, 0xB0, 0x40));
        g.fillRect(70, 8 + 5 * t, 24, 18);
        g.dispose();
        return img;
    }

    /** One training video: the fixture frames through the detector and STTran's SGDET training path. */
    record Example(RelationInputs inputs, RelationTargets targets) {}

    static Example example() {
        FasterRcnn det = detector();
        Path dir = Fixtures.dir("detector-reference");
        NdArray images = Npy.read(dir.resolve("in_im_data.npy"));
        NdArray info = Npy.read(dir.resolve("in_im_info.npy"));
        int[] s = images.shape();
        float[] inf = info.floats();
        float[][] imInfo = {{inf[0], inf[1], inf[2]}, {inf[3], inf[4], inf[5]}};
        FasterRcnn.Pass pass = det.detect(images.floats(), s[0], s[2], s[3], imInfo);
        List<FrameTruth> truth = new ArrayList<>();
        for (int t = 0; t < s[0]; t++) {
            truth.add(new FrameTruth(new float[] {10 + t, 5, 45 + t, 55}, new int[] {10, 20},
                    new double[][] {{55, 20 + t, 90, 50}, {30 - t, 30, 60, 58}}));
        }
        TrainEntry e = new SgdetPipeline(det.head(), SgdetOptions.reference()).train(
                pass.detections().toDetections(), pass.base().maps(), truth);
        RelationInputs in = SgdetCollate.inputs(e.boxes(), e.features(), e.distribution(), e.labels(), e.pairs(),
                e.imIdx(), e.unionFeatures(), e.masks(), det.baseChannels(), det.head().featureDim());
        int p = e.pairs().length;
        int[] att = new int[p];
        int[][] spa = new int[p][];
        int[][] con = new int[p][];
        for (int i = 0; i < p; i++) {
            int g = e.pairGt()[i][1];
            att[i] = g % 3;
            spa[i] = new int[] {g % 6};
            con[i] = new int[] {(3 * g) % 17};
        }
        return new Example(in, new RelationTargets(att, spa, con, e.labels().clone()));
    }
}
