package org.m3sgg.infer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.sgdet.SgdetOptions;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.DataConfig;
import org.m3sgg.train.Trainer;

/**
 * A relation model trained in SGDET, loaded from a checkpoint folder or a run folder (its selected checkpoint),
 * with the widths its graph consumes: {@code model.feature} (box features) and {@code model.union_in} (union
 * features pooled from the frame maps).
 *
 * @param checkpoint the checkpoint folder that was loaded
 * @param loaded     the checkpoint with its model
 * @param feature    F the model reads
 * @param unionIn    C the model reads
 * @param options    the run's SGDET object pipeline options ({@code data.sgdet_*})
 */
public record SgdetRun(Path checkpoint, Checkpoint.Loaded loaded, int feature, int unionIn, SgdetOptions options) {

    /**
     * Opens {@code dir}: a checkpoint folder ({@code meta.json}) or a run folder (its {@code best} checkpoint).
     * A run of another mode than SGDET, or one whose config does not state its input widths, is refused.
     */
    public static SgdetRun open(Path dir) {
        Path ckpt = resolve(dir);
        Checkpoint.Meta meta = Checkpoint.readMeta(ckpt);
        if (!"sgdet".equalsIgnoreCase(meta.mode())) {
            throw new KitException("--checkpoint " + dir + " holds a " + meta.model() + " model trained in "
                    + meta.mode().toLowerCase(java.util.Locale.ROOT) + " mode; infer needs one trained with "
                    + "--mode sgdet (it reads detections, not ground-truth boxes)");
        }
        Checkpoint.Loaded loaded = Checkpoint.open(ckpt, null, Mode.SGDET);
        ConfigTree cfg = loaded.config();
        int f = width(cfg, "model.feature", ckpt);
        int c = width(cfg, "model.union_in", ckpt);
        SgdetOptions options = cfg.bind("data", DataConfig.class).sgdetOptions();
        return new SgdetRun(ckpt, loaded, f, c, options);
    }

    /** A checkpoint folder, or a run folder's selected checkpoint. */
    static Path resolve(Path dir) {
        if (Files.isRegularFile(dir.resolve(Checkpoint.META))) {
            return dir;
        }
        Path best = dir.resolve(Trainer.BEST);
        if (Files.isRegularFile(best)) {
            try {
                Path c = dir.resolve(Files.readString(best).trim());
                if (Files.isRegularFile(c.resolve(Checkpoint.META))) {
                    return c;
                }
                throw new KitException("--checkpoint " + dir + ": " + best + " names " + c
                        + ", which is not a checkpoint folder");
            } catch (IOException e) {
                throw new KitException("--checkpoint " + dir + ": cannot read " + best + ": " + e.getMessage(), e);
            }
        }
        throw new KitException("--checkpoint " + dir + ": neither a checkpoint folder (no " + Checkpoint.META
                + ") nor a run folder (no " + Trainer.BEST + ")");
    }

    /**
     * The detector must produce what the model reads: box features of width {@code model.feature} (the detector's
     * layer-4 head) and frame maps of {@code model.union_in} channels (its layer-3 map).
     */
    public void requireMatches(FasterRcnn detector, String detectorSource) {
        int df = detector.head().featureDim();
        int dc = detector.baseChannels();
        if (df != feature || dc != unionIn) {
            throw new KitException("the relation model of " + checkpoint + " reads " + feature
                    + "-d box features and " + unionIn + "-channel union features (model.feature, model.union_in), "
                    + "but the detector " + detectorSource + " gives " + df + "-d features and " + dc
                    + "-channel maps: train the model on this detector's detections");
        }
    }

    private static int width(ConfigTree cfg, String key, Path ckpt) {
        if (cfg.get(key) == null) {
            throw new KitException(ckpt.resolve(Checkpoint.CONFIG) + ": no " + key + ": infer needs the model's "
                    + "input widths to check them against the detector");
        }
        return cfg.get(key).asInt();
    }
}
