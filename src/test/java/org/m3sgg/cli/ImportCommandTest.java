package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.m3sgg.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.Mode;
import org.m3sgg.models.SggModel;
import org.m3sgg.models.dsgdetr.DsgDetrModel;
import org.m3sgg.models.dsgdetr.DsgDetrParity;
import org.m3sgg.models.sttran.SttranModel;
import org.m3sgg.models.sttran.SttranParity;
import org.m3sgg.models.tempura.TempuraCheckpoint;
import org.m3sgg.models.tempura.TempuraModel;
import org.m3sgg.models.tempura.TempuraParity;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.testing.Fixtures;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.CheckpointImport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code m3sgg import} on the committed reference fixtures (small widths from each {@code dims.json}, given as
 * {@code --set} overrides on the paper config): the written folder opens with {@link Checkpoint#open}, holds the
 * parameters the parity-verified importers load (STTran: its forward pass matches the PyTorch outputs), and a wrong
 * kind, wrong widths or an existing {@code --out} is one error line, non-zero exit, nothing written.
 */
class ImportCommandTest {

    static final Path STTRAN = Fixtures.dir("sttran-reference");
    static final Path TEMPURA = Fixtures.dir("tempura-reference");
    static final Path DSGDETR = Fixtures.dir("dsgdetr-reference");

    /** sttran-reference/dims.json (and tempura-reference's, which has the same relation widths). */
    static final List<String> STTRAN_SMALL = List.of("model.feature=64", "model.union_in=32", "model.union_out=16",
            "model.pair_fc=32", "model.embedding=16", "model.d_model=128", "model.heads=8", "model.ffn=64",
            "model.enc_layers=1", "model.dec_layers=3", "model.classifier_hidden=32", "model.pos_embed=128");

    /** tempura-reference/dims.json: STTran's widths, K=6, joint late manual memory, lambda 0.5 (the defaults). */
    static final List<String> TEMPURA_SMALL = STTRAN_SMALL;

    /** dsgdetr-reference/dims.json. */
    static final List<String> DSGDETR_SMALL = List.of("model.feature=64", "model.union_in=32", "model.union_out=16",
            "model.pair_fc=32", "model.embedding=16", "model.pos_embed=16", "model.d_model=128", "model.heads=8",
            "model.ffn=64", "model.local_layers=1", "model.global_layers=3", "model.object_layers=3",
            "model.object_heads=8", "model.object_ffn=32", "model.classifier_hidden=32");

    @TempDir
    Path tmp;



    private static List<String> importArgs(String kind, Path ckpt, List<String> sets, Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("import", "--kind", kind, "--checkpoint", ckpt.toString()));
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(extra));
        a.add("--out");
        a.add(out.toString());
        return a;
    }

    private static Checkpoint.Loaded importOk(List<String> args, Path out) {
        CliRun r = run(args);
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().startsWith("imported "), r.out());
        Checkpoint.Loaded c = Checkpoint.open(out, null, null);
        assertEquals(CheckpointImport.KIND, c.meta().kind());
        assertTrue(c.meta().datasetFingerprint().startsWith("imported:"), c.meta().datasetFingerprint());
        assertFalse(Files.exists(out.resolve(Checkpoint.OPTIMIZER)));
        return c;
    }

    /** One error line naming every string in {@code names}, non-zero exit, {@code out} not created. */
    private static void assertFails(CliRun r, Path out, String... names) {
        assertTrue(r.code() != 0, r.out() + r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), r.err());
        for (String n : names) {
            assertTrue(errors.get(0).contains(n), "error should name '" + n + "': " + r.err());
        }
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(Files.exists(out), "nothing at --out");
        try (var s = Files.list(out.getParent())) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("." + out.getFileName() + ".tmp")),
                    "no temporary folder left");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertSameState(SggModel expected, SggModel actual) {
        Map<String, INDArray> e = expected.state();
        Map<String, INDArray> a = actual.state();
        assertEquals(e.keySet(), a.keySet());
        for (Map.Entry<String, INDArray> x : e.entrySet()) {
            INDArray y = a.get(x.getKey());
            assertTrue(Arrays.equals(x.getValue().shape(), y.shape()), x.getKey());
            double d = x.getValue().length() == 0 ? 0 : Transforms.abs(x.getValue().castTo(DataType.DOUBLE)
                    .sub(y.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
            assertTrue(d == 0, x.getKey() + " differs by " + d);
        }
    }

    private static double maxAbsDiff(INDArray a, INDArray b) {
        assertTrue(Arrays.equals(a.shape(), b.shape()), Arrays.toString(a.shape()) + " vs " + Arrays.toString(b.shape()));
        return Transforms.abs(a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE))).maxNumber().doubleValue();
    }

    @Test
    void sttranBothSerialisationsMatchThePytorchOutputs() {
        for (String file : List.of("sttran_predcls.zip.tar", "sttran_predcls.legacy.tar")) {
            Path out = tmp.resolve(file + "-imported");
            Checkpoint.Loaded c = importOk(importArgs("sttran", STTRAN.resolve(file), STTRAN_SMALL, out), out);
            assertEquals("sttran", c.meta().model());
            assertEquals("predcls", c.meta().mode());
            assertEquals("sttran", c.config().getText("model.name", null));
            assertEquals("predcls", c.config().getText("run.mode", null));
            Map<String, INDArray> o = c.model().forward(SttranParity.readInputs(STTRAN));
            assertTrue(maxAbsDiff(o.get(SttranModel.ATTENTION),
                    SttranParity.npy(STTRAN, "out_attention_distribution.npy")) < 1e-4, file);
            assertTrue(maxAbsDiff(o.get(SttranModel.SPATIAL),
                    SttranParity.npy(STTRAN, "out_spatial_distribution.npy")) < 1e-4, file);
            assertTrue(maxAbsDiff(o.get(SttranModel.CONTACTING),
                    SttranParity.npy(STTRAN, "out_contacting_distribution.npy")) < 1e-4, file);
        }
    }

    @Test
    void tempuraHoldsTheImportersParametersAndMemory() {
        Path ckpt = TEMPURA.resolve(TempuraParity.DEFAULT_CHECKPOINT);
        Path out = tmp.resolve("tempura-imported");
        Checkpoint.Loaded c = importOk(importArgs("tempura", ckpt, TEMPURA_SMALL, out), out);
        assertEquals("tempura", c.meta().model());
        TempuraModel direct = TempuraModel.build(TempuraParity.configFromDims(TEMPURA.resolve("dims.json")),
                Mode.PREDCLS, 0);
        TempuraCheckpoint.load(direct, ckpt);
        assertSameState(direct, c.model());
    }

    @Test
    void dsgDetrHoldsTheImportersParameters() {
        Path ckpt = DSGDETR.resolve("dsgdetr.legacy.tar");
        Path out = tmp.resolve("dsgdetr-imported");
        Checkpoint.Loaded c = importOk(importArgs("dsg-detr", ckpt, DSGDETR_SMALL, out, "--mode", "sgcls"), out);
        assertEquals("dsg-detr", c.meta().model());
        assertEquals("sgcls", c.meta().mode());
        DsgDetrModel direct = DsgDetrModel.build(DsgDetrParity.configFromDims(DSGDETR.resolve("dims.json")),
                Mode.SGCLS, 0);
        direct.loadStateDict(TorchCheckpoint.loadStateDict(ckpt), ckpt.toString());
        assertSameState(direct, c.model());
    }

    @Test
    void wrongKindIsOneErrorNamingTheKey() {
        Path out = tmp.resolve("wrong-kind");
        CliRun r = run(importArgs("dsg-detr", STTRAN.resolve("sttran_predcls.zip.tar"), DSGDETR_SMALL, out));
        assertFails(r, out, "sttran_predcls.zip.tar", "'");
    }

    @Test
    void wrongWidthsIsOneErrorNamingTheKey() {
        Path out = tmp.resolve("wrong-widths");
        List<String> sets = new ArrayList<>(STTRAN_SMALL);
        sets.set(sets.indexOf("model.ffn=64"), "model.ffn=96");
        CliRun r = run(importArgs("sttran", STTRAN.resolve("sttran_predcls.zip.tar"), sets, out));
        assertFails(r, out, "linear1.weight");
    }

    @Test
    void existingOutIsRefusedAndLeftAlone() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("exists"));
        Files.writeString(out.resolve("keep.txt"), "mine\n");
        CliRun r = run(importArgs("sttran", STTRAN.resolve("sttran_predcls.zip.tar"), STTRAN_SMALL, out));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("--out") && r.err().contains("already exists"), r.err());
        assertEquals(List.of(out.resolve("keep.txt")), Files.list(out).toList());
    }

    @Test
    void configOfAnotherModelIsAUsageError() {
        Path out = tmp.resolve("other-model");
        CliRun r = run(importArgs("sttran", STTRAN.resolve("sttran_predcls.zip.tar"), List.of("model.name=tempura"), out));
        assertEquals(2, r.code(), r.err());
        assertFails(r, out, "model.name", "tempura");
    }

    @Test
    void helpReads() {
        CliRun r = run(List.of("import", "--help"));
        assertEquals(0, r.code(), r.err());
        for (String s : List.of("--kind", "sttran, tempura, dsg-detr", "--checkpoint", "--mode", "--config", "--set",
                "--out", "eval")) {
            assertTrue(r.out().contains(s), s + "\n" + r.out());
        }
    }
}
