package org.m3sgg.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.LoadOptions;
import org.m3sgg.data.LoaderCounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m3sgg data stats}: the loader's counters for train/test with the full and the filtersmall object file. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Print what the Action Genome loader keeps and drops for train, train_filtersmall, test and"
                + " test_filtersmall (the counters of STTran's loader).")
public final class DataStatsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-path", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "Action Genome folder (with annotations/).")
    Path dataPath;

    @Option(names = "--json", description = "Print JSON keyed like reference_counts.json.")
    boolean json;

    @Option(names = "--keep-two-frame-videos",
            description = "Keep videos with exactly two usable frames (STTran drops them).")
    boolean keepTwoFrameVideos;

    @Override
    public Integer call() throws Exception {
        Map<String, LoaderCounts> stats = ActionGenome.open(dataPath).stats(new LoadOptions(keepTwoFrameVideos));
        if (json) {
            Map<String, Map<String, Long>> out = new LinkedHashMap<>();
            stats.forEach((k, v) -> out.put(k, v.toMap()));
            spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(out));
        } else {
            spec.commandLine().getOut().print(table(stats));
        }
        return 0;
    }

    /** One row per counter, one column per split. */
    static String table(Map<String, LoaderCounts> stats) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-32s", "counter"));
        for (String split : stats.keySet()) {
            sb.append(String.format("%18s", split));
        }
        sb.append('\n');
        for (String key : LoaderCounts.KEYS) {
            sb.append(String.format("%-32s", key));
            for (LoaderCounts c : stats.values()) {
                sb.append(String.format("%18d", c.toMap().get(key)));
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
