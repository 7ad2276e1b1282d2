package org.m3sgg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.models.sttran.SttranParity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m3sgg parity}: the Java STTran against a PyTorch reference forward pass. */
@Command(name = "parity", mixinStandardHelpOptions = true,
        description = "Run STTran (PredCLS, eval) on a reference fixture folder and print the largest absolute "
                + "difference per output.")
public final class ParityCommand implements Callable<Integer>, Preflight {

    /** Differences above this fail the command (exit code 1). */
    static final double TOLERANCE = 1e-4;

    @Option(names = "--fixture", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "Folder with dims.json, in_*.npy, out_*.npy and the checkpoint.")
    Path fixture;

    @Option(names = "--checkpoint", paramLabel = "FILE", defaultValue = "sttran_predcls.zip.tar",
            converter = Converters.AnyPath.class,
            description = "Checkpoint file, relative to the fixture folder or absolute (default: ${DEFAULT-VALUE}).")
    Path checkpoint;

    @Option(names = "--json", description = "Print {\"attention\": .., \"spatial\": .., \"contacting\": ..}.")
    boolean json;

    /** {@code --checkpoint} exists, relative to the fixture folder or as given. */
    @Override
    public void preflight() {
        Path ckpt = checkpoint.isAbsolute() ? checkpoint : fixture.resolve(checkpoint);
        if (!Files.isRegularFile(ckpt) && !Files.isRegularFile(checkpoint)) {
            throw new KitException("--checkpoint " + checkpoint + ": no such file "
                    + (checkpoint.isAbsolute() ? "" : "in " + fixture + " or ") + "as given");
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(fixture)) {
            throw new KitException(fixture + ": fixture folder not found");
        }
        Path ckpt = checkpoint.isAbsolute() ? checkpoint : fixture.resolve(checkpoint);
        if (!Files.isRegularFile(ckpt) && Files.isRegularFile(checkpoint)) {
            ckpt = checkpoint;
        }
        SttranParity.Result r = SttranParity.run(fixture, ckpt);
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(SttranParity.asMap(r)));
        } else {
            System.out.printf("STTran parity on %s (%d pairs, checkpoint %s)%n", fixture, r.pairs(), r.checkpoint());
            System.out.printf("  attention   max |diff| = %.3e%n", r.attention());
            System.out.printf("  spatial     max |diff| = %.3e%n", r.spatial());
            System.out.printf("  contacting  max |diff| = %.3e%n", r.contacting());
            System.out.println(r.max() < TOLERANCE ? "  OK (< 1e-4)" : "  FAILED (>= 1e-4)");
        }
        return r.max() < TOLERANCE ? 0 : 1;
    }
}
