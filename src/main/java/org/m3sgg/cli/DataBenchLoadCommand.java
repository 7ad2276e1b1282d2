package org.m3sgg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.m3sgg.data.LoadBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m3sgg data bench-load}: the loader's speed against Python's pickle.load, and its retained heap. */
@Command(name = "bench-load", mixinStandardHelpOptions = true,
        description = "Generate (once, cached) an annotation folder of the real dataset's size and time loading"
                + " train+test against Python's pickle.load; report the retained heap.")
public final class DataBenchLoadCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--videos", defaultValue = "9600", converter = Converters.PositiveInt.class,
            description = "Videos to generate (default ${DEFAULT-VALUE},"
            + " about 30 frames each).")
    int videos;

    @Option(names = "--cache", paramLabel = "DIR", converter = Converters.OutDir.class,
            description = "Folder for the generated data (default ~/.cache/m3sgg/bench-load).")
    Path cache;

    @Option(names = "--repeats", defaultValue = "3", converter = Converters.PositiveInt.class,
            description = "Timed runs after one warm-up (best is reported).")
    int repeats;

    @Option(names = "--python", defaultValue = "python3", converter = Converters.NonBlank.class,
            description = "Python with numpy for the comparison.")
    String python;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the generated folder.")
    long seed;

    @Override
    public Integer call() {
        Path dir = LoadBenchmark.ensureFolder(cache == null ? LoadBenchmark.defaultCache() : cache, videos, seed);
        spec.commandLine().getOut().println("data: " + dir);
        spec.commandLine().getOut().print(LoadBenchmark.format(LoadBenchmark.run(dir, repeats, python)));
        return 0;
    }
}
