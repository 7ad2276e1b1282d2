package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.deploy.Pruning;
import org.m3sgg.train.Checkpoint;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code m3sgg prune}: global L1 unstructured pruning of a checkpoint's linear weights. */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Zero the smallest-magnitude fraction of all linear layers' weights of a checkpoint, taken "
                + "over all layers together (global L1 unstructured pruning), and write the result as a checkpoint "
                + "folder with its masks (masks.npz).",
            "Score it with 'eval --checkpoint OUT'; fine-tune it with 'train --init-from OUT' (the masks are kept "
                + "through training)."})
public final class PruneCommand implements Callable<Integer>, Preflight {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "CKPT", required = true, converter = Converters.ExistingDir.class,
            description = "Checkpoint folder, or a run folder (its best checkpoint).")
    Path checkpoint;

    @Option(names = "--amount", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "Fraction of the linear weights to zero, in (0, 1) (default: ${DEFAULT-VALUE}).")
    double amount;

    @Option(names = "--out", paramLabel = "DIR", required = true, converter = Converters.NewDir.class,
            description = "The pruned checkpoint folder to create.")
    Path out;

    @Override
    public void preflight() {
        ExportOnnxCommand.resolve(checkpoint);
        if (!(amount > 0 && amount < 1)) {
            throw new KitException("--amount " + amount + ": expected a fraction in (0, 1)");
        }
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Path dir = ExportOnnxCommand.resolve(checkpoint);
        Checkpoint.Loaded c = Checkpoint.open(dir, null, null);
        Map<String, INDArray> masks = Pruning.prune(c.model(), amount);
        Checkpoint.Meta m = c.meta();
        Path abs = out.toAbsolutePath().normalize();
        Checkpoint.write(abs.getParent(), abs.getFileName().toString(), new Checkpoint.Meta(m.format(), m.model(),
                m.mode(), "pruned", m.epoch(), m.stepInEpoch(), m.globalStep(), Map.of(), m.datasetFingerprint(),
                m.gitCommit(), m.versions(), java.time.Instant.now().toString()), c.config(), c.model(), null, null);
        Pruning.write(abs.resolve(Pruning.MASKS), masks);
        w.printf(Locale.ROOT, "pruned %s (%s) from %s: %d linear weights, %.1f%% of their values zero -> %s%n",
                m.model(), m.mode(), dir, masks.size(), 100 * Pruning.sparsity(c.model()), abs);
        w.flush();
        return 0;
    }
}
