package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import org.m3sgg.data.Mode;
import org.m3sgg.deploy.DeployTesting;

/** {@code export onnx}: files, manifest, --verify, --int8, bad input, and ONNX Runtime under a long class path. */
class ExportOnnxCommandTest {

    @TempDir
    static Path tmp;

    static Path ckpt;

    @BeforeAll
    static void checkpoint() {
        ckpt = DeployTesting.checkpoint(tmp, "sgcls-init", Mode.SGCLS);
    }

    @Test
    void writesEveryStageAndTheManifestAndVerifies() throws Exception {
        Path out = tmp.resolve("out/sttran.onnx");
        CliRun r = CliRun.run("export", "onnx", "--checkpoint", ckpt.toString(), "--out", out.toString(),
                "--verify");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("verify: passed"), r.out());
        assertTrue(Files.size(out) > 0);
        assertTrue(Files.isRegularFile(tmp.resolve("out/sttran.objects.onnx")));
        String manifest = Files.readString(tmp.resolve("out/sttran.json"));
        assertTrue(manifest.contains("\"opset\" : 17") && manifest.contains("union_feat: float [?, 4, 7, 7]"),
                manifest);
        assertEquals("", r.err());
    }

    @Test
    void int8ExportIsSmallerAndVerifiesAgainstTheQuantizedKitModel() throws Exception {
        Path out = tmp.resolve("int8/sttran.onnx");
        CliRun r = CliRun.run("export", "onnx", "--checkpoint", ckpt.toString(), "--out", out.toString(),
                "--int8", "--verify");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("int8 linear weights"), r.out());
        assertTrue(r.out().contains("verify: passed"), r.out());
        Path f32 = tmp.resolve("f32/sttran.onnx");
        assertEquals(0, CliRun.run("export", "onnx", "--checkpoint", ckpt.toString(), "--out", f32.toString())
                .code());
        assertTrue(Files.size(out) < 0.8 * Files.size(f32), Files.size(out) + " vs " + Files.size(f32));
    }

    @Test
    void outMustEndInOnnx() {
        CliRun r = CliRun.run("export", "onnx", "--checkpoint", ckpt.toString(), "--out",
                tmp.resolve("x.bin").toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--out") && r.err().contains(".onnx"), r.err());
    }

    @Test
    void aFolderThatIsNoCheckpointIsOneLine() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun r = CliRun.run("export", "onnx", "--checkpoint", empty.toString(), "--out",
                tmp.resolve("y.onnx").toString());
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().startsWith("error: --checkpoint"), r.err());
        assertFalse(r.all().contains("Exception"), r.all());
    }

    @Test
    void exportWithoutSubcommandStillNeedsOut() {
        CliRun r = CliRun.run("export", "--model", "sttran");
        assertEquals(2, r.code(), r.all());
        assertTrue(r.err().contains("--out"), r.err());
    }

    /**
     * ONNX Runtime 1.29 crashes in OrtEnvironment on Java 17 when the -cp argument is longer than about 4 KB;
     * bin/m3sgg passes the whole Maven class path that way. A child JVM started like the launcher (target/classes
     * plus target/classpath.txt on -cp) exports and verifies.
     */
    @Test
    void onnxRuntimeStartsUnderTheLaunchersLongClassPath() throws Exception {
        Path home = KitHome.home();
        String cp = home.resolve("target/classes") + File.pathSeparator
                + Files.readString(home.resolve("target/classpath.txt")).trim();
        assertTrue(cp.length() > 4096, "class path only " + cp.length() + " characters");
        Path out = tmp.resolve("child/sttran.onnx");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", cp, Main.class.getName(),
                "export", "onnx", "--checkpoint", ckpt.toString(), "--out", out.toString(), "--verify"));
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor();
        String text = Files.readString(log);
        assertEquals(0, code, text);
        assertTrue(text.contains("verify: passed"), text);
    }
}
