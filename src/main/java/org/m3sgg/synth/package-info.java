/**
 * The synthetic Action Genome world: a seeded generator ({@link org.m3sgg.synth.WorldGenerator}) of videos with
 * latent interaction states, written in the real annotation layout plus feature files ({@link
 * org.m3sgg.synth.WorldWriter}, {@link org.m3sgg.synth.FeatureSynth}). Parameters: {@link
 * org.m3sgg.synth.WorldConfig}, fixed tables: {@link org.m3sgg.synth.WorldTables}; the process is described in
 * {@code datasets/README.md}. The bundled {@code datasets/synthetic-ag} is preset small with
 * {@link org.m3sgg.synth.WorldGenerator#BUNDLED_SEED}. For SGDET the world also has painted frame feature maps, a
 * box head and a detector with realistic errors ({@link org.m3sgg.synth.DetectionSynth}), computed on the fly from
 * {@code world.json} ({@link org.m3sgg.synth.WorldDetections}) or written with {@code data generate --detections}.
 */
package org.m3sgg.synth;
