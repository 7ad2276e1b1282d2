package org.m3sgg.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.models.GraphModel;
import org.m3sgg.models.SggModel;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.Inference;
import org.m3sgg.train.RunData;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingResult;

/**
 * The size / speed / recall table of docs/DEPLOY.md: every graph model (quick config, PredCLS, bundled world) is
 * trained briefly, then scored on the test split as float, int8 (weights) and pruned at 20/50/80% with and without a
 * one-epoch fine-tune; sizes are the ONNX files, times the test split's graph passes in the kit (SameDiff) and in
 * ONNX Runtime. Run: {@code mvn -B -Pbench test -Dtest=DeployBenchmarkTest} (optional
 * {@code -Dm3sgg.deploy.models=sttran,stket -Dm3sgg.deploy.epochs=3}); the table is printed and written to
 * {@code target/deploy-bench.md}.
 */
@Tag("bench")
class DeployBenchmarkTest {

    record Row(String model, String variant, long onnxBytes, long npzBytes, double sparsity, double kitSeconds,
            double onnxSeconds, double r10, double r20, double mr10) {}

    @Test
    void table() throws Exception {
        List<String> models = List.of(System.getProperty("m3sgg.deploy.models", "sttran,tempura,stket,dsg-detr")
                .split(","));
        int epochs = Integer.getInteger("m3sgg.deploy.epochs", 3);
        Path work = Files.createTempDirectory("m3sgg-deploy-bench");
        List<Row> rows = new ArrayList<>();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "PredCLS, bundled world, test split; %d training epochs (quick config), "
                + "fine-tune 1 epoch; with-constraint recall in %%%n%n", epochs));
        md.append("| model | variant | ONNX size (kB) | params.npz (kB) | zeros | kit time (s) | ORT time (s) | R@10 "
                + "| R@20 | mR@10 |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (String name : models) {
            ConfigTree cfg = DeployTesting.quick(name, "train.epochs=" + epochs, "train.checkpoint_every=0",
                    "train.log_every=1000");
            Path run = work.resolve(name);
            TrainingResult trained = Trainer.fromConfig(run, cfg, name, Mode.PREDCLS).run();
            Path best = trained.bestCheckpoint();
            rows.add(measure(name, "float", best, cfg, false, work));
            rows.add(measure(name, "int8", best, cfg, true, work));
            for (double amount : new double[] {0.2, 0.5, 0.8}) {
                Checkpoint.Loaded c = Checkpoint.open(best, null, null);
                var masks = Pruning.prune(c.model(), amount);
                String tag = "pruned-" + Math.round(amount * 100);
                Path pruned = Checkpoint.write(work.resolve(name + "-ckpt"), tag, c.meta(), c.config(), c.model(),
                        null, null);
                Pruning.write(pruned.resolve(Pruning.MASKS), masks);
                rows.add(measure(name, "pruned " + Math.round(amount * 100) + "%", pruned, cfg, false, work));
                ConfigTree ft = cfg.with(List.of("train.epochs=1", "finetune.init_from=" + pruned));
                TrainingResult tuned = Trainer.fromConfig(work.resolve(name + "-" + tag + "-ft"), ft, name,
                        Mode.PREDCLS).run();
                rows.add(measure(name, "pruned " + Math.round(amount * 100) + "% + fine-tune", tuned.bestCheckpoint(),
                        cfg, false, work));
            }
            for (Row r : rows.subList(rows.size() - 8, rows.size())) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f%% | %.2f | %.2f | %.2f | %.2f | "
                        + "%.2f |%n", r.model(), r.variant(), r.onnxBytes() / 1024.0, r.npzBytes() / 1024.0,
                        100 * r.sparsity(), r.kitSeconds(), r.onnxSeconds(), 100 * r.r10(), 100 * r.r20(),
                        100 * r.mr10()));
            }
            System.out.println(md);
            Files.writeString(Path.of("target/deploy-bench.md"), md.toString());
        }
        assertTrue(rows.size() == 8 * models.size());
    }

    private static Row measure(String name, String variant, Path checkpoint, ConfigTree cfg, boolean int8, Path work)
            throws Exception {
        Checkpoint.Loaded c = Checkpoint.open(checkpoint, null, null);
        SggModel model = c.model();
        Map<String, Int8Weights.Quantized> q = int8 ? Int8Weights.apply(model) : Map.of();
        RunData data = RunData.of(cfg, Mode.PREDCLS);
        OnnxExport.Exported e = OnnxExport.export(model, data.test(), data, q);
        Path tmpCkpt = Checkpoint.write(work.resolve("sizes"), name + "-" + variant.replace(' ', '_')
                .replace('%', 'p').replace('+', '_'), c.meta(), c.config(), model, null, null);
        long npz = Files.size(tmpCkpt.resolve(Checkpoint.PARAMS));
        EvaluatorConfig ec = cfg.bind("eval", EvaluatorConfig.class);
        Inference.score(model, data.test().subList(0, 2), data.features(), ec, null);       // warm-up
        long t0 = System.nanoTime();
        EvaluationResult kit = Inference.score(model, data.test(), data.features(), ec, null).result();
        double kitSeconds = (System.nanoTime() - t0) / 1e9;
        double ortSeconds;
        EvaluationResult onnx;
        try (OrtEngine engine = new OrtEngine(e, false)) {
            ((GraphModel<?>) model).setEngine(engine);
            Inference.score(model, data.test().subList(0, 2), data.features(), ec, null);
            long t1 = System.nanoTime();
            onnx = Inference.score(model, data.test(), data.features(), ec, null).result();
            ortSeconds = (System.nanoTime() - t1) / 1e9;
        } finally {
            ((GraphModel<?>) model).setEngine(null);
        }
        for (String m : List.of("R@10", "R@20", "mR@10")) {
            double d = Math.abs(kit.metric(Constraint.WITH, m) - onnx.metric(Constraint.WITH, m));
            assertTrue(d <= OnnxVerify.METRIC_TOLERANCE, name + " " + variant + " " + m + ": kit and ONNX differ by "
                    + d);
        }
        return new Row(name, variant, e.bytes(), npz, Pruning.sparsity(model), kitSeconds, ortSeconds,
                kit.metric(Constraint.WITH, "R@10"), kit.metric(Constraint.WITH, "R@20"),
                kit.metric(Constraint.WITH, "mR@10"));
    }
}
