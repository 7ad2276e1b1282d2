package org.m3sgg.infer;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.report.Animation;
import org.m3sgg.report.Figure;
import org.m3sgg.report.FrameViewer;
import org.m3sgg.report.Images;
import org.m3sgg.report.Timeline;
import org.m3sgg.video.ClipWriter;
import org.m3sgg.video.Frame;
import org.m3sgg.video.FrameSource;
import org.m3sgg.video.FrameSources;
import org.m3sgg.video.Sampling;

/**
 * What {@code infer} writes into its output folder (docs/INFER.md): {@code overlays/NNNNNN.png} per sampled frame
 * (NNNNNN = the frame's number in its source) as the windows come in, then {@code graphs.json},
 * {@code timeline.png} and the animated preview ({@code preview.gif}, or {@code preview.mp4} through
 * {@link ClipWriter}, 2 frames per second). Every file is written atomically.
 *
 * <p>The preview keeps a copy of each overlay (at most {@link #PREVIEW_SIDE} pixels on its longer side) in memory
 * until the end: a GIF holds every frame, so memory grows with the number of sampled frames.
 */
public final class InferOutputs implements Consumer<VideoInference.Window> {

    /** The animated preview's kind. */
    public enum Preview { GIF, MP4, NONE }

    public static final String OVERLAYS = "overlays";
    public static final String TIMELINE = "timeline.png";
    public static final String PREVIEW_GIF = "preview.gif";
    public static final String PREVIEW_MP4 = "preview.mp4";
    /** The longer side of a preview frame. */
    public static final int PREVIEW_SIDE = 640;
    /** How long the preview shows each frame. */
    public static final int PREVIEW_DELAY_MS = 500;

    private final Path out;
    private final int topK;
    private final Preview preview;
    private final List<BufferedImage> previewFrames = new ArrayList<>();
    private int overlays;

    public InferOutputs(Path out, int topK, Preview preview) {
        this.out = out;
        this.topK = topK;
        this.preview = preview;
    }

    /** The overlay file of a frame: {@code overlays/NNNNNN.png}. */
    public static Path overlayFile(Path out, int frameIndex) {
        return out.resolve(OVERLAYS).resolve(String.format(Locale.ROOT, "%06d.png", frameIndex));
    }

    /** Number of overlays written so far. */
    public int overlays() {
        return overlays;
    }

    @Override
    public void accept(VideoInference.Window w) {
        for (int i = 0; i < w.frames().size(); i++) {
            BufferedImage img = overlay(w.frames().get(i), w.graphs().get(i), topK);
            AtomicFiles.writePng(overlayFile(out, w.graphs().get(i).index()), img);
            overlays++;
            if (preview != Preview.NONE) {
                previewFrames.add(shrink(img, PREVIEW_SIDE));
            }
        }
    }

    /**
     * graphs.json, timeline.png and the preview, after the last window.
     *
     * @param title a short name of the video for the pictures' titles (its file or folder name)
     */
    public void finish(GraphsFile graphs, String title) {
        graphs.write(out.resolve(GraphsFile.FILE));
        AtomicFiles.writePng(out.resolve(TIMELINE), timeline(graphs.frames(), graphs.topK(), title));
        if (preview == Preview.GIF) {
            Animation.of(previewFrames, PREVIEW_DELAY_MS, "scene graphs of " + title)
                    .write(out.resolve(PREVIEW_GIF));
        } else if (preview == Preview.MP4) {
            ClipWriter.writeMp4(out.resolve(PREVIEW_MP4), Images.sameSize(previewFrames),
                    1000.0 / PREVIEW_DELAY_MS);
        }
    }

    /** The preview file of a kind, null for none. */
    public static Path previewFile(Path out, Preview preview) {
        return switch (preview) {
            case GIF -> out.resolve(PREVIEW_GIF);
            case MP4 -> out.resolve(PREVIEW_MP4);
            case NONE -> null;
        };
    }

    /** One frame with the boxes of its top-K triplets' objects and the triplets beside it. */
    public static BufferedImage overlay(Frame frame, SceneGraph graph, int topK) {
        return FrameViewer.overlay(frame.image(), graph.toPredictedGraph(),
                "frame " + graph.index() + "  \u00b7  " + graph.name(), new FrameViewer.Options(520, topK));
    }

    /** The relations of every frame over time (columns labelled by frame number). */
    public static BufferedImage timeline(List<SceneGraph> graphs, int topK, String title) {
        List<String> columns = new ArrayList<>();
        List<org.m3sgg.report.PredictedGraph> pg = new ArrayList<>();
        for (SceneGraph g : graphs) {
            columns.add(Integer.toString(g.index()));
            pg.add(g.toPredictedGraph());
        }
        return Timeline.predicted(title, columns, pg, topK);
    }

    /**
     * A notebook cell's picture of a video's graphs: up to {@code maxFrames} overlays (evenly spaced over the
     * sampled frames, read again from {@code source} with {@code sampling}) in a grid of two columns, above the
     * timeline of all frames.
     */
    public static Figure figure(Path source, Sampling sampling, List<SceneGraph> graphs, int topK, int maxFrames) {
        if (graphs.isEmpty()) {
            throw new KitException(source + ": no scene graphs to show");
        }
        if (maxFrames < 1) {
            throw new KitException("figure: maxFrames must be >= 1, got " + maxFrames);
        }
        Map<Integer, SceneGraph> wanted = new HashMap<>();
        int n = graphs.size();
        int k = Math.min(maxFrames, n);
        for (int i = 0; i < k; i++) {
            SceneGraph g = graphs.get(k == 1 ? 0 : (int) Math.round(i * (n - 1) / (double) (k - 1)));
            wanted.put(g.index(), g);
        }
        List<Figure> cells = new ArrayList<>();
        try (FrameSource frames = FrameSources.open(source, sampling)) {
            for (Optional<Frame> f = frames.next(); f.isPresent() && cells.size() < wanted.size(); f = frames.next()) {
                SceneGraph g = wanted.get(f.get().index());
                if (g != null) {
                    cells.add(Figure.of("frame " + g.index(), shrink(overlay(f.get(), g, topK), PREVIEW_SIDE)));
                }
            }
        }
        if (cells.size() != wanted.size()) {
            throw new KitException(source + ": " + (wanted.size() - cells.size()) + " of the graphs' frames are not "
                    + "in the source with " + sampling.describe() + " (the graphs were made from another source "
                    + "or sampling)");
        }
        Figure grid = Figure.grid("overlays", cells, 2, null);
        Figure time = Figure.of("timeline", timeline(graphs, topK, source.getFileName().toString()));
        return Figure.column("scene graphs of " + source.getFileName(), List.of(grid, time));
    }

    /** The image scaled down so its longer side is at most {@code side} (never up). */
    static BufferedImage shrink(BufferedImage img, int side) {
        int w = img.getWidth();
        int h = img.getHeight();
        double s = Math.min(1.0, side / (double) Math.max(w, h));
        if (s >= 1.0) {
            return img;
        }
        int nw = Math.max(1, (int) Math.round(w * s));
        int nh = Math.max(1, (int) Math.round(h * s));
        BufferedImage out = Images.canvas(nw, nh);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, nw, nh, null);
        g.dispose();
        return out;
    }
}
