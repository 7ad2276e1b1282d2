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

    @Test
    void initFromAnotherModelIsRefused() {
        Path other = DeployTesting.checkpoint(tmp, "dsg", "dsg-detr", Mode.PREDCLS,
                DeployTesting.quick("dsg-detr"));
        CliRun t = train(tmp.resolve("wrongmodel"), "--init-from", other.toString());
        assertNotEquals(0, t.code(), t.all());
        assertTrue(t.err().contains("dsg-detr"), t.err());
    }
}
