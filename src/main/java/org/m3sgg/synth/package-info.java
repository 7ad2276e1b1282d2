/**
 * The synthetic Action Genome world: a seeded generator ({@link org.m3sgg.synth.WorldGenerator}) of videos with
 * latent interaction states, written in the real annotation layout plus feature files ({@link
 * org.m3sgg.synth.WorldWriter}, {@link org.m3sgg.synth.FeatureSynth}). Parameters: {@link
 * org.m3sgg.synth.WorldConfig}, fixed tables: {@link org.m3sgg.synth.WorldTables}; the process is described in
 * {@code datasets/README.md}. The bundled {@code datasets/synthetic-ag} is preset small with
 * {@link org.m3sgg.synth.WorldGenerator#BUNDLED_SEED}.
 */
package org.m3sgg.synth;
