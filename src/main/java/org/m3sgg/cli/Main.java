package org.m3sgg.cli;

import java.io.PrintWriter;
import java.util.List;
import org.m3sgg.api.KitException;
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
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        cl.setExecutionStrategy(Main::preflightThenRun);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Exit code of a usage error: a wrong flag or value, a bad config key or file. */
    public static final int USAGE = 2;

    /**
     * Runs every parsed command's {@link Preflight} check (options that only make sense together: a config with its
     * overrides, a path relative to another option), then the command. A failed check is a usage error, reported by
     * {@link UsageErrorHandler} before the command starts any work.
     */
    static int preflightThenRun(CommandLine.ParseResult parsed) {
        for (CommandLine c : parsed.asCommandLineList()) {
            if (c.getCommand() instanceof Preflight p && !c.isUsageHelpRequested() && !c.isVersionHelpRequested()) {
                try {
                    p.preflight();
                } catch (KitException e) {
                    throw new CommandLine.ParameterException(c, e.getMessage(), e);
                }
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** A wrong flag or value: one {@code error:} line naming it, one hint line, exit code 2, no stack trace. */
    static final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            String msg = oneLine(ex.getMessage());
            if (ex instanceof CommandLine.UnmatchedArgumentException u) {
                List<String> near = u.getSuggestions();
                if (!near.isEmpty()) {
                    msg += " (did you mean " + Converters.orList(near.subList(0, Math.min(3, near.size()))) + "?)";
                }
            }
            err.println("error: " + msg);
            err.println("(see " + cl.getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return USAGE;
        }
    }

    /**
     * A {@link KitException} (bad input found while working: a file, a key, a frame) is one {@code error:} line and
     * exit code 2, also when wrapped in another exception; anything unexpected keeps its stack trace (a bug).
     */
    static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
            for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
                if (t instanceof KitException) {
                    cl.getErr().println("error: " + oneLine(t.getMessage()));
                    cl.getErr().flush();
                    return USAGE;
                }
            }
            ex.printStackTrace(cl.getErr());
            cl.getErr().flush();
            return 1;
        }
    }

    /** A message on one line (picocli and some causes put line breaks in theirs). */
    static String oneLine(String msg) {
        return msg == null ? "(no message)" : msg.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"m3sgg-j " + (v == null ? "dev" : v)};
        }
    }
}
