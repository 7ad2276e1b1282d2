package org.m3sgg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.AgFrame;
import org.m3sgg.data.AgSplit;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.DatasetValidator;
import org.m3sgg.data.LoadOptions;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.FramePrediction;
import org.m3sgg.eval.GroundTruthFrame;
import org.m3sgg.eval.PredictionsFile;
import org.m3sgg.eval.SceneGraphEvaluator;
import org.m3sgg.models.frequency.FrequencyBaseline;
import org.m3sgg.train.Baselines;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.ConsoleProgress;
import org.m3sgg.train.Trainer;
import org.m3sgg.train.TrainingResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job on the bundled data: validate the dataset, print its loader counters, fit the frequency baseline on
 * the training split and score it on the test split (PredCLS) with the full Action Genome protocol, writing the
 * predictions file and the scores under {@code --out}.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Validate the bundled synthetic world, print its statistics, score the frequency baseline on its "
                + "test split, then train STTran (quick config, PredCLS) and score it next to the baseline.")
public final class QuickstartCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data-path", paramLabel = "DIR", converter = Converters.ExistingDir.class,
            description = "Action Genome folder (default: the bundled datasets/synthetic-ag).")
    Path dataPath;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/quickstart", converter = Converters.OutDir.class,
            description = "Where the predictions file and scores go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        Path data = dataPath != null ? dataPath : KitHome.bundledWorld();
        w.println("== dataset " + data);
        DatasetValidator.Report report = DatasetValidator.validate(data);
        if (!report.ok()) {
            report.problems().forEach(p -> w.println("problem: " + p.format()));
            throw new KitException(report.summary());
        }
        w.println(report.summary());

        ActionGenome ag = ActionGenome.open(data);
        w.println();
        w.println("== loader counters (STTran's filters)");
        w.println(DataStatsCommand.table(ag.stats(LoadOptions.DEFAULT)));

        AgSplit train = ag.load(Mode.PREDCLS, "train");
        AgSplit test = ag.load(Mode.PREDCLS, "test");
        FrequencyBaseline baseline = FrequencyBaseline.fit(train.videos());
        SceneGraphEvaluator evaluator = new SceneGraphEvaluator();
        Files.createDirectories(out);
        Path predictions = out.resolve("frequency-predcls-test.json");
        try (PredictionsFile.Writer pw = PredictionsFile.writer(predictions)) {
            for (AgVideo v : test.videos()) {
                for (AgFrame f : v.frames()) {
                    GroundTruthFrame gt = GroundTruthFrame.of(f);
                    FramePrediction p = baseline.predictPredCls(f);
                    evaluator.process(gt, p);
                    pw.write(gt, p);
                }
            }
            pw.finish();
        }
        EvaluationResult result = evaluator.summarize();
        result.writeJson(out.resolve("frequency-predcls-test.scores.json"));
        w.println();
        w.printf(Locale.ROOT, "== frequency baseline, PredCLS, test split: %d videos, %d frames (scores in %%)%n",
                test.videos().size(), result.frames());
        ScoreTable.print(w, result);
        w.println();
        w.println("predictions: " + predictions + " (score again with: bin/m3sgg evaluate-predictions FILE)");

        // ---- STTran, quick config, PredCLS: trained, selected on held-out training videos, scored on test ----
        w.println();
        w.println("== STTran (configs/quick/sttran.yaml), PredCLS");
        ConfigTree config = ConfigTree.load(KitHome.home().resolve("configs/quick/sttran.yaml"),
                List.of("data.path=" + data.toAbsolutePath()));
        Path runDir = out.resolve("sttran-predcls");
        if (Files.isDirectory(runDir.resolve(Trainer.CHECKPOINTS))) {
            // the quickstart's own run folder from an earlier quickstart: start afresh
            Checkpoint.deleteTree(runDir);
        }
        Trainer trainer = Trainer.fromConfig(runDir, config, "sttran", Mode.PREDCLS);
        trainer.addListener(new ConsoleProgress(w, ConsoleProgress.isTerminal(), trainer.trainConfig().logEvery()));
        TrainingResult r = trainer.run();
        Map<String, EvaluationResult> table = new LinkedHashMap<>();
        table.put("frequency", Baselines.frequency(trainer.data().train(), trainer.data().test(), Mode.PREDCLS,
                trainer.data().features(), EvaluatorConfig.DEFAULT));
        table.put("sttran", r.test());
        w.println();
        w.printf(Locale.ROOT, "== test split, PredCLS (scores in %%; the baseline fit on the same %d training videos)%n",
                trainer.data().train().size());
        ScoreTable.compare(w, table);
        w.println();
        w.println("run folder: " + runDir + " (score again with: bin/m3sgg eval --checkpoint " + runDir + ")");
        w.flush();
        return 0;
    }
}
