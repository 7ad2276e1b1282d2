package org.m3sgg.cli;

import picocli.CommandLine.Command;

/** {@code m3sgg data ...}: dataset jobs. Subcommands are added as they land. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect, validate and generate datasets.",
        subcommands = {DataStatsCommand.class, DataValidateCommand.class, DataGenerateCommand.class,
                DataBenchLoadCommand.class})
public final class DataCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
    }
}
