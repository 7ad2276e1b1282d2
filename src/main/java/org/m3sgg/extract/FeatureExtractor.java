package org.m3sgg.extract;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Box;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.detector.DetectorSettings;
import org.m3sgg.detector.FasterRcnn;
import org.m3sgg.detector.LayerFourHead;
import org.m3sgg.extract.ExtractPlan.GtBox;
import org.m3sgg.extract.ExtractPlan.PlannedFrame;
import org.m3sgg.extract.ExtractPlan.PlannedVideo;
import org.m3sgg.features.DetectionFolder;
import org.m3sgg.features.DetectionsMeta;
import org.m3sgg.features.FeatureMeta;
import org.m3sgg.features.FeatureSource;
import org.m3sgg.features.VideoDetections;
import org.m3sgg.features.VideoFeatures;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.sgdet.FrameMaps;
import org.m3sgg.sgdet.RoiAlign;
import org.m3sgg.video.DetectorInput;

/**
 * STTran's feature step ({@code lib/object_detector.py}) over an Action Genome folder, written in the kit's
 * formats: {@code OUT/features} (PredCLS/SGCLS: per ground-truth box the layer-4 feature and the class
 * distribution, per person-object pair the union box's RoIAlign on the layer-3 map) and {@code OUT/detections}
 * (SGDET: the detector's boxes, labels, scores, features and distributions, the layer-3 maps, and the detector's
 * own box head as {@code head.npz}).
 *
 * <p>Per video, in chunks of {@link DetectorSettings#chunk} frames (STTran's 10): the frames are read from
 * {@code FRAMES/VID.mp4/NNNNNN.png}, preprocessed as STTran's loader ({@link DetectorInput#sttran}), and run
 * through {@code RCNN_base} once; with detections wanted that pass is {@link FasterRcnn#detect} and its maps serve
 * the ground-truth features too. Ground-truth boxes are scaled by the frame's resize factor in float32 (STTran:
 * {@code FINAL_BBOXES[:, 1:] * im_info[0, 2]}), pooled by RoIAlign 7x7 (aligned=False) and layer 4
 * ({@link LayerFourHead}); the distribution is {@code softmax(RCNN_cls_score(feature)[1:])} (STTran's SGCLS); the
 * union box of a pair is the corner-wise min/max of the two scaled boxes, RoIAligned on the layer-3 map
 * ({@code [C, 7, 7]}, STTran's PredCLS {@code union_feat}).
 *
 * <p>Resumable: a video whose output files exist is skipped (files are written atomically, so an existing file is
 * complete; an interrupted run leaves none half-written). Detection boxes are written as the reference leaves them:
 * {@code clip_boxes(..., 1)} clips only the first frame of each chunk, {@code clamp(0)} every box from below, so
 * later frames may reach beyond the right/bottom edge ({@code meta.json}: {@code "boxes": "reference"}). Option
 * {@link Options#clipBoxes} clips every frame's boxes to the frame instead ({@code "boxes": "clipped"}, for consumers
 * that need boxes inside the frame; {@link VideoReport#clipped} counts the boxes this changed). Deviation from the
 * reference, forced by the formats: the frames of a video must share one size (STTran pads a video's frames to the
 * largest; Action Genome's frames of a video have one size).
 */
public final class FeatureExtractor {

    /** Sub-folders of {@code --out}. */
    public static final String FEATURES = "features";
    public static final String DETECTIONS = "detections";

    /** Largest finite float16 value. */
    private static final float HALF_MAX = 65504f;

    /**
     * @param frames     the frame folder ({@code VID.mp4/NNNNNN.png} inside)
     * @param out        the output folder ({@code features/}, {@code detections/} inside)
     * @param features   write the PredCLS/SGCLS feature folder
     * @param detections write the SGDET detections folder
     * @param targetSize the resized frames' short side (600 in STTran)
     * @param mapDtype   {@code float16} or {@code float32} for the stored maps
     * @param clipBoxes  clip the detection boxes of every frame to the frame (the reference clips only the first
     *     frame of each chunk); false: the reference's boxes
     */
    public record Options(Path frames, Path out, boolean features, boolean detections, int targetSize,
            String mapDtype, boolean clipBoxes) {
        public Options {
            if (!features && !detections) {
                throw new KitException("feature extraction: nothing to write (features, detections or both)");
            }
            if (targetSize < 16) {
                throw new KitException("feature extraction: target size " + targetSize + " is below 16 pixels");
            }
            if (!DetectionsMeta.FLOAT16.equals(mapDtype) && !DetectionsMeta.FLOAT32.equals(mapDtype)) {
                throw new KitException("feature extraction: map type '" + mapDtype + "', expected float16 or float32");
            }
        }
    }

    /**
     * What happened to one video. {@code skipped}: its files existed. {@code clipped}: detection boxes that
     * {@link Options#clipBoxes} changed (0 without it). Bytes of the files written.
     */
    public record VideoReport(String id, boolean skipped, int frames, int boxes, int unions, int detections,
            int clipped, long bytes, double seconds) {}

    /** The run's totals; {@code computed}: the frames of the written videos (those that went through the detector). */
    public record Summary(int videos, int written, int skipped, long frames, long computed, long boxes, long unions,
            long detections, long clipped, long bytes, double seconds) {}

    /** Progress of a run (the CLI's progress bar; tests). */
    public interface Listener {
        /** Before the first video: the videos and frames planned. */
        default void onStart(int videos, long frames) {}

        /** {@code count} more frames of {@code videoId} went through the detector. */
        default void onFrames(String videoId, int count) {}

        /** A video is done (written or skipped). */
        default void onVideo(VideoReport report) {}
    }

    private final FasterRcnn detector;
    private final Map<String, TorchTensor> stateDict;
    private final Options options;
    private final FeatureMeta featureMeta;
    private final DetectionsMeta detectionsMeta;

    private FeatureExtractor(FasterRcnn detector, Map<String, TorchTensor> stateDict, String description,
            Options options) {
        this.detector = detector;
        this.stateDict = stateDict;
        this.options = options;
        int f = detector.head().featureDim();
        int c = detector.baseChannels();
        this.featureMeta = new FeatureMeta(FeatureMeta.FORMAT, f, c, detector.settings().pool(), true,
                FeatureMeta.PERSON_OBJECT, description);
        this.detectionsMeta = new DetectionsMeta(DetectionsMeta.FORMAT, f, c, DetectionsMeta.STRIDE,
                options.mapDtype(), true, description,
                options.clipBoxes() ? DetectionsMeta.CLIPPED : DetectionsMeta.REFERENCE);
        if (detector.settings().featStride() != DetectionsMeta.STRIDE) {
            throw new KitException("feature extraction: the detector's stride is " + detector.settings().featStride()
                    + ", the formats take " + DetectionsMeta.STRIDE);
        }
        if (detector.head().classes() != Vocabulary.NUM_OBJECT_CLASSES) {
            throw new KitException("the detector has " + detector.head().classes() + " classes: Action Genome's "
                    + "has " + Vocabulary.NUM_OBJECT_CLASSES + " (background and 36 objects)");
        }
    }

    /** The extractor with STTran's detector loaded from {@code checkpoint} (strict: the detector's own errors). */
    public static FeatureExtractor open(Path checkpoint, Options options) {
        Map<String, TorchTensor> sd = FasterRcnn.stateDict(checkpoint);
        return of(sd, checkpoint.getFileName() + ", sha256 " + sha256(checkpoint), checkpoint.toString(), options);
    }

    /**
     * The extractor with the detector built from state-dict tensors.
     *
     * @param provenance what {@code meta.json}'s {@code detector} text names as the weights (file and hash)
     * @param source     names the weights in errors
     */
    public static FeatureExtractor of(Map<String, TorchTensor> stateDict, String provenance, String source,
            Options options) {
        FasterRcnn det = FasterRcnn.fromStateDict(stateDict, source, DetectorSettings.sttran());
        String description = "STTran's Faster R-CNN (" + provenance + ", layer-3 width " + det.baseChannels()
                + ", layer-4 width " + det.head().featureDim() + ") on frames preprocessed as STTran's loader, short "
                + "side " + options.targetSize() + "; m3sgg features extract";
        return new FeatureExtractor(det, stateDict, description, options);
    }

    public FeatureMeta featureMeta() {
        return featureMeta;
    }

    public DetectionsMeta detectionsMeta() {
        return detectionsMeta;
    }

    public FasterRcnn detector() {
        return detector;
    }

    /** Extracts every video of {@code plan}, skipping those whose files exist. */
    public Summary run(ExtractPlan plan, Listener listener) {
        long t0 = System.nanoTime();
        Path fdir = options.out().resolve(FEATURES);
        Path ddir = options.out().resolve(DETECTIONS);
        if (options.features()) {
            prepare(fdir);
            FeatureMeta old = Files.isRegularFile(fdir.resolve(FeatureSource.META_FILE))
                    ? FeatureSource.readMeta(fdir.resolve(FeatureSource.META_FILE)) : null;
            if (old == null) {
                FeatureSource.writeMeta(fdir, featureMeta);
            } else if (!old.equals(featureMeta)) {
                throw new KitException(fdir.resolve(FeatureSource.META_FILE) + " describes other features ("
                        + old.detector() + ", feature_dim " + old.featureDim() + "): expected " + featureMeta.detector()
                        + ", feature_dim " + featureMeta.featureDim() + "; choose another --out");
            }
        }
        if (options.detections()) {
            prepare(ddir);
            DetectionsMeta old = Files.isRegularFile(ddir.resolve(DetectionFolder.META_FILE))
                    ? DetectionFolder.readMeta(ddir.resolve(DetectionFolder.META_FILE)) : null;
            if (old == null) {
                DetectionFolder.writeLayerFourHead(ddir, stateDict);
                DetectionFolder.writeMeta(ddir, detectionsMeta);
            } else if (!old.equals(detectionsMeta)) {
                throw new KitException(ddir.resolve(DetectionFolder.META_FILE) + " describes other detections ("
                        + old.detector() + ", map_dtype " + old.mapDtype() + ", boxes " + old.boxes() + "): expected "
                        + detectionsMeta.detector() + ", map_dtype " + detectionsMeta.mapDtype() + ", boxes "
                        + detectionsMeta.boxes()
                        + "; choose another --out");
            } else if (!Files.isRegularFile(ddir.resolve(DetectionFolder.HEAD_FILE))) {
                DetectionFolder.writeLayerFourHead(ddir, stateDict);
            }
        }
        listener.onStart(plan.videos().size(), plan.frameCount());
        int written = 0;
        int skipped = 0;
        long frames = 0;
        long computed = 0;
        long boxes = 0;
        long unions = 0;
        long dets = 0;
        long clipped = 0;
        long bytes = 0;
        for (PlannedVideo v : plan.videos()) {
            Path ff = fdir.resolve(v.id() + ".npz");
            Path df = ddir.resolve(v.id() + ".npz");
            boolean needF = options.features() && !Files.isRegularFile(ff);
            boolean needD = options.detections() && !Files.isRegularFile(df);
            VideoReport r;
            if (!needF && !needD) {
                r = new VideoReport(v.id(), true, v.frames().size(), 0, 0, 0, 0, 0, 0);
                skipped++;
            } else {
                r = video(v, needF ? fdir : null, needD ? ddir : null, listener);
                written++;
                computed += r.frames();
                boxes += r.boxes();
                unions += r.unions();
                dets += r.detections();
                clipped += r.clipped();
                bytes += r.bytes();
            }
            frames += v.frames().size();
            listener.onVideo(r);
        }
        return new Summary(plan.videos().size(), written, skipped, frames, computed, boxes, unions, dets, clipped,
                bytes,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Creates the folder and removes temporary files an earlier, killed run may have left. */
    private static void prepare(Path dir) {
        try {
            Files.createDirectories(dir);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (n.matches("\\..*\\.(npz|json)\\..*\\.tmp")) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new KitException("cannot prepare the output folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** One video: chunks through the detector, then its files (features first), each written atomically. */
    VideoReport video(PlannedVideo v, Path fdir, Path ddir, Listener listener) {
        long t0 = System.nanoTime();
        int chunk = detector.settings().chunk();
        int pool = detector.settings().pool();
        LayerFourHead head = detector.head();
        VideoFeatures.Builder fb = fdir == null ? null : new VideoFeatures.Builder(featureMeta);
        Detected db = ddir == null ? null : new Detected(v.frames().size());
        int nBoxes = 0;
        int nUnions = 0;
        int nDets = 0;
        int clipped = 0;
        int[] size = null;
        String firstKey = null;
        List<PlannedFrame> frames = v.frames();
        for (int start = 0; start < frames.size(); start += chunk) {
            List<PlannedFrame> part = frames.subList(start, Math.min(frames.size(), start + chunk));
            List<DetectorInput.Blob> blobs = new ArrayList<>();
            for (PlannedFrame f : part) {
                BufferedImage img = readFrame(f.key());
                if (size == null) {
                    size = new int[] {img.getWidth(), img.getHeight()};
                    firstKey = f.key();
                } else if (img.getWidth() != size[0] || img.getHeight() != size[1]) {
                    throw new KitException(options.frames().resolve(f.key()) + " is " + img.getWidth() + "x"
                            + img.getHeight() + ", the video's first frame " + firstKey + " is " + size[0] + "x"
                            + size[1] + ": expected one size per video");
                }
                blobs.add(DetectorInput.sttran(img, options.targetSize()));
            }
            DetectorInput.Batch batch = DetectorInput.batch(blobs);
            int n = part.size();
            float scale = batch.imInfo()[0][2];
            FrameMaps maps;
            FasterRcnn.Final fin = null;
            if (ddir != null) {
                FasterRcnn.Pass pass = detector.detect(batch.images(), n, batch.height(), batch.width(),
                        batch.imInfo());
                maps = pass.base().maps();
                fin = pass.detections();
            } else {
                float[] scales = new float[n];
                for (int i = 0; i < n; i++) {
                    scales[i] = batch.imInfo()[i][2];
                }
                maps = detector.base(batch.images(), n, batch.height(), batch.width(), scales).maps();
            }
            if (fb != null) {
                int[] counts = groundTruth(part, maps, scale, head, pool, fb);
                nBoxes += counts[0];
                nUnions += counts[1];
            }
            if (ddir != null) {
                float maxX = (batch.imInfo()[0][1] - 1) / scale;
                float maxY = (batch.imInfo()[0][0] - 1) / scale;
                int row = 0;
                for (int i = 0; i < n; i++) {
                    checkHalf(maps, i, v.id(), part.get(i).key());
                    db.frame(start + i, part.get(i).number(), maps, i);
                    while (row < fin.boxes().length && (int) fin.boxes()[row][0] == i) {
                        float[] b = fin.boxes()[row];
                        float[] box = {b[1], b[2], b[3], b[4]};
                        if (options.clipBoxes()) {
                            box = new float[] {Math.min(b[1], maxX), Math.min(b[2], maxY), Math.min(b[3], maxX),
                                Math.min(b[4], maxY)};
                            if (box[0] != b[1] || box[1] != b[2] || box[2] != b[3] || box[3] != b[4]) {
                                clipped++;
                            }
                        }
                        float[] feat = fin.features()[row];
                        db.box(start + i, box, feat, distribution(head.classLogits(feat)), fin.scores()[row],
                                fin.labels()[row]);
                        nDets++;
                        row++;
                    }
                }
            }
            listener.onFrames(v.id(), n);
        }
        long bytes = 0;
        try {
            if (fb != null) {
                bytes += Files.size(fb.write(fdir, v.id(), featureMeta));
            }
            if (db != null) {
                bytes += Files.size(db.build(v.id(), size).write(ddir, detectionsMeta));
            }
        } catch (IOException e) {
            throw new KitException("cannot read the size of a file just written for " + v.id() + ": "
                    + e.getMessage(), e);
        }
        return new VideoReport(v.id(), false, frames.size(), nBoxes, nUnions, nDets, clipped, bytes,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * STTran's PredCLS/SGCLS step on a chunk: features and distributions of the ground-truth boxes, union features
     * of the person-object pairs. Returns (boxes, pairs) added.
     */
    static int[] groundTruth(List<PlannedFrame> part, FrameMaps maps, float scale, LayerFourHead head, int pool,
            VideoFeatures.Builder fb) {
        List<float[]> rois = new ArrayList<>();
        List<int[]> ids = new ArrayList<>(); // (frame number, label)
        List<float[]> unionRois = new ArrayList<>();
        List<int[]> unionIds = new ArrayList<>(); // (frame number, label)
        for (int i = 0; i < part.size(); i++) {
            PlannedFrame f = part.get(i);
            float[] person = null;
            for (GtBox g : f.boxes()) {
                float[] r = scaled(i, g.box(), scale);
                rois.add(r);
                ids.add(new int[] {f.number(), g.label()});
                if (g.label() == Vocabulary.PERSON) {
                    person = r;
                }
            }
            for (GtBox g : f.boxes()) {
                if (g.label() != Vocabulary.PERSON && person != null) {
                    float[] o = scaled(i, g.box(), scale);
                    unionRois.add(new float[] {i, Math.min(person[1], o[1]), Math.min(person[2], o[2]),
                        Math.max(person[3], o[3]), Math.max(person[4], o[4])});
                    unionIds.add(new int[] {f.number(), g.label()});
                }
            }
        }
        LayerFourHead.Output out = head.run(maps, rois.toArray(new float[0][]));
        for (int r = 0; r < rois.size(); r++) {
            fb.addBox(ids.get(r)[0], ids.get(r)[1], out.features()[r], distribution(out.clsScore()[r]));
        }
        if (!unionRois.isEmpty()) {
            float[] u = RoiAlign.apply(maps, unionRois.toArray(new float[0][]), pool);
            int len = maps.channels() * pool * pool;
            for (int p = 0; p < unionRois.size(); p++) {
                fb.addUnion(unionIds.get(p)[0], Vocabulary.PERSON, unionIds.get(p)[1],
                        Arrays.copyOfRange(u, p * len, (p + 1) * len));
            }
        }
        return new int[] {rois.size(), unionRois.size()};
    }

    /** (frame index, x1, y1, x2, y2) in blob pixels: each coordinate as float32 times the scale, in float32. */
    static float[] scaled(int frame, Box b, float scale) {
        return new float[] {frame, (float) b.x1() * scale, (float) b.y1() * scale, (float) b.x2() * scale,
            (float) b.y2() * scale};
    }

    /** {@code softmax(logits[1:])} in float32 (STTran's distribution over the 36 object classes). */
    static float[] distribution(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 1; k < logits.length; k++) {
            max = Math.max(max, logits[k]);
        }
        float[] p = new float[logits.length - 1];
        float sum = 0;
        for (int k = 1; k < logits.length; k++) {
            p[k - 1] = (float) Math.exp(logits[k] - max);
            sum += p[k - 1];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /**
     * A video's detections as they come, chunk by chunk; the maps go straight into one array of the video's size
     * (a video's maps are its largest data: 10.4 MB a frame at ResNet-101's 1024 x 38 x 67), so the heap holds them
     * once, plus their float16 copy while the file is written.
     */
    private final class Detected {
        private final long[] numbers;
        private final float[] scales;
        private float[] maps;
        private int mapHeight;
        private int mapWidth;
        private final List<float[]> boxes = new ArrayList<>();
        private final List<float[]> features = new ArrayList<>();
        private final List<float[]> dists = new ArrayList<>();
        private final List<Float> scores = new ArrayList<>();
        private final List<Integer> labels = new ArrayList<>();

        Detected(int frames) {
            numbers = new long[frames];
            scales = new float[frames];
        }

        void frame(int t, int number, FrameMaps chunk, int i) {
            if (maps == null) {
                mapHeight = chunk.height();
                mapWidth = chunk.width();
                maps = new float[Math.multiplyExact(numbers.length, chunk.frameLength())];
            }
            if (chunk.height() != mapHeight || chunk.width() != mapWidth) {
                throw new IllegalStateException("maps of one video changed size");
            }
            numbers[t] = number;
            scales[t] = chunk.scales()[i];
            System.arraycopy(chunk.data(), chunk.offset(i), maps, t * chunk.frameLength(), chunk.frameLength());
        }

        void box(int t, float[] box, float[] feature, float[] distribution, float score, int label) {
            boxes.add(new float[] {t, box[0], box[1], box[2], box[3]});
            features.add(feature);
            dists.add(distribution);
            scores.add(score);
            labels.add(label);
        }

        /** The checked detections of the video ({@code size}: the frames' width and height). */
        VideoDetections build(String videoId, int[] size) {
            int n = boxes.size();
            float[] s = new float[n];
            long[] l = new long[n];
            for (int r = 0; r < n; r++) {
                s[r] = scores.get(r);
                l[r] = labels.get(r);
            }
            return new VideoDetections(videoId, "detections of " + videoId, detectionsMeta, numbers, scales, size[1],
                    size[0], VideoDetections.concat(boxes), VideoDetections.concat(features),
                    VideoDetections.concat(dists), s, l, maps, mapHeight, mapWidth);
        }
    }

    private void checkHalf(FrameMaps maps, int i, String video, String key) {
        if (!DetectionsMeta.FLOAT16.equals(options.mapDtype())) {
            return;
        }
        float[] d = maps.data();
        for (int k = maps.offset(i); k < maps.offset(i) + maps.frameLength(); k++) {
            float x = d[k];
            if (Math.abs(x) > HALF_MAX) {
                throw new KitException("frame " + key + " of " + video + ": its layer-3 map holds " + x
                        + ", beyond float16's range: use --map-dtype float32");
            }
        }
    }

    private BufferedImage readFrame(String key) {
        Path p = options.frames().resolve(key);
        if (!Files.isRegularFile(p)) {
            throw new KitException("annotated frame " + key + ": no frame file " + p + " (expected the frames dumped "
                    + "as VID.mp4/NNNNNN.png under --frames)");
        }
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new KitException("annotated frame " + key + ": " + p + " is not a readable PNG or JPEG image");
            }
            return img;
        } catch (IOException e) {
            throw new KitException("annotated frame " + key + ": cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /** The first 12 hex digits of the file's SHA-256 (provenance in meta.json). */
    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            DigestInputStream d = (DigestInputStream) in;
            while (d.read(buf) >= 0) {
                // reading updates the digest
            }
            return HexFormat.of().formatHex(d.getMessageDigest().digest()).substring(0, 12);
        } catch (IOException e) {
            throw new KitException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
