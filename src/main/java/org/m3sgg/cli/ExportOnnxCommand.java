package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.deploy.Int8Weights;
import org.m3sgg.deploy.OnnxExport;
import org.m3sgg.deploy.OnnxVerify;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.RunData;
import org.m3sgg.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code m3sgg export onnx}: a checkpoint's inference graph as ONNX files, optionally checked by ONNX Runtime. */
@Command(name = "onnx", mixinStandardHelpOptions = true,
        description = {"Write a checkpoint's inference graph as ONNX (opset 17): FILE holds the relation pass, "
                + "FILE-without-.onnx.objects.onnx the SGCLS object classifier, .pass1.onnx an earlier relation pass "
                + "(STKET), and a .json manifest lists every file's inputs and outputs (docs/DEPLOY.md).",
            "With --verify the test split is scored twice, by the kit and with every pass run by ONNX Runtime; "
                + "every output must agree to 1e-4 and every R@K/mR@K to 1e-6 (exit code 1 otherwise)."})
public final class ExportOnnxCommand implements Callable<Integer>, Preflight {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "CKPT", required = true, converter = Converters.ExistingDir.class,
            description = "Checkpoint folder, or a run folder (its best checkpoint).")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "FILE", required = true, converter = Converters.OutFile.class,
            description = "The .onnx file of the relation pass (other passes and the manifest go beside it).")
    Path out;

    @Option(names = "--data-path", paramLabel = "DIR", converter = Converters.ExistingDir.class,
            description = "Action Genome folder the trace and --verify read (default: the one in the checkpoint's "
                    + "config).")
    Path dataPath;

    @Option(names = "--int8", description = "Store every linear layer's weights as int8 with one scale per output "
            + "channel (QDQ); --verify then compares with the kit running the same quantized weights.")
    boolean int8;

    @Option(names = "--verify", description = "Score the test split with the kit and with ONNX Runtime and compare.")
    boolean verify;

    @Override
    public void preflight() {
        resolve(checkpoint);
        if (!out.getFileName().toString().endsWith(".onnx")) {
            throw new KitException("--out " + out + ": expected a file name ending in .onnx");
        }
    }

    /** A checkpoint folder, or a run folder's selected checkpoint. */
    static Path resolve(Path dir) {
        if (Files.isRegularFile(dir.resolve(Checkpoint.META))) {
            return dir;
        }
        if (Files.isRegularFile(dir.resolve(Trainer.BEST))) {
            try {
                return dir.resolve(Files.readString(dir.resolve(Trainer.BEST)).trim());
            } catch (java.io.IOException e) {
                throw new KitException("--checkpoint " + dir + ": cannot read " + Trainer.BEST + ": " + e.getMessage());
            }
        }
        throw new KitException("--checkpoint " + dir + ": neither a checkpoint folder (no " + Checkpoint.META
                + ") nor a run folder (no " + Trainer.BEST + ")");
    }

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        Checkpoint.Loaded c = Checkpoint.open(resolve(checkpoint), null, null);
        ConfigTree cfg = c.config();
        if (dataPath != null) {
            cfg = cfg.with(List.of("data.path=" + dataPath.toAbsolutePath()));
        }
        RunData data = RunData.of(cfg, c.model().mode());
        Map<String, Int8Weights.Quantized> q = int8 ? Int8Weights.apply(c.model()) : Map.of();
        OnnxExport.Exported e = OnnxExport.export(c.model(), data.test(), data, q);
        Path parent = out.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (java.io.IOException ex) {
            throw new KitException("cannot create " + parent + ": " + ex.getMessage(), ex);
        }
        List<Path> files = e.write(out);
        w.printf(Locale.ROOT, "exported %s (%s)%s, opset %d:%n", c.meta().model(), c.meta().mode(),
                int8 ? ", int8 linear weights (" + q.size() + " layers)" : "", org.m3sgg.deploy.OnnxWriter.OPSET);
        for (int i = 0; i < e.stages().size(); i++) {
            OnnxExport.Stage s = e.stages().get(i);
            w.printf(Locale.ROOT, "  %-9s %s (%.1f kB): %d inputs -> %s%n", s.name(), files.get(i),
                    s.model().getSerializedSize() / 1024.0, s.inputs().size(), String.join(", ", s.outputs()));
        }
        w.println("  manifest  " + files.get(files.size() - 1));
        if (!verify) {
            w.flush();
            return 0;
        }
        OnnxVerify.Report r = OnnxVerify.verify(c.model(), e, data.test(), data,
                cfg.bind("eval", EvaluatorConfig.class));
        w.printf(Locale.ROOT, "verify on the test split (%d videos): largest output difference %.3g (limit %.0e), "
                + "largest metric difference %.3g (limit %.0e)%n", r.videos(), r.maxOutput(),
                OnnxVerify.OUTPUT_TOLERANCE, r.maxMetricDiff(), OnnxVerify.METRIC_TOLERANCE);
        r.maxOutputDiff().forEach((k, v) -> w.printf(Locale.ROOT, "  %-34s %.3g%n", k, v));
        for (Constraint k : Constraint.values()) {
            w.printf(Locale.ROOT, "  %-5s kit R@10 %.4f R@20 %.4f mR@10 %.4f | onnx R@10 %.4f R@20 %.4f mR@10 %.4f%n",
                    k.name().toLowerCase(Locale.ROOT), r.kit().metric(k, "R@10"), r.kit().metric(k, "R@20"),
                    r.kit().metric(k, "mR@10"), r.onnx().metric(k, "R@10"), r.onnx().metric(k, "R@20"),
                    r.onnx().metric(k, "mR@10"));
        }
        w.println(r.passed() ? "verify: passed" : "verify: FAILED");
        w.flush();
        return r.passed() ? 0 : 1;
    }
}
