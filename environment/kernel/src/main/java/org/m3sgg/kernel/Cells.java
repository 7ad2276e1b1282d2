package org.m3sgg.kernel;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * One JShell session: splits a cell into snippets, evaluates them in order on {@link CellExecution}, and returns the
 * last expression's value as an object. Compile errors, exceptions and interrupts come back as {@link CellError}s.
 */
final class Cells implements AutoCloseable {

    /** What the last snippet of a cell produced. */
    record Value(Object value, boolean present) {
        static final Value NONE = new Value(null, false);
    }

    private final CellExecution execution;
    private final CellLoaders loaders;
    private final List<String> classpath;
    private final List<String> compilerOptions;
    private final List<String> startup;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private JShell shell;          // built by warmUp(), which every use goes through
    private CellError startupError;

    Cells(List<String> classpath, List<String> compilerOptions, List<String> startup, InputStream in, PrintStream out,
            PrintStream err) {
        this(classpath, compilerOptions, startup, in, out, err, CellExecution.STOP_AFTER_MILLIS);
    }

    Cells(List<String> classpath, List<String> compilerOptions, List<String> startup, InputStream in, PrintStream out,
            PrintStream err, long stopAfterMillis) {
        this.loaders = new CellLoaders(Cells.class.getClassLoader());
        this.execution = new CellExecution(loaders, stopAfterMillis);
        this.classpath = List.copyOf(classpath);
        this.compilerOptions = List.copyOf(compilerOptions);
        this.startup = List.copyOf(startup);
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /**
     * Builds the JShell and runs the start-up scripts, once. The kernel calls it on a background thread as soon as
     * its sockets are bound (so a start answers at once and the first cell finds the compiler warm); every other use
     * of the shell waits for it.
     */
    synchronized JShell warmUp() {
        if (shell != null) {
            return shell;
        }
        JShell js = JShell.builder()
                .executionEngine(new CellExecution.Provider(execution), Map.of())
                .compilerOptions(compilerOptions.toArray(String[]::new))
                .in(in)
                .out(out)
                .err(err)
                .build();
        // the kernel's own jar and the base kernel (DisplayData) for the compiler; their classes load from the kernel
        js.addToClasspath(jarOf(Cells.class));
        js.addToClasspath(jarOf(io.github.spencerpark.jupyter.kernel.display.DisplayData.class));
        for (String entry : classpath) {
            js.addToClasspath(entry);
        }
        shell = js;
        try {
            for (String s : startup) {
                evalAll(s);
            }
        } catch (CellError e) {
            startupError = e;
        }
        return shell;
    }

    private static String jarOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    JShell shell() {
        return warmUp();
    }

    ClassLoader loader() {
        return loaders.loader();
    }

    void addToClasspath(String path) {
        warmUp().addToClasspath(path);
    }

    void interrupt() {
        execution.interrupt();
    }

    /** Evaluates every snippet of {@code code} in order; stops at the first failing one. */
    Value eval(String code) throws CellError {
        warmUp();
        if (startupError != null) {
            List<String> lines = new ArrayList<>(List.of("the kernel's start-up script failed:"));
            lines.addAll(startupError.lines());
            throw new CellError(lines);
        }
        return evalAll(code);
    }

    /** Starts a new cell: the previous cell's interrupt is forgotten. */
    void beforeCell() {
        execution.beforeCell();
    }

    /** Ends a cell: a later interrupt has nothing to stop. */
    void afterCell() {
        execution.afterCell();
    }

    private Value evalAll(String code) throws CellError {
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis(); // warmUp() built the shell
        Value last = Value.NONE;
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            last = evalOne(info.source());
            info = analysis.analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new CellError(List.of("Incomplete input:", info.remaining().trim()));
        }
        return last;
    }

    private Value evalOne(String source) throws CellError {
        List<SnippetEvent> events = shell.eval(source);
        Value value = Value.NONE;
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            Snippet.SubKind kind = e.snippet().subKind();
            Object v = kind.isExecutable() ? execution.takeResult(e.value()) : null;
            switch (kind) {
                case VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND, TEMP_VAR_EXPRESSION_SUBKIND ->
                        value = new Value(v, true);
                default -> value = Value.NONE;
            }
        }
        for (SnippetEvent e : events) {
            if (e.causeSnippet() != null) {
                continue;
            }
            JShellException ex = e.exception();
            if (ex instanceof EvalException ee) {
                throw ee.getExceptionClassName().equals(CellExecution.INTERRUPTED)
                        ? new CellError(List.of("Interrupted: the cell stopped; the session and its definitions "
                                + "are kept."), true)
                        : new CellError(formatException(ee), false);
            }
            if (ex instanceof UnresolvedReferenceException ure) {
                throw new CellError(unresolved(ure.getSnippet()));
            }
            if (ex != null) {
                throw new CellError(List.of(ex.toString()));
            }
            if (!e.status().isDefined()) {
                throw new CellError(diagnostics(e.snippet()));
            }
        }
        return value;
    }

    private List<String> diagnostics(Snippet snippet) {
        List<String> lines = new ArrayList<>();
        String src = snippet.source();
        for (Diag d : shell.diagnostics(snippet).collect(Collectors.toList())) {
            if (d.getStartPosition() >= 0 && d.getStartPosition() <= src.length()) {
                int start = src.lastIndexOf('\n', (int) Math.max(0, d.getStartPosition() - 1)) + 1;
                int end = src.indexOf('\n', (int) d.getStartPosition());
                String line = src.substring(start, end < 0 ? src.length() : end);
                lines.add(line);
                int col = (int) d.getStartPosition() - start;
                int width = (int) Math.max(1, Math.min(d.getEndPosition(), start + line.length())
                        - d.getStartPosition());
                lines.add(" ".repeat(Math.max(0, col)) + "^".repeat(width));
            } else {
                lines.addAll(src.lines().toList());
            }
            for (String m : d.getMessage(null).split("\n")) {
                if (!m.trim().startsWith("location:")) {
                    lines.add((d.isError() ? "error: " : "warning: ") + m);
                }
            }
        }
        if (snippet instanceof DeclarationSnippet decl) {
            lines.addAll(unresolved(decl));
        }
        return lines.isEmpty() ? List.of("the snippet was rejected: " + src.trim()) : lines;
    }

    private List<String> unresolved(DeclarationSnippet s) {
        List<String> deps = shell.unresolvedDependencies(s).collect(Collectors.toList());
        List<String> lines = new ArrayList<>();
        if (!deps.isEmpty()) {
            lines.add(s.source().trim());
            lines.add("unresolved: " + String.join(", ", deps));
        }
        return lines;
    }

    /** The exception's class and message, then its frames down to the snippet's (kernel frames left out). */
    static List<String> formatException(EvalException e) {
        List<String> lines = new ArrayList<>();
        String msg = e.getMessage();
        lines.add(e.getExceptionClassName() + (msg == null || msg.equals("null") ? "" : ": " + msg));
        for (StackTraceElement f : e.getStackTrace()) {
            if (f.getClassName().startsWith("jdk.internal.reflect.")
                    || f.getClassName().equals("java.lang.reflect.Method")) {
                break;
            }
            // JShell names a snippet's frames by its number: "#17", line 1
            lines.add(f.getClassName().isEmpty() && f.getFileName() != null && f.getFileName().startsWith("#")
                    ? "\tat snippet " + f.getFileName() + ", line " + f.getLineNumber() : "\tat " + f);
        }
        Throwable cause = e.getCause();
        while (cause != null) {
            String cn = cause instanceof EvalException c ? c.getExceptionClassName() : cause.getClass().getName();
            lines.add("Caused by: " + cn + ": " + cause.getMessage());
            cause = cause.getCause();
        }
        return lines;
    }

    /** JShell's completeness verdict as the base kernel wants it: complete, invalid, or the next line's indent. */
    String isComplete(String code) {
        SourceCodeAnalysis analysis = shell().sourceCodeAnalysis();
        SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            info = analysis.analyzeCompletion(info.remaining());
        }
        return switch (info.completeness()) {
            case EMPTY, COMPLETE, COMPLETE_WITH_SEMI -> "complete";
            case CONSIDERED_INCOMPLETE, DEFINITELY_INCOMPLETE -> ""; // incomplete, no extra indent
            case UNKNOWN -> "invalid";
        };
    }

    @Override
    public synchronized void close() {
        if (shell != null) {
            shell.close();
        }
    }
}
