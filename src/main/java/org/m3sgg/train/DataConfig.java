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
 * @param detections     SGDET only: {@code world} (the synthetic world's detector, computed on the fly from the
 *                       data folder's {@code world.json}) or a detections folder (datasets/README.md), relative to
 *                       {@code path} unless absolute
 * @param sgdetSubject   SGDET training pairs' subject: {@code reference} (STTran's quirk: the frame's k-th box) or
 *                       {@code matched-person} (the detection matched to the ground-truth person, or the supplied
 *                       person box); see {@link org.m3sgg.sgdet.SgdetOptions.Subject}
 * @param sgdetSupply    SGDET training: add the ground-truth boxes no detection matched (STTran's SUPPLY)
 */
public record DataConfig(String path, String features, Integer maxTrainVideos, Integer maxTestVideos,
        String detections, String sgdetSubject, Boolean sgdetSupply) {

    /** {@link #detections} value for the synthetic world's on-the-fly detector. */
    public static final String WORLD = "world";

    public DataConfig {
        features = features == null || features.isBlank() ? "features" : features;
        path = path == null || path.isBlank() ? null : path;
        maxTrainVideos = check("max_train_videos", maxTrainVideos);
        maxTestVideos = check("max_test_videos", maxTestVideos);
        detections = detections == null || detections.isBlank() ? WORLD : detections;
        sgdetSubject = sgdetSubject == null || sgdetSubject.isBlank() ? "reference" : sgdetSubject;
        if (!sgdetSubject.equals("reference") && !sgdetSubject.equals("matched-person")) {
            throw new KitException("data.sgdet_subject is '" + sgdetSubject
                    + "': expected reference or matched-person");
        }
        sgdetSupply = sgdetSupply == null || sgdetSupply;
    }

    /** A section with a folder and no limits. */
    public DataConfig(String path, String features) {
        this(path, features, 0, 0, null, null, null);
    }

    /** The SGDET pipeline's options: STTran's, with this section's subject rule and SUPPLY switch. */
    public org.m3sgg.sgdet.SgdetOptions sgdetOptions() {
        org.m3sgg.sgdet.SgdetOptions r = org.m3sgg.sgdet.SgdetOptions.reference();
        org.m3sgg.sgdet.SgdetOptions.Subject subject = sgdetSubject.equals("reference")
                ? org.m3sgg.sgdet.SgdetOptions.Subject.REFERENCE
                : org.m3sgg.sgdet.SgdetOptions.Subject.MATCHED_PERSON;
        return new org.m3sgg.sgdet.SgdetOptions(r.nmsThreshold(), r.cleanClasses(), r.assignIou(), sgdetSupply,
                subject);
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
