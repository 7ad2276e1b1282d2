package org.m3sgg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.m3sgg.api.KitException;
import org.m3sgg.bench.BenchJvm;
import org.m3sgg.bench.BenchReport;
import org.m3sgg.bench.DetectorBenchmark;
import org.m3sgg.bench.SttranBenchmark;
import org.m3sgg.data.Mode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code m3sgg bench}: STTran training-step and inference timing, achieved GFLOP/s against Nd4j.gemm, peak RSS; or
 * ({@code --kind detector}) the published-size Faster R-CNN's frames per second and memory.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time STTran's forward pass and training step on a synthetic video and compare the achieved "
                + "GFLOP/s with plain Nd4j.gemm on the same product shapes; or, with --kind detector, STTran's "
                + "Faster R-CNN (ResNet-101) on frames of 600 x 1067: frames/s, CPU time, time per stage, peak heap "
                + "and peak RSS. Peak RSS is the whole process's.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--kind", defaultValue = "sttran", converter = Converters.BenchKind.class,
            completionCandidates = Converters.BenchKind.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String kind;

    @Option(names = "--checkpoint", paramLabel = "FILE", converter = Converters.ExistingFile.class,
            description = "Kind detector: a faster-rcnn.pytorch checkpoint (default: seeded random weights of "
                    + "the published shapes).")
    java.nio.file.Path checkpoint;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--widths", defaultValue = "both", converter = Converters.BenchWidths.class,
            completionCandidates = Converters.BenchWidths.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String widths;

    @Option(names = "--pairs", defaultValue = "200", converter = Converters.PositiveInt.class,
            description = "Relation pairs (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--frames", converter = Converters.PositiveInt.class,
            description = "Frames the pairs are spread over (default: 20); kind detector: frames per timed run "
                    + "(default: 4).")
    Integer frames;

    @Option(names = "--mode", defaultValue = "predcls", converter = Converters.FeatureMode.class,
            completionCandidates = Converters.FeatureMode.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--warmup", defaultValue = "1", converter = Converters.NonNegativeInt.class,
            description = "Untimed runs after the first training step "
            + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--repeats", defaultValue = "3", converter = Converters.PositiveInt.class,
            description = "Timed runs; the median is reported "
            + "(default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--profile", description = "Also profile one forward pass and one training step per op.")
    boolean profile;

    @Option(names = "--json", description = "Print the results as JSON instead of a table.")
    boolean json;

    @Option(names = "--in-process", description = "Measure in this JVM instead of a child JVM started with the "
            + "bench's own flags (-Xmx1g, javacpp memory limits, OMP_WAIT_POLICY=PASSIVE, "
            + "OPENBLAS_THREAD_TIMEOUT=4; see docs/PERFORMANCE.md).")
    boolean inProcess;

    @Override
    public Integer call() throws Exception {
        boolean detector = kind.trim().equalsIgnoreCase("detector");
        if (checkpoint != null && !detector) {
            throw new KitException("bench: --checkpoint " + checkpoint + " is for --kind detector (the STTran "
                    + "bench uses its own initialisation)");
        }
        int nFrames = frames != null ? frames : detector ? 4 : 20;
        if (!inProcess) {
            List<String> args = new ArrayList<>(List.of("bench", "--in-process", "--kind", kind, "--widths", widths,
                    "--pairs", String.valueOf(pairs), "--frames", String.valueOf(nFrames), "--mode", mode,
                    "--warmup", String.valueOf(warmup), "--repeats", String.valueOf(repeats)));
            if (checkpoint != null) {
                args.add("--checkpoint");
                args.add(checkpoint.toAbsolutePath().toString());
            }
            if (profile) {
                args.add("--profile");
            }
            if (json) {
                args.add("--json");
            }
            return BenchJvm.runChild(args);
        }
        if (detector) {
            if (!json) {
                System.err.println("bench: detector, " + nFrames + " frames of 600 x 1067...");
            }
            DetectorBenchmark.Result r = DetectorBenchmark.run(new DetectorBenchmark.Options(nFrames, warmup,
                    repeats, checkpoint));
            spec.commandLine().getOut().print(json ? new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(DetectorBenchmark.json(r)) + System.lineSeparator()
                    : DetectorBenchmark.table(r));
            return 0;
        }
        List<SttranBenchmark.Widths> which = new ArrayList<>();
        if (widths.trim().equalsIgnoreCase("both")) {
            // quick first: the peak RSS reported for paper is then the paper run's own peak
            which.add(SttranBenchmark.Widths.QUICK);
            which.add(SttranBenchmark.Widths.PAPER);
        } else {
            which.add(SttranBenchmark.Widths.parse(widths));
        }
        Mode m = switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "predcls" -> Mode.PREDCLS;
            case "sgcls" -> Mode.SGCLS;
            default -> throw new KitException("bench: --mode '" + mode + "': expected predcls or sgcls");
        };
        SttranBenchmark.Options o = new SttranBenchmark.Options(pairs, nFrames, m, warmup, repeats, profile);
        List<SttranBenchmark.Result> results = new ArrayList<>();
        for (SttranBenchmark.Widths w : which) {
            if (!json) {
                System.err.println("bench: " + w.label() + " widths...");
            }
            results.add(SttranBenchmark.run(w, o));
        }
        if (json) {
            spec.commandLine().getOut().println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(BenchReport.json(results)));
        } else {
            spec.commandLine().getOut().print(BenchReport.table(results));
        }
        return 0;
    }
}
