package org.m3sgg.testing;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Cross-checks that run the reference code in python3. In CI ({@code CI=true}, where {@code .ci/run} installs
 * python3-numpy and python3-torch with apt) a missing interpreter or module fails the test; elsewhere the test is
 * skipped with a one-line reason.
 */
public final class Python {

    private Python() {}

    /** Fails (CI) or skips (elsewhere) the calling test unless {@code python3} can import every module given. */
    public static void require(String... modules) {
        String imports = modules.length == 0 ? "pass" : "import " + String.join(", ", modules);
        String problem = check(imports);
        if (problem == null) {
            return;
        }
        String reason = "python3 with " + String.join(", ", modules) + " is needed: " + problem;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(reason + " (CI must install it: see .ci/run)");
        }
        Assumptions.abort(reason);
    }

    /** Null when {@code python3 -c code} exits 0, else what went wrong. */
    private static String check(String code) {
        try {
            Process p = new ProcessBuilder("python3", "-c", code).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "python3 -c '" + code + "' did not finish in 120 s";
            }
            if (p.exitValue() != 0) {
                String text = new String(out).strip();
                int nl = text.lastIndexOf('\n');
                return nl >= 0 ? text.substring(nl + 1) : text;
            }
            return null;
        } catch (IOException e) {
            return "python3 not found (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
