package org.m3sgg.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgSplit;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.features.DetectionFolder;
import org.m3sgg.features.DetectionSource;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.models.FrameModel;
import org.m3sgg.sgdet.BoxHead;
import org.m3sgg.sgdet.SgdetPipeline;
import org.m3sgg.synth.WorldDetections;

/**
 * The videos of a run: Action Genome's training split cut into the videos the model trains on and a validation
 * part for model selection (a seeded choice of whole videos), the test split (scored once at the end), and the
 * feature folder.
 *
 * @param dataPath    the Action Genome folder
 * @param train       training videos (the training split minus the validation videos)
 * @param val         validation videos (from the training split, never the test split)
 * @param test        the test split
 * @param features    the feature folder (PredCLS, SGCLS; null in SGDET, which reads no per-box features)
 * @param detections  SGDET: where the detections come from ({@code data.detections}); null in other modes
 * @param sgdet       SGDET: the object pipeline (STTran's, with {@code data.sgdet_*}); null in other modes
 * @param fingerprint SHA-256 (first 16 hex digits) of the frame keys of the three parts and the feature (SGDET:
 *                    detections) metadata
 */
public record RunData(Path dataPath, List<AgVideo> train, List<AgVideo> val, List<AgVideo> test,
        FeatureSource features, DetectionSource detections, SgdetPipeline sgdet, String fingerprint) {

    /** The mode's view of a video: PredCLS/SGCLS through {@link Collate}, SGDET through {@link SgdetCollate}. */
    public Collate.Video collateForTraining(AgVideo v, Mode mode) {
        if (mode == Mode.SGDET) {
            return SgdetCollate.train(v, sgdetVideo(v), sgdet);
        }
        return Collate.of(v, features.video(v.id()), mode);
    }

    /** SGDET: the detections of a video. */
    public VideoDetections sgdetVideo(AgVideo v) {
        if (detections == null) {
            throw new KitException("this run's data was loaded for PredCLS/SGCLS: it has no detections");
        }
        return detections.video(v.id());
    }

    /**
     * A video with the frame maps of its annotated frames, for a {@link FrameModel}: from the run's detections in
     * SGDET, else from the synthetic world's detector (the data folder's {@code world.json}; a real Action Genome
     * folder has no frame maps outside SGDET detections yet).
     */
    public FrameModel.Clip clip(AgVideo v) {
        DetectionSource src = detections;
        if (src == null) {
            src = WORLD_MAPS.computeIfAbsent(dataPath.toAbsolutePath().normalize(),
                    p -> openDetections(p, DataConfig.WORLD));
        }
        return new FrameModel.Clip(v, SgdetCollate.select(v, src.video(v.id())).maps());
    }

    /** The synthetic worlds' detectors opened for frame maps outside SGDET, by data folder. */
    private static final java.util.Map<Path, DetectionSource> WORLD_MAPS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The data of a run in {@code mode} as the config describes it: the {@code data:} section, split with
     * {@code train.val_fraction} and {@code train.val_seed}. What a notebook or an export needs without a
     * {@link Trainer}.
     */
    public static RunData of(ConfigTree config, Mode mode) {
        TrainConfig t = config.bind("train", TrainConfig.class);
        return load(config.bind("data", DataConfig.class), mode, t.valFraction(), t.valSeed());
    }

    /**
     * Epoch {@code epoch}'s training order (0-based): the training videos shuffled by a generator seeded from
     * ({@code seed}, epoch), as the {@link Trainer} visits them.
     */
    public List<AgVideo> epochOrder(long seed, int epoch) {
        List<AgVideo> order = new ArrayList<>(train);
        Collections.shuffle(order, new Random(Trainer.mix(seed, 1_000_003L * (epoch + 1))));
        return order;
    }

    /** Optimiser updates per epoch with {@code videosPerStep} videos a step (the last step may take fewer). */
    public int stepsPerEpoch(int videosPerStep) {
        return (train.size() + videosPerStep - 1) / videosPerStep;
    }

    /** Loads the data named by the config (the bundled world when {@code data.path} is empty). */
    public static RunData load(DataConfig data, Mode mode, double valFraction, long valSeed) {
        Path path = data.path() == null ? KitHome.bundledWorld() : Path.of(data.path());
        Path feat = path.resolve(data.features());
        ActionGenome ag = ActionGenome.open(path);
        AgSplit trainSplit = ag.load(mode, "train");
        AgSplit testSplit = ag.load(mode, "test");
        FeatureSource features = null;
        DetectionSource detections = null;
        SgdetPipeline sgdet = null;
        Path meta;
        if (mode == Mode.SGDET) {
            detections = openDetections(path, data.detections());
            BoxHead head = detections.head();
            sgdet = new SgdetPipeline(head, data.sgdetOptions());
            meta = DataConfig.WORLD.equals(data.detections()) ? path.resolve("world.json")
                    : path.resolve(data.detections()).resolve(DetectionFolder.META_FILE);
        } else {
            features = FeatureSource.open(feat);
            meta = feat.resolve(FeatureSource.META_FILE);
        }
        List<AgVideo> all = first(trainSplit.videos(), data.maxTrainVideos());
        List<AgVideo> test = first(testSplit.videos(), data.maxTestVideos());
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(valSeed));
        int nVal = (int) Math.round(valFraction * all.size());
        if (all.size() < 2 || nVal < 1 || nVal >= all.size()) {
            throw new KitException(path + ": " + all.size() + " training videos cannot be split into training and "
                    + "validation videos with train.val_fraction " + valFraction);
        }
        boolean[] isVal = new boolean[all.size()];
        for (int i = 0; i < nVal; i++) {
            isVal[idx.get(i)] = true;
        }
        List<AgVideo> train = new ArrayList<>();
        List<AgVideo> val = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            (isVal[i] ? val : train).add(all.get(i));
        }
        String fp = fingerprint(train, val, test, meta);
        return new RunData(path, List.copyOf(train), List.copyOf(val), test, features, detections, sgdet, fp);
    }

    /**
     * {@code data.detections}: {@code world} is the synthetic world's detector, computed from the data folder's
     * {@code world.json}; anything else a detections folder. SGDET never falls back to ground-truth boxes.
     */
    static DetectionSource openDetections(Path dataPath, String detections) {
        if (DataConfig.WORLD.equals(detections)) {
            if (!Files.isRegularFile(dataPath.resolve("world.json"))) {
                throw new KitException("data.detections is 'world' but " + dataPath + " has no world.json (it is "
                        + "not a synthetic world): set data.detections to a detections folder (datasets/README.md)");
            }
            return WorldDetections.open(dataPath);
        }
        Path dir = dataPath.resolve(detections);
        if (!Files.isDirectory(dir)) {
            throw new KitException("data.detections: no detections folder at " + dir + " (expected meta.json and "
                    + "one VID.mp4.npz per video, datasets/README.md; or 'world' for a synthetic world)");
        }
        return DetectionFolder.open(dir);
    }

    /** The first {@code max} videos (0: all). */
    private static List<AgVideo> first(List<AgVideo> videos, int max) {
        return max <= 0 || max >= videos.size() ? videos : List.copyOf(videos.subList(0, max));
    }

    static String fingerprint(List<AgVideo> train, List<AgVideo> val, List<AgVideo> test, Path meta) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (List<AgVideo> part : List.of(train, val, test)) {
                for (AgVideo v : part) {
                    for (AgFrame f : v.frames()) {
                        md.update(f.key().getBytes(StandardCharsets.UTF_8));
                        md.update((byte) '\n');
                    }
                }
                md.update((byte) '|');
            }
            md.update(Files.readAllBytes(meta));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new KitException("cannot read " + meta + ": " + e.getMessage(), e);
        }
    }
}
