package org.m3sgg.train;

/**
 * The {@code data:} section of a run's config.
 *
 * @param path     Action Genome folder; empty or absent: the bundled synthetic world
 * @param features feature folder, relative to {@code path} unless absolute
 */
public record DataConfig(String path, String features) {

    public DataConfig {
        features = features == null || features.isBlank() ? "features" : features;
        path = path == null || path.isBlank() ? null : path;
    }
}
