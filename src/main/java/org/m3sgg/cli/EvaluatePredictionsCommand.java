package org.m3sgg.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.eval.Constraint;
import org.m3sgg.eval.ConstraintResult;
import org.m3sgg.eval.EvaluationResult;
import org.m3sgg.eval.OedProtocol;
import org.m3sgg.eval.PredictionsFile;
import org.m3sgg.eval.SceneGraphEvaluator;
import org.m3sgg.data.Vocabulary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code m3sgg evaluate-predictions FILE [--json]}: scores a predictions file with the Action Genome protocol. */
@Command(name = "evaluate-predictions", mixinStandardHelpOptions = true,
        description = {"Score a predictions file (ground truth + model output per frame) with STTran's Action Genome "
                + "protocol: R@K, pooled mR@K and per-frame mR_frame@K for K = 10, 20, 50, 100 under the with, "
                + "semi and no constraints; or with OED's protocol (--protocol oed).",
                "See docs/METRICS.md for the definitions."})
public final class EvaluatePredictionsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", converter = Converters.ExistingFile.class,
            description = "predictions JSON ({\"frames\": [...]})")
    Path file;

    @Option(names = "--json", description = "print the scores as JSON fractions in [0, 1] at full precision")
    boolean json;

    @Option(names = "--per-predicate", description = "also print each predicate's pooled recall (percent)")
    boolean perPredicate;

    @Option(names = "--protocol", paramLabel = "NAME", defaultValue = "sttran", converter = Converters.Protocol.class,
            completionCandidates = Converters.Protocol.class,
            description = "${COMPLETION-CANDIDATES}: STTran's protocol (default), OED's (R@10/20/50/100 under with "
                    + "and no, top 100 for no), or OED's with its triplet NMS filter (top 500, needs --image-size). "
                    + "See docs/METRICS.md.")
    String protocol;

    @Option(names = "--image-size", paramLabel = "WxH", converter = Converters.ImageSize.class,
            description = "Frame size in pixels the boxes are normalised by (OED's protocol; required by oed-nms).")
    Converters.FrameSize imageSize;

    @Override
    public Integer call() {
        if (!protocol.equals("sttran")) {
            if (perPredicate) {
                throw new KitException("--per-predicate belongs to the sttran protocol, not --protocol " + protocol);
            }
            OedProtocol.Result r = OedProtocol.score(file, protocol.equals("oed-nms"),
                    Converters.FrameSize.array(imageSize));
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.print(r.toJson());
            } else {
                out.printf(Locale.ROOT, "%s: %d frames, OED's protocol%s (scores in %%; mR = OED's class mean of "
                        + "per-frame recalls)%n", file, r.frames(), r.nmsFilter() ? " with its NMS filter" : "");
                r.print(out);
            }
            out.flush();
            return 0;
        }
        if (imageSize != null) {
            throw new KitException("--image-size is for --protocol oed / oed-nms (STTran's protocol uses pixels)");
        }
        SceneGraphEvaluator evaluator = new SceneGraphEvaluator();
        int frames = PredictionsFile.forEach(file, e -> evaluator.process(e.gt(), e.prediction()));
        if (frames == 0) {
            throw new KitException(file + ": the \"frames\" array is empty, nothing to score");
        }
        EvaluationResult result = evaluator.summarize();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(result.toJson());
        } else {
            out.printf(Locale.ROOT, "%s: %d frames (scores in %%; mR = pooled over frames, mR_frame = per-frame mean)%n",
                    file, result.frames());
            ScoreTable.print(out, result);
            if (perPredicate) {
                printPerPredicate(out, result);
            }
        }
        out.flush();
        return 0;
    }

    private static void printPerPredicate(PrintWriter out, EvaluationResult r) {
        for (Constraint c : Constraint.values()) {
            ConstraintResult cr = r.get(c);
            long[] counts = cr.relationCounts();
            out.printf(Locale.ROOT, "%nper-predicate recall, %s constraint (%%)%n", c.key());
            out.printf(Locale.ROOT, "%-20s %7s", "predicate", "gt");
            for (int k : SceneGraphEvaluator.KS) {
                out.printf(Locale.ROOT, "%8s", "R@" + k);
            }
            out.println();
            for (int p = 0; p < Vocabulary.NUM_PREDICATES; p++) {
                out.printf(Locale.ROOT, "%-20s %7d", Vocabulary.PREDICATES.get(p), counts[p]);
                for (int k : SceneGraphEvaluator.KS) {
                    out.printf(Locale.ROOT, "%8.2f", 100 * cr.perPredicateRecall(k)[p]);
                }
                out.println();
            }
        }
    }
}
