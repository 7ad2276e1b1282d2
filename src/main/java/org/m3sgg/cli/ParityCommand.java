package org.m3sgg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.m3sgg.api.KitException;
import org.m3sgg.models.dsgdetr.DsgDetrParity;
import org.m3sgg.models.sttran.SttranParity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code m3sgg parity}: a Java model against a PyTorch reference forward pass. For every {@code out_*.npy} of the
 * fixture folder, and every further output the kind compares (the SGDET fixture names its outputs
 * {@code train_*}, {@code test_*}, {@code roi_edge_*} and lists in {@code train_assignment.json}), it prints the
 * largest absolute difference (integer outputs and lists: the number of differing entries); an
 * {@code out_*.npy} the kind does not reproduce is reported as such and fails the command.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Run a model on a reference fixture folder and print, for every out_*.npy (kind sgdet: "
                + "every train_*, test_*, roi_edge_* output and train_assignment.json list), the largest absolute "
                + "difference (integer outputs: the number of differing entries; kind faster-rcnn: box outputs "
                + "marked /side in units of the frame's longer side). Exit code 1 when a value "
                + "exceeds 1e-4, an integer output differs or an output is not reproduced.")
public final class ParityCommand implements Callable<Integer>, Preflight {

    /** Differences above this fail the command (exit code 1). */
    static final double TOLERANCE = 1e-4;

    /**
     * The fixture kinds, one line each: the comparison (fixture folder, checkpoint or null for the kind's
     * default) giving the difference per output name (the file name without {@code out_} and {@code .npy}).
     */
    static final Map<String, BiFunction<Path, Path, LinkedHashMap<String, Double>>> KINDS;

    static {
        Map<String, BiFunction<Path, Path, LinkedHashMap<String, Double>>> k = new LinkedHashMap<>();
        k.put("sttran", SttranParity::compare);
        k.put("tempura", org.m3sgg.models.tempura.TempuraParity::compare);
        k.put("dsg-detr", DsgDetrParity::compare);
        k.put("sgdet", org.m3sgg.sgdet.SgdetParity::compare);
        k.put("oed", org.m3sgg.models.oed.OedParity::compare);
        k.put("faster-rcnn", org.m3sgg.detector.FasterRcnnParity::compare);
        KINDS = Collections.unmodifiableMap(k);
    }

    /**
     * Outputs a kind reports in units of the frame's longer side instead of absolute values (box coordinates in
     * pixels decoded from deltas); the same 1e-4 applies to them.
     */
    static final Map<String, Set<String>> FRAME_UNITS =
            Map.of("faster-rcnn", org.m3sgg.detector.FasterRcnnParity.FRAME_UNIT_OUTPUTS);

    @Spec
    CommandSpec spec;

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "sttran", converter = Converters.ParityKind.class,
            completionCandidates = Converters.ParityKind.class,
            description = "Fixture kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--fixture", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "Folder with dims.json, in_*.npy, out_*.npy and the checkpoint.")
    Path fixture;

    @Option(names = "--checkpoint", paramLabel = "FILE", converter = Converters.AnyPath.class,
            description = "Checkpoint file, relative to the fixture folder or absolute (default: the kind's, e.g. "
                    + "sttran_predcls.zip.tar, tempura_predcls.zip.tar, dsgdetr.zip.tar, sgdet_head.zip.tar, "
                    + "faster_rcnn_ag.zip.tar; oed: oed_sgdet_spatial.zip.tar and oed_sgdet_temporal.zip.tar, a "
                    + "temporal checkpoint serving both).")
    Path checkpoint;

    @Option(names = "--json", description = "Print one JSON object keyed by output name (out_NAME.npy -> NAME); "
            + "null for an output that is not reproduced.")
    boolean json;

    /** {@code --checkpoint}, if given, exists relative to the fixture folder or as given. */
    @Override
    public void preflight() {
        if (checkpoint != null && resolvedCheckpoint() == null) {
            throw new KitException("--checkpoint " + checkpoint + ": no such file "
                    + (checkpoint.isAbsolute() ? "" : "in " + fixture + " or ") + "as given");
        }
    }

    private Path resolvedCheckpoint() {
        Path inFolder = checkpoint.isAbsolute() ? checkpoint : fixture.resolve(checkpoint);
        if (Files.isRegularFile(inFolder)) {
            return inFolder;
        }
        return Files.isRegularFile(checkpoint) ? checkpoint : null;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(fixture)) {
            throw new KitException(fixture + ": fixture folder not found");
        }
        Path ckpt = checkpoint == null ? null : resolvedCheckpoint();
        if (checkpoint != null && ckpt == null) {
            preflight();
        }
        List<String> outputs = outputs(fixture);
        Map<String, Double> diff = KINDS.get(kind).apply(fixture, ckpt);
        Set<String> names = new LinkedHashSet<>(outputs);
        names.addAll(diff.keySet());
        if (names.isEmpty()) {
            throw new KitException(fixture + ": no reference outputs (out_*.npy) for kind " + kind);
        }
        boolean ok = true;
        ObjectNode j = new ObjectMapper().createObjectNode();
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            boolean integer = isIntegerOutput(fixture, name);
            Double d = diff.get(name);
            boolean pass = d != null && (integer ? d == 0 : d <= TOLERANCE);
            ok &= pass;
            if (d == null) {
                j.putNull(name);
                lines.add(String.format("  %-48s %-22s %s", name, "not reproduced", "FAIL"));
            } else if (integer) {
                j.put(name, d.longValue());
                lines.add(String.format("  %-48s %-22s %s", name, d.longValue() + " differing", pass ? "ok" : "FAIL"));
            } else {
                j.put(name, d);
                boolean frameUnits = FRAME_UNITS.getOrDefault(kind, Set.of()).contains(name);
                lines.add(String.format("  %-48s %-22s %s", name, String.format("%.3e", d)
                        + (frameUnits ? " /side" : ""), pass ? "ok" : "FAIL"));
            }
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(new ObjectMapper().writeValueAsString(j));
        } else {
            w.printf("%s parity on %s (checkpoint %s)%n", kind, fixture,
                    ckpt == null ? "default" : ckpt.getFileName());
            w.printf("  %-48s %-22s %s%n", "output", "max |diff|", "");
            lines.forEach(w::println);
            if (FRAME_UNITS.containsKey(kind)) {
                w.println("  /side: largest |diff| divided by the frame's longer side (pixels of that output)");
            }
            w.println(ok ? "  OK (<= 1e-4, integer outputs equal)" : "  FAILED");
        }
        w.flush();
        return ok ? 0 : 1;
    }

    /** The output names of the folder (out_NAME.npy -> NAME), sorted. */
    static List<String> outputs(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "out_*.npy")) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                names.add(f.substring(4, f.length() - 4));
            }
        }
        Collections.sort(names);
        return names;
    }

    /**
     * Whether output {@code name} is discrete: its file ({@code out_NAME.npy}, else {@code NAME.npy}) holds
     * integers; an output without a .npy file (a list of a JSON file, e.g. {@code train_assignment.gt_relations})
     * is a count of differing entries too.
     */
    static boolean isIntegerOutput(Path fixture, String name) {
        Path out = fixture.resolve("out_" + name + ".npy");
        if (Files.isRegularFile(out)) {
            return isInteger(out);
        }
        Path plain = fixture.resolve(name + ".npy");
        return !Files.isRegularFile(plain) || isInteger(plain);
    }

    /** Whether a .npy file holds integers (its header's descr is i or u). */
    static boolean isInteger(Path npy) {
        try (InputStream in = Files.newInputStream(npy)) {
            String header = new String(in.readNBytes(256), StandardCharsets.ISO_8859_1);
            int i = header.indexOf("'descr':");
            if (!header.startsWith("\u0093NUMPY") || i < 0) {
                throw new KitException(npy + ": not a .npy file");
            }
            String rest = header.substring(i + 8).trim();
            char type = rest.length() > 2 ? rest.charAt(2) : '?';
            return type == 'i' || type == 'u' || type == 'b';
        } catch (IOException e) {
            throw new KitException(npy + ": cannot read (" + e.getMessage() + ")");
        }
    }
}
