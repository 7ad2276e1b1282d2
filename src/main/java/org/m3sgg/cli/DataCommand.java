package org.m3sgg.cli;

import picocli.CommandLine.Command;

/** {@code m3sgg data ...}: dataset jobs. Subcommands are added as they land. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Inspect, validate and generate datasets.",
        subcommands = {DataStatsCommand.class, DataValidateCommand.class, DataGenerateCommand.class,
                DataBenchLoadCommand.class})
public final class DataCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }
}
