package org.m3sgg.infer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.api.KitException;
import org.m3sgg.api.Messages;

/**
 * {@code graphs.json}, the scene graphs of one video (schema in docs/INFER.md, version {@link #FORMAT}).
 *
 * @param format      always {@link #FORMAT}
 * @param source      the video file or frame folder
 * @param detector    the detector checkpoint
 * @param checkpoint  the relation model's checkpoint folder
 * @param model       the relation model's registry name
 * @param every       sampling: every n-th frame (1 when {@code fps} is used)
 * @param fps         sampling: the target rate, 0 when every n-th frame
 * @param topK        triplets kept per frame
 * @param window      sampled frames the relation model sees together
 * @param targetSize  the detector's input short side (600 published)
 * @param frameWidth  the frames' width in pixels
 * @param frameHeight the frames' height in pixels
 * @param frames      one graph per sampled frame, in source order
 */
@JsonPropertyOrder({"format", "source", "detector", "checkpoint", "model", "every", "fps", "top_k", "window",
    "target_size", "frame_width", "frame_height", "frames"})
public record GraphsFile(
        @JsonProperty("format") String format,
        @JsonProperty("source") String source,
        @JsonProperty("detector") String detector,
        @JsonProperty("checkpoint") String checkpoint,
        @JsonProperty("model") String model,
        @JsonProperty("every") int every,
        @JsonProperty("fps") double fps,
        @JsonProperty("top_k") int topK,
        @JsonProperty("window") int window,
        @JsonProperty("target_size") int targetSize,
        @JsonProperty("frame_width") int frameWidth,
        @JsonProperty("frame_height") int frameHeight,
        @JsonProperty("frames") List<SceneGraph> frames) {

    public static final String FORMAT = "m3sgg-graphs/1";
    public static final String FILE = "graphs.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES);

    public GraphsFile {
        if (!FORMAT.equals(format)) {
            throw new KitException("format is '" + format + "', expected '" + FORMAT + "'");
        }
        if (every < 1 || fps < 0 || topK < 0 || window < 1 || targetSize < 1 || frameWidth < 1 || frameHeight < 1) {
            throw new KitException("every, window, target_size and the frame size must be positive, fps and top_k "
                    + ">= 0; got every " + every + ", fps " + fps + ", top_k " + topK + ", window " + window
                    + ", target_size " + targetSize + ", frame " + frameWidth + "x" + frameHeight);
        }
        if (frames == null) {
            throw new KitException("'frames' is missing");
        }
        frames = List.copyOf(frames);
        int last = -1;
        for (SceneGraph g : frames) {
            if (g.index() <= last) {
                throw new KitException("frame " + g.index() + " (" + g.name() + ") follows frame " + last
                        + ": frames must be in ascending source order");
            }
            if (g.triplets().size() > topK) {
                throw new KitException("frame " + g.index() + " (" + g.name() + ") has " + g.triplets().size()
                        + " triplets, more than top_k " + topK);
            }
            last = g.index();
        }
    }

    /** Writes the file atomically, two-space indented, '\n' line ends. */
    public Path write(Path file) {
        DefaultPrettyPrinter pp = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(DefaultPrettyPrinter.FixedSpaceIndenter.instance);
        try {
            String text = JSON.writer(pp).writeValueAsString(this) + "\n";
            return AtomicFiles.writeString(file, text);
        } catch (JsonProcessingException e) {
            throw new KitException("cannot write " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Reads and checks a graphs file; every problem is one line naming the file. */
    public static GraphsFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new KitException("graphs file not found: " + file);
        }
        try {
            return JSON.readValue(file.toFile(), GraphsFile.class);
        } catch (JsonProcessingException e) {
            Throwable c = e.getCause();
            while (c != null && !(c instanceof KitException)) {
                c = c.getCause();
            }
            throw new KitException(file + ": " + (c != null ? c.getMessage() : Messages.json(e, null)), e);
        } catch (IOException e) {
            throw new KitException(file + ": unreadable: " + e.getMessage(), e);
        }
    }
}
