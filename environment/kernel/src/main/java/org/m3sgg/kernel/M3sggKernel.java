package org.m3sgg.kernel;

import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.awt.image.RenderedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import jdk.jshell.SourceCodeAnalysis;

/**
 * The kit's Jupyter kernel: JShell cells on jupyter-jvm-basekernel 2.3.0 (IJava's foundation), with IJava 1.3's
 * cell environment (its default imports, {@code display}/{@code updateDisplay}/{@code render}, the line magics of
 * {@link LineMagics}, the {@code IJAVA_CLASSPATH}, {@code IJAVA_COMPILER_OPTS} and {@code IJAVA_STARTUP_SCRIPT}
 * variables) and an interrupt that stops the running cell and keeps the session ({@link CellExecution}).
 *
 * <p>Start: {@code java -cp <kernel jar and lib/*> org.m3sgg.kernel.M3sggKernel CONNECTION_FILE}. The sockets are
 * bound and the handlers installed before the first message can arrive; JShell and its start-up imports are
 * compiled on a background thread at once, so the first cell does not pay for them (it waits if it comes earlier).
 */
public final class M3sggKernel extends BaseKernel {

    private static volatile M3sggKernel instance;

    /** The kernel running in this JVM (null outside one); what {@code display(...)} in a cell talks to. */
    public static M3sggKernel getKernelInstance() {
        return instance;
    }

    private static final MIMEType TEXT_PLAIN = MIMEType.parse("text/plain");

    private final Cells cells;
    private final LineMagics magics;
    private final LanguageInfo languageInfo;

    M3sggKernel(List<String> classpath, List<String> compilerOptions, List<String> startup) {
        setShouldReplaceStdStreams(true);
        this.cells = new Cells(classpath, compilerOptions, startup, getIO().in, getIO().out, getIO().err);
        this.magics = new LineMagics(cells::addToClasspath, new MavenDependencies(
                MavenDependencies.defaultLocalRepository()));
        this.languageInfo = new LanguageInfo.Builder("Java")
                .version(Runtime.version().toString())
                .mimetype("text/x-java-source")
                .fileExtension(".jshell")
                .pygments("java")
                .codemirror("java")
                .build();
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return languageInfo;
    }

    @Override
    public String getBanner() {
        return "Java " + Runtime.version() + " :: M3SGG-J kernel (IJava-compatible, jupyter-jvm-basekernel 2.3.0)";
    }

    @Override
    public DisplayData eval(String code) throws Exception {
        cells.beforeCell();
        Cells.Value last = Cells.Value.NONE;
        try {
            for (LineMagics.Piece p : LineMagics.split(code)) {
                if (p.isMagic()) {
                    try {
                        magics.run(p.magic(), p.args());
                    } catch (LineMagics.MagicError | IllegalArgumentException e) {
                        throw new CellError(List.of(e.getMessage()));
                    }
                    last = Cells.Value.NONE;
                } else {
                    last = cells.eval(p.code());
                }
            }
        } finally {
            cells.afterCell();
        }
        if (!last.present() || last.value() == null) {
            return null;
        }
        return last.value() instanceof DisplayData d ? d : renderValue(last.value());
    }

    /**
     * The renderer's bundle for {@code value}; an image's {@code text/plain} says "image W x H" instead of the
     * image's {@code toString()} (its identity hash and raster details, different at every run).
     */
    public DisplayData renderValue(Object value, String... as) {
        DisplayData d = as.length == 0 ? getRenderer().render(value) : getRenderer().renderAs(value, as);
        if (value instanceof RenderedImage img && d.getData(TEXT_PLAIN) != null) {
            d.putData("text/plain", "image " + img.getWidth() + " x " + img.getHeight());
        }
        return d;
    }

    @Override
    public List<String> formatError(Exception e) {
        if (e instanceof CellError c) {
            return c.lines();
        }
        return super.formatError(e);
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> s = cells.shell().sourceCodeAnalysis()
                .completionSuggestions(code, at, anchor);
        if (s == null || s.isEmpty()) {
            return null;
        }
        List<String> options = s.stream()
                .sorted((a, b) -> Boolean.compare(b.matchesType(), a.matchesType()))
                .map(SourceCodeAnalysis.Suggestion::continuation)
                .distinct()
                .collect(Collectors.toList());
        return new ReplacementOptions(options, anchor[0], at);
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        int paren = end;
        while (paren < code.length() && Character.isWhitespace(code.charAt(paren))) {
            paren++;
        }
        if (paren < code.length() && code.charAt(paren) == '(') {
            end = paren + 1;
        }
        List<SourceCodeAnalysis.Documentation> docs = cells.shell().sourceCodeAnalysis()
                .documentation(code, end, true);
        if (docs == null || docs.isEmpty()) {
            return null;
        }
        String text = docs.stream()
                .map(d -> d.signature() + (d.javadoc() == null ? "" : "\n" + d.javadoc()))
                .collect(Collectors.joining("\n\n"));
        return new DisplayData(text);
    }

    @Override
    public String isComplete(String code) {
        return cells.isComplete(code);
    }

    @Override
    public void interrupt() {
        cells.interrupt();
    }

    @Override
    public void onShutdown(boolean isRestarting) {
        cells.interrupt();
    }

    /** Compiles the start-up imports now (off the message threads). */
    void warmUp() {
        cells.warmUp();
    }

    static List<String> startupScripts() {
        List<String> scripts = new ArrayList<>();
        try (InputStream in = M3sggKernel.class.getResourceAsStream("/m3sgg-kernel-init.jshell")) {
            scripts.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the kernel jar lacks m3sgg-kernel-init.jshell", e);
        }
        String extra = System.getenv("IJAVA_STARTUP_SCRIPT");
        if (extra != null && !extra.isBlank()) {
            scripts.add(extra);
        }
        return scripts;
    }

    static List<String> splitClasspath(String cp) {
        if (cp == null || cp.isBlank()) {
            return List.of();
        }
        return Arrays.stream(cp.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).toList();
    }

    static List<String> splitOptions(String opts) {
        if (opts == null || opts.isBlank()) {
            return List.of();
        }
        return Arrays.stream(opts.trim().split("\\s+")).toList();
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java org.m3sgg.kernel.M3sggKernel CONNECTION_FILE");
            System.exit(2);
        }
        Path connectionFile = Path.of(args[0]);
        String json;
        try {
            json = Files.readString(connectionFile);
        } catch (IOException e) {
            System.err.println("m3sgg kernel: cannot read the connection file " + connectionFile + ": " + e);
            System.exit(2);
            return;
        }
        JupyterSocket.JUPYTER_LOGGER.setLevel(Level.WARNING);
        Logger.getLogger("").setLevel(Level.WARNING);
        M3sggKernel kernel = new M3sggKernel(splitClasspath(System.getenv("IJAVA_CLASSPATH")),
                splitOptions(System.getenv("IJAVA_COMPILER_OPTS")), startupScripts());
        instance = kernel;
        JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(json));
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        Thread warm = new Thread(kernel::warmUp, "m3sgg-kernel-warm-up");
        warm.setDaemon(true);
        warm.start();
        connection.waitUntilClose();
        instance = null;
        System.exit(0);
    }
}
