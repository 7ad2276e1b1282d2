package org.m3sgg.cli;

import picocli.CommandLine.Command;

/** {@code m3sgg features ...}: feature folders from a detector. */
@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Make the kit's feature and detections folders from frames with STTran's detector.",
        subcommands = {FeaturesExtractCommand.class})
public final class FeaturesCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
        spec.commandLine().getOut().flush();
    }
}
