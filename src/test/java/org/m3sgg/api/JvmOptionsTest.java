package org.m3sgg.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.bench.BenchJvm;
import org.m3sgg.testing.Fixtures;

/** environment/jvm.options is the one place of the kit's JVM flags and environment, and every JVM starts with it. */
class JvmOptionsTest {

    private static final JvmOptions KIT = JvmOptions.read(Fixtures.repoRoot().resolve(JvmOptions.FILE));

    @Test
    void theKitsFileHasFlagsAndEnvironment() {
        assertTrue(KIT.flags().contains("-Djava.awt.headless=true"), KIT.flags().toString());
        assertTrue(KIT.flags().stream().anyMatch(f -> f.startsWith("-Xmx")), KIT.flags().toString());
        assertEquals("PASSIVE", KIT.env().get("OMP_WAIT_POLICY"));
        assertFalse(KIT.env().isEmpty());
    }

    /** Surefire's argLine reads the file and its environmentVariables must repeat the '#env' lines (pom.xml). */
    @Test
    void thisTestJvmWasStartedWithThem() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : KIT.flags()) {
            assertTrue(args.contains(flag), "the test JVM lacks " + flag + " of " + JvmOptions.FILE + ": " + args);
        }
        for (Map.Entry<String, String> e : KIT.env().entrySet()) {
            assertEquals(e.getValue(), System.getenv(e.getKey()), "environment variable " + e.getKey() + " of "
                    + JvmOptions.FILE + " (pom.xml surefire environmentVariables must agree)");
        }
    }

    @Test
    void theBenchChildStartsFromTheKitsFlagsWithItsOwnHeapLast() {
        List<String> flags = BenchJvm.flags();
        assertEquals(KIT.flags(), flags.subList(0, KIT.flags().size()));
        assertEquals(BenchJvm.HEAP, flags.get(flags.size() - 1));
        assertTrue(BenchJvm.env().keySet().containsAll(KIT.env().keySet()));
    }

    @Test
    void parsesCommentsAndEnvironmentLines(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("jvm.options");
        Files.writeString(f, "# a comment\n-Xmx1g   # trailing comment\n\n#env A_B=1 2\n-Dx=y\n");
        JvmOptions o = JvmOptions.read(f);
        assertEquals(List.of("-Xmx1g", "-Dx=y"), o.flags());
        assertEquals(Map.of("A_B", "1 2"), o.env());
    }

    @Test
    void malformedLinesNameTheFileAndLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("jvm.options");
        Files.writeString(f, "-Xmx1g\n#env 1BAD\n");
        KitException e = assertThrows(KitException.class, () -> JvmOptions.read(f));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(f, "-Xmx1g -Xss4m\n");
        e = assertThrows(KitException.class, () -> JvmOptions.read(f));
        assertTrue(e.getMessage().contains("line 1"), e.getMessage());
        assertThrows(KitException.class, () -> JvmOptions.read(dir.resolve("missing")));
    }
}
