package org.m3sgg.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code m3sgg} command line: one subcommand per job. */
@Command(name = "m3sgg", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "M3SGG-J: video scene graph generation on Action Genome (and the bundled synthetic world).")
public final class Main implements Runnable {

    /** One line per command. */
    static List<Object> commands() {
        return List.of(
                new DataCommand(),
                new EvalCommand(),
                new ExportCommand(),
                new EvaluatePredictionsCommand(),
                new BenchCommand(),
                new ParityCommand(),
                new QuickstartCommand(),
                new TrainCommand());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (Object c : commands()) {
            cl.addSubcommand(c);
        }
        cl.setExecutionExceptionHandler(new ErrorHandler());
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Prints user errors as one clear line; anything unexpected keeps its stack trace. */
    static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            if (ex instanceof org.m3sgg.api.KitException) {
                cl.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            ex.printStackTrace(cl.getErr());
            return 1;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"m3sgg-j " + (v == null ? "dev" : v)};
        }
    }
}
