package org.m3sgg.train;

import org.m3sgg.api.KitException;

/**
 * The {@code data:} section of a run's config.
 *
 * @param path           Action Genome folder; empty or absent: the bundled synthetic world
 * @param features       feature folder, relative to {@code path} unless absolute
 * @param maxTrainVideos keep only the first this many videos of the training split (loader order), before the
 *                       validation videos are taken from them; absent or 0: all. For smoke runs and notebooks
 *                       in quick mode, never for reported numbers.
 * @param maxTestVideos  keep only the first this many videos of the test split; absent or 0: all
 */
public record DataConfig(String path, String features, Integer maxTrainVideos, Integer maxTestVideos) {

    public DataConfig {
        features = features == null || features.isBlank() ? "features" : features;
        path = path == null || path.isBlank() ? null : path;
        maxTrainVideos = check("max_train_videos", maxTrainVideos);
        maxTestVideos = check("max_test_videos", maxTestVideos);
    }

    /** A section with a folder and no limits. */
    public DataConfig(String path, String features) {
        this(path, features, 0, 0);
    }

    private static int check(String key, Integer v) {
        if (v == null) {
            return 0;
        }
        if (v < 0) {
            throw new KitException("data." + key + " is " + v + ": expected 0 (all videos) or a positive count");
        }
        return v;
    }
}
