package org.m3sgg.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgVideo;

/**
 * An animated GIF of a video's scene graphs, one {@link FrameViewer} picture per annotated frame (ground truth
 * with its recalled and missed triplets above the prediction's top-k), looping. Written with the JDK's own GIF
 * writer (ImageIO), so no extra dependency; GIFs have 256 colours per frame, which the viewer's flat colours fit.
 * A notebook cell ending in one shows the animation.
 */
public final class Animation implements Rich {

    private final byte[] gif;
    private final int width;
    private final int height;
    private final int frames;
    private final String title;

    private Animation(byte[] gif, int width, int height, int frames, String title) {
        this.gif = gif;
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.title = title;
    }

    /**
     * The video's frames in order, ground truth against {@code predictions} (frame key -> graph; null for the
     * ground truth alone), each shown {@code delayMillis}.
     *
     * @param maxSide the frame panel's longer side in pixels (the graph beside it comes in addition)
     */
    public static Animation of(AgVideo video, Map<String, PredictedGraph> predictions, int topK, int maxSide,
            int delayMillis) {
        if (video.frames().isEmpty()) {
            throw new KitException("video " + video.id() + " has no frames to animate");
        }
        if (delayMillis < 20 || delayMillis > 60_000) {
            throw new KitException("animation delay " + delayMillis + " ms is out of range, expected 20..60000");
        }
        FrameViewer.Options o = new FrameViewer.Options(maxSide, topK);
        List<BufferedImage> pics = new ArrayList<>();
        for (AgFrame f : video.frames()) {
            PredictedGraph p = predictions == null ? null
                    : predictions.getOrDefault(f.key(), new PredictedGraph(List.of(), new int[0], new double[0],
                            List.of()));
            BufferedImage img = FrameViewer.compare(f, video.width(), video.height(), p, null, o);
            pics.add(img);
        }
        return of(pics, delayMillis, "scene graphs of " + video.id());
    }

    /**
     * Any images as a looping animation (a video's frames, overlays), each shown {@code delayMillis}; images of
     * other sizes are placed top-left on a canvas of the largest.
     */
    public static Animation of(List<BufferedImage> images, int delayMillis, String title) {
        if (images.isEmpty()) {
            throw new KitException("animation '" + title + "' has no frames");
        }
        if (delayMillis < 20 || delayMillis > 60_000) {
            throw new KitException("animation delay " + delayMillis + " ms is out of range, expected 20..60000");
        }
        List<BufferedImage> same = Images.sameSize(images);
        return new Animation(encode(same, delayMillis), same.get(0).getWidth(), same.get(0).getHeight(),
                same.size(), title);
    }

    /** Ground truth against a prediction: 400 px frames, one per 0.8 s. */
    public static Animation of(AgVideo video, Map<String, PredictedGraph> predictions, int topK) {
        return of(video, predictions, topK, 400, 800);
    }

    /** A looping animated GIF of same-size images. */
    static byte[] encode(List<BufferedImage> images, int delayMillis) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage img : images) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img),
                        param);
                String format = meta.getNativeMetadataFormatName();
                IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
                IIOMetadataNode gce = child(root, "GraphicControlExtension");
                gce.setAttribute("disposalMethod", "none");
                gce.setAttribute("userInputFlag", "FALSE");
                gce.setAttribute("transparentColorFlag", "FALSE");
                gce.setAttribute("delayTime", Integer.toString(Math.max(2, delayMillis / 10)));
                gce.setAttribute("transparentColorIndex", "0");
                IIOMetadataNode apps = child(root, "ApplicationExtensions");
                IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                app.setAttribute("applicationID", "NETSCAPE");
                app.setAttribute("authenticationCode", "2.0");
                app.setUserObject(new byte[] {1, 0, 0});   // loop forever
                apps.appendChild(app);
                meta.setFromTree(format, root);
                writer.writeToSequence(new IIOImage(img, null, meta), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // in-memory stream
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                return (IIOMetadataNode) root.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    public byte[] gif() {
        return gif.clone();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int frames() {
        return frames;
    }

    /** Writes the GIF atomically. */
    public Path write(Path file) {
        return AtomicFiles.write(file, out -> out.write(gif));
    }

    @Override
    public Map<String, String> mimeBundle() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("text/html", "<img alt=\"" + Html.escape(title) + "\" src=\"data:image/gif;base64,"
                + Base64.getEncoder().encodeToString(gif) + "\"/>");
        m.put("text/plain", toString());
        return m;
    }

    @Override
    public String toString() {
        return "animation '" + title + "', " + frames + " frames of " + width + "x" + height + " px, "
                + gif.length / 1024 + " KiB GIF";
    }
}
