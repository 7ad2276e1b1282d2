package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.data.Mode;
import org.m3sgg.deploy.DeployTesting;
import org.m3sgg.deploy.Int8Weights;
import org.m3sgg.deploy.Pruning;
import org.m3sgg.train.Checkpoint;
import org.m3sgg.train.Trainer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** prune, then train --init-from (with --freeze): masks kept through training, frozen parts untouched, provenance. */
class FineTuneCommandTest {

    @TempDir
    static Path tmp;

    static Path source;

    static final List<String> TINY = List.of("model.feature=16", "model.union_in=4", "model.union_out=4",
            "model.pair_fc=8", "model.embedding=4", "model.d_model=32", "model.heads=2", "model.ffn=16",
            "model.dec_layers=1", "model.classifier_hidden=8", "model.pos_embed=4", "train.epochs=1",
            "train.lr=1e-3", "train.warmup_steps=0", "train.val_fraction=0.2", "train.checkpoint_every=0",
            "train.log_every=100", "model.dropout=0.0");

    @BeforeAll
    static void checkpoint() {
        source = DeployTesting.checkpoint(tmp, "source", Mode.SGCLS);
    }

    private static CliRun train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", "sttran", "--data-path",
                DeployTesting.tinyWorld().toString(), "--out", out.toString()));
        for (String s : TINY) {
            args.add("--set");
            args.add(s);
        }
        args.addAll(List.of(extra));
        return CliRun.run(args);
    }

    private static Map<String, INDArray> params(Path checkpointOrRun) {
        Path dir = Files.isRegularFile(checkpointOrRun.resolve(Checkpoint.META)) ? checkpointOrRun
                : Trainer.latestCheckpoint(checkpointOrRun);
        return Checkpoint.open(dir, null, null).model().state();
    }

    @Test
    void prunedMasksSurviveSavingLoadingAndFineTuning() throws Exception {
        Path pruned = tmp.resolve("pruned");
        CliRun p = CliRun.run("prune", "--checkpoint", source.toString(), "--amount", "0.5", "--out",
                pruned.toString());
        assertEquals(0, p.code(), p.all());
        assertTrue(Files.isRegularFile(pruned.resolve(Pruning.MASKS)));
        Map<String, INDArray> masks = Pruning.read(pruned.resolve(Pruning.MASKS));
        Map<String, INDArray> loaded = params(pruned);
        double zeros = 0;
        double total = 0;
        List<Double> perLayer = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray w = loaded.get(e.getKey());
            double z = w.length() - w.neq(0.0).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber()
                    .doubleValue();
            assertEquals(0.0, w.mul(e.getValue().rsub(1.0)).amaxNumber().doubleValue(), e.getKey());
            zeros += z;
            total += w.length();
            perLayer.add(z / w.length());
        }
        assertEquals(0.5, zeros / total, 1.0 / total, "global sparsity");
        assertTrue(perLayer.stream().distinct().count() > 1, "global, not per layer: " + perLayer);

        Path run = tmp.resolve("finetuned");
        CliRun t = train(run, "--mode", "sgcls", "--init-from", pruned.toString());
        assertEquals(0, t.code(), t.all());
        assertTrue(Files.isRegularFile(run.resolve(Pruning.MASKS)));
        String init = Files.readString(run.resolve("init.json"));
        assertTrue(init.contains(pruned.toAbsolutePath().toString()) && init.contains("\"pruning_masks\""), init);
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("init_from"));
        Map<String, INDArray> after = params(run);
        boolean moved = false;
        for (Map.Entry<String, INDArray> e : masks.entrySet()) {
            INDArray w = after.get(e.getKey());
            assertEquals(0.0, w.mul(e.getValue().rsub(1.0)).amaxNumber().doubleValue(), e.getKey()
                    + ": a pruned weight came back to life");
            moved |= !w.equalsWithEps(loaded.get(e.getKey()), 1e-7);
        }
        assertTrue(moved, "the kept weights did not train");
    }

    @Test
    void frozenPartsStayAsTheSourceHadThem() throws Exception {
        Path run = tmp.resolve("frozen");
        CliRun t = train(run, "--mode", "sgcls", "--init-from", source.toString(), "--freeze", "object_classifier.");
        assertEquals(0, t.code(), t.all());
        Map<String, INDArray> before = params(source);
        Map<String, INDArray> after = params(run);
        int frozen = 0;
        boolean othersMoved = false;
        for (String name : Int8Weights.linearWeights(Checkpoint.open(source, null, null).model())) {
            if (name.startsWith("object_classifier.")) {
                assertEquals(before.get(name), after.get(name), name + " is frozen");
                frozen++;
            } else {
                othersMoved |= !before.get(name).equalsWithEps(after.get(name), 1e-7);
            }
        }
        assertTrue(frozen > 0);
        assertTrue(othersMoved);
        assertTrue(Files.readString(run.resolve("init.json")).contains("object_classifier."));
    }

    @Test
    void aFreezePrefixThatMatchesNothingIsOneLine() {
        CliRun t = train(tmp.resolve("nomatch"), "--init-from", source.toString(), "--freeze", "no_such_part.");
        assertNotEquals(0, t.code(), t.all());
        assertTrue(t.err().contains("no_such_part."), t.err());
        assertFalse(t.all().contains("Exception"), t.all());
    }

    /**
     * An authors' PyTorch checkpoint (the committed STTran reference fixture, 64-d features, 32 union channels) as
     * --init-from: imported into the run folder on the way, its weights are the run's starting point.
     */
    @Test
    void initFromAnAuthorsPyTorchCheckpoint() throws Exception {
        Path world = tmp.resolve("world-64");
        org.m3sgg.synth.WorldWriter.write(world, new org.m3sgg.synth.WorldConfig("wide", 10, 1, 1, 3, 5, 0.2,
                List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1, 0.04, 0.25, 64, 32, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35,
                2.5, 0, 0.0, 1.0, false), 5, true, false);
        Path file = org.m3sgg.testing.Fixtures.dir("sttran-reference").resolve("sttran_predcls.zip.tar");
        Path run = tmp.resolve("from-torch");
        List<String> args = new ArrayList<>(List.of("train", "--model", "sttran", "--data-path", world.toString(),
                "--out", run.toString(), "--init-from", file.toString(), "--set", "train.epochs=1", "--set",
                "train.checkpoint_every=0", "--set", "train.log_every=100", "--set", "train.val_fraction=0.2",
                "--set", "model.dropout=0.0"));
        for (String s : ImportCommandTest.STTRAN_SMALL) {
            args.add("--set");
            args.add(s);
        }
        CliRun t = CliRun.run(args);
        assertEquals(0, t.code(), t.all());
        String init = Files.readString(run.resolve("init.json"));
        assertTrue(init.contains("\"kind\" : \"imported\"") && init.contains("sttran_predcls.zip.tar"), init);
        Map<String, INDArray> imported = params(run.resolve("init-imported"));
        Map<String, INDArray> after = params(run);
        assertFalse(imported.get("a_rel_compress.weight").equalsWithEps(after.get("a_rel_compress.weight"), 1e-7),
                "trained");
        assertTrue(imported.get("a_rel_compress.weight").equalsWithEps(after.get("a_rel_compress.weight"), 0.05),
                "one epoch from the imported weights stays near them");
    }

    @Test
    void initFromAnotherModelIsRefused() {
        Path other = DeployTesting.checkpoint(tmp, "dsg", "dsg-detr", Mode.PREDCLS,
                DeployTesting.quick("dsg-detr"));
        CliRun t = train(tmp.resolve("wrongmodel"), "--init-from", other.toString());
        assertNotEquals(0, t.code(), t.all());
        assertTrue(t.err().contains("dsg-detr"), t.err());
    }
}
