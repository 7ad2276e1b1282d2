package org.m3sgg.eval;

import org.m3sgg.api.AtomicFiles;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Scores of all three constraints over the frames an evaluator processed.
 *
 * @param frames number of frames scored
 * @param byConstraint one result per {@link Constraint}, in {@code with, semi, no} order
 */
public record EvaluationResult(int frames, Map<Constraint, ConstraintResult> byConstraint) {

    public EvaluationResult {
        EnumMap<Constraint, ConstraintResult> copy = new EnumMap<>(Constraint.class);
        copy.putAll(byConstraint);
        for (Constraint c : Constraint.values()) {
            if (!copy.containsKey(c)) {
                throw new IllegalArgumentException("missing result for constraint " + c.key());
            }
        }
        byConstraint = Collections.unmodifiableMap(copy);
    }

    public ConstraintResult get(Constraint c) {
        return byConstraint.get(c);
    }

    /** A metric by constraint and name, e.g. {@code metric(Constraint.WITH, "R@20")}. */
    public double metric(Constraint c, String name) {
        return get(c).metric(name);
    }

    /**
     * The scores as JSON: {@code {"with": {"R@10": .., .., "mR_frame@100": ..}, "semi": {..}, "no": {..}}}, fractions
     * in [0, 1] written with full (round-trip) precision.
     */
    public String toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeJson(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Writes {@link #toJson()} to a file (temporary file, then rename). */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.write(file, this::writeJson);
    }

    private void writeJson(OutputStream out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            for (Constraint c : Constraint.values()) {
                g.writeObjectFieldStart(c.key());
                for (Map.Entry<String, Double> e : get(c).metrics().entrySet()) {
                    g.writeNumberField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeRaw('\n');
        }
    }
}
