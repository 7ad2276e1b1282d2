package org.m3sgg.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitHome;

/**
 * The kit's Jupyter kernel (environment/kernel), driven through jupyter_client as Jupyter drives it, by
 * environment/kernel/kernel_check.py: 100 starts that must all answer, and interrupts (a training cell, a sleep, a
 * busy loop) after which the same session keeps its state and answers. Needs the kernel spec that
 * {@code environment/setup.sh} stages in environment/.kernel/spec and Debian's python3-jupyter-client: in CI
 * ({@code .ci/run} runs setup.sh first) their absence fails the test, elsewhere it is skipped with the reason.
 */
@Tag("slow")
class KernelReliabilityTest {

    private static final Path SPEC = KitHome.home().resolve("environment/.kernel/spec");
    private static final Path CHECK = KitHome.home().resolve("environment/kernel/kernel_check.py");

    @Test
    void aHundredStartsAllAnswer() throws Exception {
        String json = check(List.of("starts", SPEC.toString(), "100"), 3600);
        System.out.println("kernel starts: " + json);
        assertTrue(json.contains("\"starts\": 100, \"answered\": 100,"), json);
    }

    @Test
    void anInterruptedTrainingCellReturnsAndTheSessionKeepsWorking() throws Exception {
        String json = check(List.of("interrupt", SPEC.toString()), 1200);
        System.out.println("kernel interrupts: " + json);
        assertTrue(json.startsWith("{\"ok\": true"), json);
        assertTrue(json.contains("\"training: result\": \"returned: interrupted true"), json);
    }

    /** Runs kernel_check.py; returns its last line (JSON); fails on a non-zero exit with everything it printed. */
    private static String check(List<String> args, int timeoutSeconds) throws IOException, InterruptedException {
        requireKernel();
        Path out = Files.createTempFile("kernel-check", ".log");
        try {
            var cmd = new java.util.ArrayList<>(List.of(python(), CHECK.toString()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("kernel_check.py " + args.get(0) + " did not finish in " + timeoutSeconds
                        + " s:\n" + Files.readString(out, StandardCharsets.UTF_8));
            }
            String text = Files.readString(out, StandardCharsets.UTF_8).strip();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            assertEquals(0, p.exitValue(), text);
            return last;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Debian's interpreter, which has python3-jupyter-client (a pyenv or conda python3 first on PATH has not). */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static void requireKernel() throws IOException, InterruptedException {
        String problem = null;
        if (!Files.isRegularFile(SPEC.resolve("kernel.json"))) {
            problem = "no kernel spec in " + SPEC + " (run bash environment/setup.sh)";
        } else {
            Process p = new ProcessBuilder(python(), "-c", "import jupyter_client").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                problem = python() + " cannot import jupyter_client (apt-get install python3-jupyter-client)";
            }
        }
        if (problem == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(problem + " (CI must run environment/setup.sh first: see .ci/run)");
        }
        Assumptions.abort(problem);
    }
}
