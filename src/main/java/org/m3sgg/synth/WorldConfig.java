package org.m3sgg.synth;

import java.util.List;

/**
 * Every parameter of the synthetic world generator (the fixed class and mode tables live in
 * {@link WorldTables}). Two presets: {@link #small()} (the bundled world) and {@link #agScale()} (Action Genome's
 * size). Values are documented in {@code datasets/README.md}.
 *
 * @param preset name written into {@code world.json}
 * @param videos number of videos, short ones included
 * @param oneFrameVideos videos with a single annotated frame (STTran's loader drops them)
 * @param twoFrameVideos videos with exactly two frames (STTran's loader drops them too, a quirk)
 * @param minFrames fewest frames of an ordinary video
 * @param maxFrames most frames of an ordinary video
 * @param testFraction share of videos in the test split
 * @param objectsPerVideo weight of having 1, 2, ... objects in a video (each is annotated in every frame)
 * @param minFrameStep smallest gap between annotated frame numbers
 * @param maxFrameStep largest gap
 * @param noPersonRate probability that a frame's person box is missing (detector miss)
 * @param invisibleRate probability that an object entry of a frame is marked invisible
 * @param attentionResample per-frame probability that the attention state is redrawn within a mode
 * @param labelNoise per-entry probability of each annotator error (contact set, attention; half of it for an
 *     extra spatial label)
 * @param sizeSpread standard deviation of an object's log size around its class size
 * @param featureDim F, box feature width
 * @param unionChannels C, union feature channels (2 geometry + C-2 interaction)
 * @param classSignal norm of the class component of a box feature
 * @param stateSignal norm of the interaction-mode component of a box feature
 * @param attentionSignal norm of the attention component of a box feature
 * @param unionSignal norm of the interaction component of a union feature (per cell)
 * @param noise standard deviation of the Gaussian noise per feature value
 * @param corruptFrameRate probability that a whole frame is heavily corrupted (occlusion, blur)
 * @param corruptSignal signal scale in a corrupted frame
 * @param occludedBoxRate probability that a single box is occluded
 * @param occludedSignal signal scale of an occluded box
 * @param detectorSharpness scale of the class logits behind {@code distribution}
 * @param quantum feature values are rounded to multiples of this (so archives compress); 0 = no rounding
 * @param boxNoise standard deviation of the observation noise on an object box's centre, in person widths and
 *     heights: the annotated box (and the features drawn from it) is noisy, while the spatial labels are read
 *     off the true box. 0 (both presets) draws nothing, so the random streams stay as they were.
 * @param evidenceRate probability that an object's interaction evidence (the mode and attention components of
 *     its box feature, its share of the person's pose, the interaction code of its union feature) shows in a
 *     frame; otherwise that frame shows only its class and geometry (the gaze or the grip is hidden). The state
 *     itself persists, so a neighbouring frame can tell what this one hides. 1 draws nothing.
 * @param evidenceAlternate instead of drawing it, show each object's evidence on every other annotated frame of its
 *     video (frames where frame index + class is even), so that every hidden frame follows a shown one. The draws
 *     of {@code evidenceRate} still happen (the other random streams stay as they were); only their outcome is
 *     replaced.
 * @param sgdet the painted feature maps, the world's box head and its detector ({@link Sgdet}); null (a YAML or
 *     {@code world.json} without the section) means {@link Sgdet#standard()}. They draw from their own streams: the
 *     annotations and the PredCLS/SGCLS features do not depend on them.
 */
public record WorldConfig(
        String preset,
        int videos,
        int oneFrameVideos,
        int twoFrameVideos,
        int minFrames,
        int maxFrames,
        double testFraction,
        List<Double> objectsPerVideo,
        int minFrameStep,
        int maxFrameStep,
        double noPersonRate,
        double invisibleRate,
        double attentionResample,
        double labelNoise,
        double sizeSpread,
        int featureDim,
        int unionChannels,
        double classSignal,
        double stateSignal,
        double attentionSignal,
        double unionSignal,
        double noise,
        double corruptFrameRate,
        double corruptSignal,
        double occludedBoxRate,
        double occludedSignal,
        double detectorSharpness,
        double quantum,
        double boxNoise,
        double evidenceRate,
        boolean evidenceAlternate,
        Sgdet sgdet) {

    /**
     * The SGDET side of the world: frame feature maps painted from the latent truth, the box head that reads them
     * and a detector with realistic errors (documented in {@code datasets/README.md}, "SGDET: maps and detector").
     *
     * @param shortSide blob short side in pixels (STTran: frames resized so the short side is 600; maps are stride 16)
     * @param appearanceSignal norm of a class's appearance code painted over its box (map channels)
     * @param stateSignal norm of the interaction-mode code painted over an object's box when its evidence shows
     * @param mapNoise standard deviation of the per-cell, per-channel background texture
     * @param clutterPerFrame mean number of clutter patches per frame (appearance of a class absent from the video,
     *     weaker; the detector's false positives fire on them)
     * @param clutterSignal scale of a clutter patch's appearance relative to {@code appearanceSignal}
     * @param clutterMinSize smallest side of a clutter patch, as a share of the frame's side
     * @param clutterMaxSize largest side of a clutter patch, as a share of the frame's side
     * @param similarity how close the appearance codes of confusable classes are (book / paper, food / sandwich,
     *     chair / sofa, door / doorway): 0 unrelated, 1 identical
     * @param headStride stride of the box head's 1x1 convolution over the 7x7 RoIAlign grid
     * @param headSharpness scale of the head's class logits (code . pooled appearance)
     * @param jitter standard deviation of each detected box edge, as a share of the box's width or height
     * @param missRate probability that the detector misses a visible object
     * @param smallMissRate miss probability for objects whose short edge is under {@code smallEdge} pixels
     * @param smallEdge the short edge (original pixels) below which an object counts as small
     * @param personMissRate probability that the person is not detected
     * @param personDoubleRate probability of a second, loose person box
     * @param personDoubleJitter the loose person box's edge jitter, in multiples of {@code jitter}
     * @param duplicateRate probability of a second, looser box on a detected object
     * @param duplicateJitter the duplicate's edge jitter, in multiples of {@code jitter}
     * @param falsePositiveRate probability that the detector fires on a clutter patch
     * @param confusionRate probability that a detection of a class with a confusable partner reports the partner
     *     (the two classes' probabilities swapped)
     */
    public record Sgdet(
            int shortSide,
            double appearanceSignal,
            double stateSignal,
            double mapNoise,
            double clutterPerFrame,
            double clutterSignal,
            double clutterMinSize,
            double clutterMaxSize,
            double similarity,
            int headStride,
            double headSharpness,
            double jitter,
            double missRate,
            double smallMissRate,
            double smallEdge,
            double personMissRate,
            double personDoubleRate,
            double personDoubleJitter,
            double duplicateRate,
            double duplicateJitter,
            double falsePositiveRate,
            double confusionRate) {

        public Sgdet {
            if (shortSide < 16 || shortSide > 4000) {
                throw new IllegalArgumentException("sgdet.shortSide must lie in 16..4000");
            }
            if (headStride < 1 || headStride > 7) {
                throw new IllegalArgumentException("sgdet.headStride must lie in 1..7");
            }
            for (double v : new double[] {appearanceSignal, stateSignal, mapNoise, clutterPerFrame, clutterSignal,
                headSharpness, jitter, smallEdge, personDoubleJitter, duplicateJitter}) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("sgdet signals, noise, jitter and sizes must be finite and >= 0");
                }
            }
            if (!(clutterMinSize > 0 && clutterMinSize <= clutterMaxSize && clutterMaxSize <= 1)) {
                throw new IllegalArgumentException("sgdet clutter sizes need 0 < clutterMinSize <= clutterMaxSize <= 1");
            }
            for (double p : new double[] {similarity, missRate, smallMissRate, personMissRate, personDoubleRate,
                duplicateRate, falsePositiveRate, confusionRate}) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("sgdet probabilities must lie in [0, 1]");
                }
            }
        }

        /** The values of both presets. */
        public static Sgdet standard() {
            return new Sgdet(600, 3.0, 2.0, 0.5, 1.0, 0.6, 0.08, 0.30, 0.75, 2, 2.5,
                    0.05, 0.05, 0.25, 24, 0.03, 0.04, 3.0, 0.06, 2.5, 0.35, 0.15);
        }
    }

    /** Every parameter but {@code sgdet}, which takes {@link Sgdet#standard()}. */
    public WorldConfig(String preset, int videos, int oneFrameVideos, int twoFrameVideos, int minFrames,
            int maxFrames, double testFraction, List<Double> objectsPerVideo, int minFrameStep, int maxFrameStep,
            double noPersonRate, double invisibleRate, double attentionResample, double labelNoise,
            double sizeSpread, int featureDim, int unionChannels, double classSignal, double stateSignal,
            double attentionSignal, double unionSignal, double noise, double corruptFrameRate, double corruptSignal,
            double occludedBoxRate, double occludedSignal, double detectorSharpness, double quantum, double boxNoise,
            double evidenceRate, boolean evidenceAlternate) {
        this(preset, videos, oneFrameVideos, twoFrameVideos, minFrames, maxFrames, testFraction, objectsPerVideo,
                minFrameStep, maxFrameStep, noPersonRate, invisibleRate, attentionResample, labelNoise, sizeSpread,
                featureDim, unionChannels, classSignal, stateSignal, attentionSignal, unionSignal, noise,
                corruptFrameRate, corruptSignal, occludedBoxRate, occludedSignal, detectorSharpness, quantum,
                boxNoise, evidenceRate, evidenceAlternate, Sgdet.standard());
    }

    public WorldConfig {
        if (sgdet == null) {
            sgdet = Sgdet.standard();
        }
        objectsPerVideo = List.copyOf(objectsPerVideo);
        if (videos < 1 || oneFrameVideos < 0 || twoFrameVideos < 0 || oneFrameVideos + twoFrameVideos > videos) {
            throw new IllegalArgumentException("need videos >= 1 and short videos <= videos");
        }
        if (minFrames < 3 || maxFrames < minFrames) {
            throw new IllegalArgumentException("need 3 <= minFrames <= maxFrames");
        }
        if (minFrameStep < 1 || maxFrameStep < minFrameStep) {
            throw new IllegalArgumentException("need 1 <= minFrameStep <= maxFrameStep");
        }
        if (objectsPerVideo.isEmpty() || objectsPerVideo.size() > 35) {
            throw new IllegalArgumentException("objectsPerVideo needs 1..35 weights");
        }
        if (featureDim < 4 || unionChannels < 3) {
            throw new IllegalArgumentException("need featureDim >= 4 and unionChannels >= 3");
        }
        if (!(boxNoise >= 0)) {
            throw new IllegalArgumentException("boxNoise must be >= 0");
        }
        for (double p : new double[] {testFraction, noPersonRate, invisibleRate, attentionResample, labelNoise,
            corruptFrameRate, occludedBoxRate, evidenceRate}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probabilities must lie in [0, 1]");
            }
        }
    }

    /** The bundled world: ~120 videos of 6-16 frames, F = 64, C = 8; a small STTran trains on it in minutes. */
    public static WorldConfig small() {
        return new WorldConfig("small", 120, 2, 2, 6, 16, 0.2,
                List.of(0.22, 0.32, 0.25, 0.13, 0.05, 0.03), 8, 40,
                0.03, 0.04, 0.10, 0.04, 0.25,
                64, 8,
                3.0, 4.0, 4.0, 2.0, 0.7,
                0.12, 0.15, 0.05, 0.35, 2.5, 1.0 / 32, 0.0, 0.5, true);
    }

    /** Action Genome's size: ~9,600 videos, ~288,000 frames, ~735,000 object entries. Never committed. */
    public static WorldConfig agScale() {
        WorldConfig s = small();
        return new WorldConfig("ag-scale", 9600, 96, 96, 6, 55, s.testFraction(), s.objectsPerVideo(),
                s.minFrameStep(), s.maxFrameStep(), s.noPersonRate(), s.invisibleRate(), s.attentionResample(),
                s.labelNoise(), s.sizeSpread(), s.featureDim(), s.unionChannels(), s.classSignal(),
                s.stateSignal(), s.attentionSignal(), s.unionSignal(), s.noise(), s.corruptFrameRate(),
                s.corruptSignal(), s.occludedBoxRate(), s.occludedSignal(), s.detectorSharpness(), s.quantum(), s.boxNoise(),
                s.evidenceRate(), s.evidenceAlternate());
    }

    public static WorldConfig preset(String name) {
        return switch (name) {
            case "small" -> small();
            case "ag-scale" -> agScale();
            default -> throw new org.m3sgg.api.KitException("unknown preset '" + name
                    + "': expected small or ag-scale");
        };
    }
}
