package org.m3sgg.cli;

import java.io.PrintWriter;
import java.util.List;
import org.m3sgg.api.KitException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code m3sgg} command line: one subcommand per job. */
@Command(name = "m3sgg", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "M3SGG-J: video scene graph generation on Action Genome (and the bundled synthetic world).",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:done",
            "1:the job ran and failed (data validate found problems, parity above tolerance, an internal error)",
            "2:wrong input, one 'error:' line: an unknown flag, a wrong value, config key or config file (checked "
                    + "before any work starts), or a bad data file found while working"})
public final class Main implements Runnable {

    /** One line per command. */
    static List<Object> commands() {
        return List.of(
                new DataCommand(),
                new EvalCommand(),
                new ExportCommand(),
                new ImportCommand(),
                new EvaluatePredictionsCommand(),
                new OedPredictCommand(),
                new FeaturesCommand(),
                new InferCommand(),
                new BenchCommand(),
                new ParityCommand(),
                new PruneCommand(),
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
        CommandLine cl = commandLine();
        int code = cl.execute(args);
        cl.getOut().flush(); // commands print through the command line's writer, which buffers printf
        cl.getErr().flush();
        System.exit(code);
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
        List<CommandLine> chain = parsed.asCommandLineList();
        boolean help = chain.stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested());
        for (CommandLine c : help ? List.<CommandLine>of() : chain) {
            if (c.getCommand() instanceof Preflight p) {
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
                List<String> near = u.getSuggestions().isEmpty() ? nearOptions(cl, u.getUnmatched())
                        : u.getSuggestions();
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

    /** Option names of the command within two edits of an unknown {@code --flag} (typos like --mdoe). */
    static List<String> nearOptions(CommandLine cl, List<String> unmatched) {
        java.util.Map<String, Integer> near = new java.util.LinkedHashMap<>();
        for (String arg : unmatched) {
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!flag.startsWith("--")) {
                continue;
            }
            for (String name : cl.getCommandSpec().optionsMap().keySet()) {
                int d = editDistance(flag, name);
                if (name.startsWith("--") && d <= 2) {
                    near.merge(name, d, Math::min);
                }
            }
        }
        return near.entrySet().stream().sorted(java.util.Map.Entry.comparingByValue())
                .map(java.util.Map.Entry::getKey).toList();
    }

    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                } else {
                    int sub = d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                    d[i][j] = Math.min(sub, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                    if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                    }
                }
            }
        }
        return d[a.length()][b.length()];
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
