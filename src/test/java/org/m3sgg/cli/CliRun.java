package org.m3sgg.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of the CLI, as the tests see it: exit code, standard output, standard error. */
record CliRun(int code, String out, String err) {

    /** Both streams, for assertions that do not care which one a line went to. */
    String all() {
        return out + err;
    }

    static CliRun run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun run(List<String> args) {
        return run(args.toArray(String[]::new));
    }
}
