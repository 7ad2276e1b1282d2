package org.m3sgg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import org.m3sgg.api.KitException;
import org.m3sgg.models.dsgdetr.DsgDetrParity;
import org.m3sgg.models.sttran.SttranParity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code m3sgg parity}: a Java model against a PyTorch reference forward pass. For every {@code out_*.npy} of the
 * fixture folder it prints the largest absolute difference (integer outputs: the number of differing entries);
 * an output the kind does not reproduce is reported as such and fails the command.
 */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Run a model on a reference fixture folder and print, for every out_*.npy, the largest "
                + "absolute difference (integer outputs: the number of differing entries). Exit code 1 when a "
                + "value exceeds 1e-4, an integer output differs or an output is not reproduced.")
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
        KINDS = Collections.unmodifiableMap(k);
    }

    @Option(names = "--kind", paramLabel = "KIND", defaultValue = "sttran", converter = Converters.ParityKind.class,
            completionCandidates = Converters.ParityKind.class,
            description = "Fixture kind: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--fixture", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "Folder with dims.json, in_*.npy, out_*.npy and the checkpoint.")
    Path fixture;

    @Option(names = "--checkpoint", paramLabel = "FILE", converter = Converters.AnyPath.class,
            description = "Checkpoint file, relative to the fixture folder or absolute (default: the kind's, e.g. "
                    + "sttran_predcls.zip.tar, tempura_predcls.zip.tar, dsgdetr.zip.tar).")
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
        if (outputs.isEmpty()) {
            throw new KitException(fixture + ": no out_*.npy files");
        }
        Map<String, Double> diff = KINDS.get(kind).apply(fixture, ckpt);
        boolean ok = true;
        ObjectNode j = new ObjectMapper().createObjectNode();
        List<String> lines = new ArrayList<>();
        for (String name : outputs) {
            boolean integer = isInteger(fixture.resolve("out_" + name + ".npy"));
            Double d = diff.get(name);
            boolean pass = d != null && (integer ? d == 0 : d <= TOLERANCE);
            ok &= pass;
            if (d == null) {
                j.putNull(name);
                lines.add(String.format("  %-34s %-22s %s", name, "not reproduced", "FAIL"));
            } else if (integer) {
                j.put(name, d.longValue());
                lines.add(String.format("  %-34s %-22s %s", name, d.longValue() + " differing", pass ? "ok" : "FAIL"));
            } else {
                j.put(name, d);
                lines.add(String.format("  %-34s %-22s %s", name, String.format("%.3e", d), pass ? "ok" : "FAIL"));
            }
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(j));
        } else {
            System.out.printf("%s parity on %s (checkpoint %s)%n", kind, fixture,
                    ckpt == null ? "default" : ckpt.getFileName());
            System.out.printf("  %-34s %-22s %s%n", "output", "max |diff|", "");
            lines.forEach(System.out::println);
            System.out.println(ok ? "  OK (<= 1e-4, integer outputs equal)" : "  FAILED");
        }
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
