package org.m3sgg.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.eval.OedProtocol;
import org.m3sgg.eval.PredictionsFile;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.Inference;
import org.m3sgg.train.RunData;
import org.m3sgg.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code m3sgg eval}: scores a checkpoint on the test split and writes its predictions file. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Score a checkpoint (a checkpoint folder, or a run folder: its selected one) on the test split "
                + "and write the predictions file.")
public final class EvalCommand implements Callable<Integer>, Preflight {

    @Spec
    CommandSpec spec;

    @Option(names = "--checkpoint", paramLabel = "CKPT", required = true, converter = Converters.ExistingDir.class,
            description = "Checkpoint folder, or a run folder (its best checkpoint).")
    Path checkpoint;

    @Option(names = "--data-path", paramLabel = "DIR", converter = Converters.ExistingDir.class,
            description = "Action Genome folder (default: the one in the "
            + "checkpoint's config).")
    Path dataPath;

    @Option(names = "--out", paramLabel = "FILE", converter = Converters.OutFile.class,
            description = "Predictions file (default: CKPT/test.predictions.json "
            + "for the test split, none for the validation split).")
    Path out;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", converter = Converters.Split.class,
            completionCandidates = Converters.Split.class,
            description = "${COMPLETION-CANDIDATES}: the test split, or the validation videos the run selected its "
                    + "checkpoint on (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--json", paramLabel = "FILE", converter = Converters.OutFile.class,
            description = "Also write the scores as JSON (the format of a run's "
            + "test.scores.json).")
    Path json;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "sttran", converter = Converters.Protocol.class,
            completionCandidates = Converters.Protocol.class,
            description = "${COMPLETION-CANDIDATES}: STTran's protocol (default), OED's, or OED's with its triplet "
                    + "NMS filter (needs --image-size); OED's scores the predictions file written (see "
                    + "docs/METRICS.md).")
    String protocol;

    @Option(names = "--image-size", paramLabel = "WxH", converter = Converters.ImageSize.class,
            description = "Frame size in pixels the boxes are normalised by (OED's protocol; required by oed-nms).")
    Converters.FrameSize imageSize;

    /** {@code --checkpoint} is a checkpoint folder (with meta.json) or a run folder (with best). */
    @Override
    public void preflight() {
        if (!Files.isRegularFile(checkpoint.resolve(Checkpoint.META))
                && !Files.isRegularFile(checkpoint.resolve(Trainer.BEST))) {
            throw new KitException("--checkpoint " + checkpoint + ": neither a checkpoint folder (no "
                    + Checkpoint.META + ") nor a run folder (no " + Trainer.BEST + ")");
        }
        if (protocol.equals("oed-nms") && imageSize == null) {
            throw new KitException("--protocol oed-nms needs --image-size WxH (its NMS acts on normalised boxes)");
        }
        if (protocol.equals("sttran") && imageSize != null) {
            throw new KitException("--image-size is for --protocol oed / oed-nms (STTran's protocol uses pixels)");
        }
        if (!protocol.equals("sttran") && out == null && split.equals("val")) {
            throw new KitException("--protocol " + protocol + " scores the predictions file: give --out FILE for the "
                    + "validation split");
        }
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        Path dir = checkpoint;
        if (!Files.isRegularFile(dir.resolve(Checkpoint.META)) && Files.isRegularFile(dir.resolve(Trainer.BEST))) {
            dir = dir.resolve(Files.readString(dir.resolve(Trainer.BEST)).trim());
        }
        if (!Files.isDirectory(dir)) {
            throw new KitException("checkpoint not found: " + checkpoint);
        }
        Checkpoint.Loaded c = Checkpoint.open(dir, null, null);
        ConfigTree cfg = c.config();
        if (dataPath != null) {
            cfg = cfg.with(java.util.List.of("data.path=" + dataPath.toAbsolutePath()));
        }
        // the checkpoint's own model and mode (its run's identity): no --model or --mode to repeat
        RunData data = RunData.of(cfg, c.model().mode());
        boolean test = switch (split) {
            case "test" -> true;
            case "val" -> false;
            default -> throw new KitException("--split must be test or val, got '" + split + "'");
        };
        Path file = out != null ? out : test ? dir.resolve("test.predictions.json") : null;
        EvaluatorConfig ec = cfg.bind("eval", EvaluatorConfig.class);
        Inference.Scored s;
        if (file != null) {
            try (PredictionsFile.Writer pw = PredictionsFile.writer(file)) {
                s = Inference.score(c.model(), test ? data.test() : data.val(), data, ec, pw);
                pw.finish();
            }
        } else {
            s = Inference.score(c.model(), data.val(), data, ec, null);
        }
        OedProtocol.Result oed = protocol.equals("sttran") ? null
                : OedProtocol.score(file, protocol.equals("oed-nms"), Converters.FrameSize.array(imageSize));
        if (json != null) {
            if (oed == null) {
                s.result().writeJson(json);
            } else {
                AtomicFiles.writeString(json, oed.toJson());
            }
        }
        w.printf(Locale.ROOT, "== %s (%s), checkpoint %s (epoch %d), %s split: %d videos, %d frames (scores in %%%s)%n",
                c.meta().model(), c.meta().mode(), dir, c.meta().epoch() + 1, test ? "test" : "validation",
                s.stats().videos(), s.result().frames(), oed == null ? "" : "; OED's protocol"
                + (oed.nmsFilter() ? " with its NMS filter" : ""));
        if (oed == null) {
            ScoreTable.print(w, s.result());
        } else {
            oed.print(w);
        }
        if (s.stats().zeroUnionPairs() > 0) {
            w.printf(Locale.ROOT, "%d relabelled pairs had no union feature (non-person subject, person-object feature "
                    + "folder) and used a zero one%n", s.stats().zeroUnionPairs());
        }
        if (file != null) {
            w.println("predictions: " + file);
        }
        w.flush();
        return 0;
    }
}
