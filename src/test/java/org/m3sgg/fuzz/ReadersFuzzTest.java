package org.m3sgg.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.DatasetValidator;
import org.m3sgg.data.Mode;
import org.m3sgg.data.pickle.PickleIO;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.PredictionsFile;
import org.m3sgg.features.FeatureMeta;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.features.Npy;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.features.DetectionFolder;
import org.m3sgg.features.DetectionsMeta;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.synth.DetectionSynth;
import org.m3sgg.synth.WorldDetections;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.testing.Fixtures;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.DataConfig;
import org.m3sgg.train.TrainConfig;
import org.m3sgg.video.ClipWriter;
import org.m3sgg.video.FrameSource;
import org.m3sgg.video.FrameSources;
import org.m3sgg.video.Sampling;

/**
 * Malformed variants of every format the kit reads (issue 14's fuzz suite). For each variant the reader must
 * either accept it or throw a {@link KitException} whose message names the file; no other exception may escape,
 * no read may take longer than its bound, and the file read is left as it was. Failures are collected and
 * reported together, one line per variant, so one run shows every gap.
 */
class ReadersFuzzTest {

    private static final Duration BOUND = Duration.ofSeconds(20);
    /** Variants per format; the count of cases is reported in docs/HARDENING.md. */
    static final int PER_FORMAT = 48;
    private static int cases;

    @TempDir
    Path tmp;

    @AfterAll
    static void report() {
        System.out.println("fuzz: " + cases + " malformed inputs read, each refused cleanly or accepted");
    }

    /** What a reader does with a file. */
    interface Read {
        void read(Path file) throws Exception;
    }

    private void fuzz(String format, Path place, List<Mutations.Variant> variants, Read reader, String... names)
            throws IOException {
        List<String> failures = new ArrayList<>();
        for (Mutations.Variant v : variants) {
            Files.write(place, v.bytes());
            cases++;
            try {
                assertTimeoutPreemptively(BOUND, () -> reader.read(place));
            } catch (KitException e) {
                String m = e.getMessage();
                boolean named = m != null && (m.contains(place.getFileName().toString())
                        || Arrays.stream(names).anyMatch(m::contains));
                if (!named || m.lines().count() != 1) {
                    failures.add(format + ", " + v.what() + ": message does not name the file in one line: " + m);
                }
            } catch (Throwable t) {
                failures.add(format + ", " + v.what() + ": " + t.getClass().getName() + ": " + t.getMessage());
            }
            if (!Arrays.equals(v.bytes(), Files.readAllBytes(place))) {
                failures.add(format + ", " + v.what() + ": the reader changed the file");
            }
        }
        assertEquals(List.of(), failures, failures.size() + " of " + variants.size() + " " + format + " variants");
    }

    private static byte[] bytes(Path p) throws IOException {
        return Files.readAllBytes(p);
    }

    @Test
    void annotationPickles() throws Exception {
        Path src = Fixtures.path("ag-format/annotations");
        for (String name : List.of(ActionGenome.PERSON_FILE, ActionGenome.OBJECT_FILE)) {
            Path dir = tmp.resolve(name + ".d");
            copyTree(src, dir.resolve("annotations"));
            Path file = dir.resolve("annotations").resolve(name);
            byte[] valid = bytes(file);
            fuzz("pickle " + name, file, Mutations.bytes(valid, PER_FORMAT, name.length()), f -> {
                PickleIO.read(f);
            });
            // the same files through the validator (reports, never throws) and the loader (throws, naming files)
            fuzz("annotation folder " + name, file, Mutations.bytes(valid, PER_FORMAT / 2, 7 + name.length()), f -> {
                DatasetValidator.validate(dir);
                ActionGenome.open(dir).load(Mode.PREDCLS, "train");
            }, ActionGenome.PERSON_FILE, ActionGenome.OBJECT_FILE, ActionGenome.FILTERSMALL_FILE, "frame_list.txt");
        }
    }

    @Test
    void annotationTextFiles() throws Exception {
        Path dir = tmp.resolve("ag");
        copyTree(Fixtures.path("ag-format/annotations"), dir.resolve("annotations"));
        for (String name : List.of("frame_list.txt", "object_classes.txt", "relationship_classes.txt")) {
            Path file = dir.resolve("annotations").resolve(name);
            byte[] valid = bytes(file);
            fuzz(name, file, Mutations.bytes(valid, PER_FORMAT / 2, name.length()), f -> {
                DatasetValidator.validate(dir);
                ActionGenome.open(dir).load(Mode.PREDCLS, "test");
            }, ActionGenome.PERSON_FILE, ActionGenome.OBJECT_FILE, ActionGenome.FILTERSMALL_FILE);
            Files.write(file, valid);
        }
    }

    @Test
    void detectionFiles() throws Exception {
        // the synthetic world's detections of its shortest video, written as a detections folder
        WorldDetections world = WorldDetections.open(Fixtures.repoRoot().resolve("datasets/synthetic-ag"));
        String video = world.world().videos().stream().filter(v -> v.frames().size() >= 2)
                .min(java.util.Comparator.comparingInt(v -> v.frames().size())).orElseThrow().id();
        Path written = tmp.resolve("written");
        Files.createDirectories(written);
        DetectionsMeta meta = world.meta();
        Path one = world.video(video).write(written, meta);
        DetectionSynth synth = world.synth();
        DetectionFolder.writeHead(written, meta.mapChannels(), meta.featureDim(), synth.headTop(),
                world.world().config().sgdet().headStride(), synth.headClassWeight(), synth.headClassBias());
        DetectionFolder.writeMeta(written, meta);
        Path file = tmp.resolve(one.getFileName());
        fuzz("detections .npz", file, Mutations.bytes(bytes(one), PER_FORMAT, 5),
                f -> VideoDetections.read(f, video, meta));
        Path head = tmp.resolve(DetectionFolder.HEAD_FILE);
        fuzz("detections head.npz", head, Mutations.bytes(bytes(written.resolve(DetectionFolder.HEAD_FILE)),
                PER_FORMAT, 6), f -> DetectionFolder.readHead(f, meta));
        Path metaFile = tmp.resolve(DetectionFolder.META_FILE);
        fuzz("detections meta.json", metaFile,
                Mutations.text(Files.readString(written.resolve(DetectionFolder.META_FILE)), PER_FORMAT, 7),
                DetectionFolder::readMeta);
    }

    @Test
    void featureFiles() throws Exception {
        Path world = Fixtures.repoRoot().resolve("datasets/synthetic-ag/features");
        FeatureMeta meta = FeatureSource.readMeta(world.resolve(FeatureSource.META_FILE));
        Path one;
        try (Stream<Path> s = Files.list(world)) {
            one = s.filter(p -> p.toString().endsWith(".npz")).sorted().findFirst().orElseThrow();
        }
        String video = one.getFileName().toString().replace(".npz", "");
        Path file = tmp.resolve(one.getFileName());
        fuzz("feature .npz", file, Mutations.bytes(bytes(one), PER_FORMAT, 3), f -> VideoFeatures.read(f, video, meta));
        Path metaFile = tmp.resolve(FeatureSource.META_FILE);
        fuzz("features meta.json", metaFile,
                Mutations.text(Files.readString(world.resolve(FeatureSource.META_FILE)), PER_FORMAT, 4),
                FeatureSource::readMeta);
        Path npy = tmp.resolve("masks.npy");
        fuzz(".npy", npy, Mutations.bytes(bytes(Fixtures.path("sttran-reference/in_spatial_masks.npy")),
                PER_FORMAT, 5), Npy::read);
    }

    @Test
    void graphsFiles() throws Exception {
        Path valid = tmp.resolve("graphs-valid.json");
        org.m3sgg.infer.GraphsFileTest.sample().write(valid);
        Path file = tmp.resolve("graphs.json");
        fuzz("graphs.json (text)", file, Mutations.text(Files.readString(valid), PER_FORMAT, 11),
                org.m3sgg.infer.GraphsFile::read);
    }

    @Test
    void predictionsFiles() throws Exception {
        List<PredictionsFile.Entry> frames = PredictionsFile.read(Fixtures.path("evaluator/frames.json"));
        Path valid = tmp.resolve("valid.json");
        PredictionsFile.write(valid, frames.subList(0, 3));
        String text = Files.readString(valid);
        Path file = tmp.resolve("predictions.json");
        fuzz("predictions (text)", file, Mutations.text(text, PER_FORMAT, 6), PredictionsFile::read);
        fuzz("predictions (bytes)", file, Mutations.bytes(bytes(valid), PER_FORMAT, 7), PredictionsFile::read);
    }

    @Test
    void yamlConfigs() throws Exception {
        Path configs = tmp.resolve("configs");
        copyTree(Fixtures.repoRoot().resolve("configs"), configs);
        Path quick = configs.resolve("quick/sttran.yaml");
        Path base = configs.resolve("base/train.yaml");
        Read bindAll = f -> {
            ConfigTree t = ConfigTree.load(quick, List.of());
            t.requireSections(ConfigTree.SECTIONS);
            t.bind("train", TrainConfig.class);
            t.bind("data", DataConfig.class);
            t.bind("eval", EvaluatorConfig.class);
            ModelRegistry.get(ModelRegistry.resolveName(t, null)).bindConfig(t);
        };
        String quickText = Files.readString(quick);
        fuzz("config (model file)", quick, Mutations.text(quickText, PER_FORMAT, 8), bindAll, "sttran.yaml", "train.yaml", "data.yaml");
        Files.writeString(quick, quickText);
        fuzz("config (base file)", base, Mutations.text(Files.readString(base), PER_FORMAT, 9), bindAll, "sttran.yaml", "train.yaml", "data.yaml");
    }

    @Test
    void pytorchCheckpoints() throws Exception {
        for (String name : List.of("sttran_predcls.zip.tar", "sttran_predcls.legacy.tar")) {
            Path file = tmp.resolve(name);
            fuzz("torch " + name, file, Mutations.bytes(bytes(Fixtures.path("sttran-reference/" + name)),
                    PER_FORMAT / 2, name.length()), TorchCheckpoint::loadStateDict);
        }
    }

    @Test
    void kitCheckpoints() throws Exception {
        ConfigTree cfg = ConfigTree.load(Fixtures.repoRoot().resolve("configs/quick/sttran.yaml"), List.of());
        org.m3sgg.models.SggModel model = ModelRegistry.build(cfg, "sttran", Mode.PREDCLS, 0);
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, "sttran", "predcls", "best", 1, 0, 10,
                java.util.Map.of("with/R@20", 0.5), "fp", null, java.util.Map.of(), "now");
        Path dir = Checkpoint.write(tmp, "ck", meta, cfg, model, null, null);
        Read open = f -> Checkpoint.open(dir, null, null);
        for (String part : List.of(Checkpoint.META, Checkpoint.CONFIG)) {
            Path file = dir.resolve(part);
            String valid = Files.readString(file);
            fuzz("kit checkpoint " + part, file, Mutations.text(valid, PER_FORMAT / 3, part.length()), open,
                    "ck", "sttran.yaml", "train.yaml", "data.yaml");
            Files.writeString(file, valid);
        }
        Path params = dir.resolve(Checkpoint.PARAMS);
        fuzz("kit checkpoint " + Checkpoint.PARAMS, params, Mutations.bytes(bytes(params), PER_FORMAT / 3, 11), open);
    }

    /** A video file the kit encoded (H.264 in MP4) and a PNG frame in a frame folder, decoded to the last frame. */
    @Test
    void videoFilesAndFrameImages() throws Exception {
        List<java.awt.image.BufferedImage> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(64, 48,
                    java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(new java.awt.Color(200, 40 * i, 60));
            g.fillRect(4 * i, 8, 20, 16);
            g.dispose();
            frames.add(img);
        }
        Path clip = ClipWriter.writeMp4(tmp.resolve("made.mp4"), frames, 12);
        fuzz("video .mp4", tmp.resolve("clip.mp4"), Mutations.bytes(bytes(clip), PER_FORMAT, 17),
                f -> drain(FrameSources.open(f, Sampling.ALL)));
        Path folder = Files.createDirectories(tmp.resolve("frames/VID.mp4"));
        javax.imageio.ImageIO.write(frames.get(0), "png", folder.resolve("000001.png").toFile());
        Path png = folder.resolve("000002.png");
        javax.imageio.ImageIO.write(frames.get(1), "png", png.toFile());
        byte[] valid = bytes(png);
        fuzz("frame .png", png, Mutations.bytes(valid, PER_FORMAT, 19),
                f -> drain(FrameSources.open(folder, Sampling.ALL)));
    }

    private static void drain(FrameSource source) {
        try (source) {
            while (source.next().isPresent()) {
                // decode every frame
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
