/**
 * The feature source, kept apart from the annotations: per-video {@code .npz} files of box features, detector
 * class probabilities and union-box features indexed by (frame number, label) ({@link
 * org.m3sgg.features.FeatureSource}, {@link org.m3sgg.features.VideoFeatures}), a numpy reader/writer ({@link
 * org.m3sgg.features.Npy}, {@link org.m3sgg.features.Npz}), STTran's spatial masks ({@link
 * org.m3sgg.features.SpatialMasks}) and class word embeddings ({@link org.m3sgg.features.ClassEmbeddings}).
 * The format is documented in {@code datasets/README.md}; any detector can produce it.
 */
package org.m3sgg.features;
