package org.m3sgg.report;

import java.util.Map;

/**
 * A value a notebook shows in several forms at once: MIME type to content, the way Jupyter's display messages
 * carry them. Every bundle holds {@code text/plain}, so a console, a log or a kernel without rich output still gets
 * something readable; the notebook front end picks the richest form it can show.
 *
 * <p>{@link KernelDisplay} registers one render function for this type with IJava-style kernels (see
 * {@link Notebook#setup()}); {@link Display#rich(Object)} turns the kit's results into one.
 */
public interface Rich {

    /** MIME type to content (text, or base64 for images), with {@code text/plain} always present. */
    Map<String, String> mimeBundle();

    /** Per-MIME-type metadata, e.g. {@code image/png -> {width: 640}} to show a 2x image at its 1x size. */
    default Map<String, Map<String, Object>> mimeMetadata() {
        return Map.of();
    }
}
