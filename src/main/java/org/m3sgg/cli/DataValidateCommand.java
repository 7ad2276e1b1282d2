package org.m3sgg.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.m3sgg.data.DatasetValidator;
import org.m3sgg.data.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code m3sgg data validate}: every problem of an annotation folder, one per line, then a summary. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check an Action Genome annotation folder and report every problem (exit code 1 if any).")
public final class DataValidateCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data-path", paramLabel = "DIR", required = true, converter = Converters.ExistingDir.class,
            description = "Action Genome folder (with annotations/).")
    Path dataPath;

    @Override
    public Integer call() {
        DatasetValidator.Report report = DatasetValidator.validate(dataPath);
        for (Problem p : report.problems()) {
            spec.commandLine().getOut().println("problem: " + p.format());
        }
        for (String w : report.warnings()) {
            spec.commandLine().getOut().println("warning: " + w);
        }
        spec.commandLine().getOut().println(report.summary());
        return report.ok() ? 0 : 1;
    }
}
