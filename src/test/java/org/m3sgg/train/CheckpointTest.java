package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.nn.AdamW;
import org.nd4j.linalg.api.ndarray.INDArray;

class CheckpointTest {

    private static Checkpoint.Meta meta(String mode) {
        return new Checkpoint.Meta(Checkpoint.FORMAT, "sttran", mode, "resume", 1, 2, 3, Map.of("with/R@20", 0.5),
                "fp", null, Map.of(), "now");
    }

    @Test
    void roundTripRestoresParametersBuffersAndOptimizer(@TempDir Path tmp) throws Exception {
        ConfigTree cfg = TinyWorld.config();
        SggModel a = ModelRegistry.build(cfg, "sttran", Mode.SGCLS, 1);
        // make the state non-trivial: perturb every array
        for (INDArray x : a.state().values()) {
            x.addi(0.125);
        }
        AdamW opt = new AdamW(a.graph(), a.trainableParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01, 5);
        Map<String, INDArray> fakeMoments = new java.util.TreeMap<>();
        String p0 = a.trainableParameters().get(0);
        fakeMoments.put("m/" + p0, a.state().get(p0).mul(2));
        fakeMoments.put("v/" + p0, a.state().get(p0).mul(3));
        opt.restoreState(fakeMoments, 7);
        Path dir = Checkpoint.write(tmp, "ck", meta("sgcls"), cfg, a, opt, Map.of("x", 1));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "no temporary folder left behind");
        }
        Checkpoint.Loaded l = Checkpoint.open(dir, "sttran", Mode.SGCLS);
        Map<String, INDArray> sa = a.state();
        Map<String, INDArray> sb = l.model().state();
        assertEquals(sa.keySet(), sb.keySet());
        for (String k : sa.keySet()) {
            assertEquals(sa.get(k), sb.get(k), k);
        }
        AdamW opt2 = new AdamW(l.model().graph(), l.model().trainableParameters(), 1e-3, 0.9, 0.999, 1e-8, 0.01, 5);
        Checkpoint.loadOptimizer(dir, opt2, 7);
        assertEquals(7, opt2.stepCount());
        assertEquals(opt.exportState(), opt2.exportState());
    }

    @Test
    void wrongModelOrModeIsAnError(@TempDir Path tmp) {
        ConfigTree cfg = TinyWorld.config();
        SggModel a = ModelRegistry.build(cfg, "sttran", Mode.PREDCLS, 1);
        Path dir = Checkpoint.write(tmp, "ck", meta("predcls"), cfg, a, null, null);
        KitException mode = assertThrows(KitException.class, () -> Checkpoint.open(dir, "sttran", Mode.SGCLS));
        assertTrue(mode.getMessage().contains("trained in predcls mode, not sgcls"), mode.getMessage());
        KitException model = assertThrows(KitException.class, () -> Checkpoint.open(dir, "tempura", null));
        assertTrue(model.getMessage().contains("holds a 'sttran' model, not 'tempura'"), model.getMessage());
        SggModel sg = ModelRegistry.build(cfg, "sttran", Mode.SGCLS, 1);
        assertThrows(KitException.class, () -> Checkpoint.loadParams(dir, sg));
        // SGDET has the SGCLS graph, but an SGCLS checkpoint is still not an SGDET one (and back)
        Path sgcls = Checkpoint.write(tmp, "ck-sgcls", meta("sgcls"), cfg, sg, null, null);
        KitException det = assertThrows(KitException.class, () -> Checkpoint.open(sgcls, "sttran", Mode.SGDET));
        assertTrue(det.getMessage().contains("trained in sgcls mode, not sgdet"), det.getMessage());
        SggModel sgdet = ModelRegistry.build(cfg, "sttran", Mode.SGDET, 1);
        assertThrows(KitException.class, () -> Checkpoint.loadParams(sgcls, sgdet));
        // other widths: the shape mismatch names the parameter
        SggModel wide = ModelRegistry.build(cfg.with(List.of("model.pair_fc=12", "model.d_model=44")), "sttran",
                Mode.PREDCLS, 1);
        KitException shape = assertThrows(KitException.class, () -> Checkpoint.loadParams(dir, wide));
        assertTrue(shape.getMessage().contains("has shape"), shape.getMessage());
        assertThrows(KitException.class, () -> Checkpoint.readMeta(tmp));
    }

    @Test
    void tamperedMetadataAndParametersAreNamedErrors(@TempDir Path tmp) throws Exception {
        ConfigTree cfg = TinyWorld.config();
        SggModel a = ModelRegistry.build(cfg, "sttran", Mode.PREDCLS, 1);
        Path dir = Checkpoint.write(tmp, "ck", meta("predcls"), cfg, a, null, null);
        Path metaFile = dir.resolve(Checkpoint.META);
        String good = Files.readString(metaFile);
        for (String[] edit : new String[][] {{"\"mode\" : \"predcls\"", "\"mode\" : null"},
                {"\"mode\" : \"predcls\"", "\"mode\" : \"bogus\""}, {"\"model\" : \"sttran\"", "\"model\" : \"nope\""}}) {
            assertTrue(good.contains(edit[0]), good);
            Files.writeString(metaFile, good.replace(edit[0], edit[1]));
            KitException e = assertThrows(KitException.class, () -> Checkpoint.open(dir, null, null), edit[1]);
            assertTrue(e.getMessage().startsWith(metaFile.toString()), e.getMessage());
        }
        Files.writeString(metaFile, good);
        // int64 parameters (a converted checkpoint gone wrong)
        Map<String, org.m3sgg.features.NdArray> params = new java.util.LinkedHashMap<>(
                org.m3sgg.features.Npz.read(dir.resolve(Checkpoint.PARAMS)));
        String first = params.keySet().iterator().next();
        int[] shape = params.get(first).shape();
        params.put(first, org.m3sgg.features.NdArray.of(new long[params.get(first).size()], shape));
        org.m3sgg.features.Npz.write(dir.resolve(Checkpoint.PARAMS), params);
        KitException e = assertThrows(KitException.class, () -> Checkpoint.open(dir, null, null));
        assertTrue(e.getMessage().contains(Checkpoint.PARAMS) && e.getMessage().contains("<i8"), e.getMessage());
        Files.delete(dir.resolve(Checkpoint.PARAMS));
        e = assertThrows(KitException.class, () -> Checkpoint.open(dir, null, null));
        assertTrue(e.getMessage().contains("has no params.npz"), e.getMessage());
    }
}
