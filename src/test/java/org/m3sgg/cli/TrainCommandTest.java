package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.m3sgg.cli.CliRun.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.synth.WorldConfig;
import org.m3sgg.synth.WorldWriter;

class TrainCommandTest {



    @Test
    void trainThenEvalOnATinyWorld(@TempDir Path tmp) throws Exception {
        WorldConfig cfg = new WorldConfig("tiny", 12, 1, 1, 3, 4, 0.25, List.of(1.0, 1.0), 8, 40, 0.03, 0.04, 0.1,
                0.04, 0.25, 16, 4, 3, 2, 1.2, 1, 0.7, 0.12, 0.15, 0.05, 0.35, 2.5, 0, 0.0, 1.0, false);
        Path world = tmp.resolve("world");
        WorldWriter.write(world, cfg, 9, true, false);
        List<String> args = new ArrayList<>(List.of("train", "--mode", "predcls", "--data-path", world.toString(),
                "--out", tmp.resolve("run").toString()));
        for (String s : List.of("model.feature=16", "model.union_in=4", "model.union_out=4", "model.pair_fc=8",
                "model.embedding=4", "model.d_model=32", "model.heads=2", "model.ffn=16", "model.dec_layers=1",
                "model.classifier_hidden=8", "model.pos_embed=4", "train.epochs=1", "train.val_fraction=0.2")) {
            args.add("--set");
            args.add(s);
        }
        CliRun r = run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("training sttran (predcls"), r.out());
        assertTrue(r.out().matches("(?s).*frequency +with .*\\nsttran +with .*"), r.out());
        assertTrue(r.out().contains("epoch 1 validation: with R@20"), r.out());

        CliRun again = run(args.toArray(String[]::new));
        assertEquals(2, again.code());
        assertTrue(again.err().contains("--resume"), again.err());

        Path preds = tmp.resolve("eval.json");
        CliRun e = run("eval", "--checkpoint", tmp.resolve("run").toString(), "--out", preds.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("sttran (predcls)"), e.out());
        assertTrue(Files.size(preds) > 0);
        // the eval of the selected checkpoint reproduces the run's own test predictions
        assertEquals(Files.readString(tmp.resolve("run/test.predictions.json")), Files.readString(preds));

        // --split val reproduces the validation score the run selected its checkpoint on
        Path valJson = tmp.resolve("val.json");
        CliRun v = run("eval", "--checkpoint", tmp.resolve("run").toString(), "--split", "val", "--json",
                valJson.toString());
        assertEquals(0, v.code(), v.err());
        assertTrue(v.out().contains("validation split"), v.out());
        assertFalse(v.out().contains("predictions:"), v.out());
        String best = Files.readString(tmp.resolve("run/best")).trim();
        JsonNode meta = new ObjectMapper().readTree(tmp.resolve("run").resolve(best).resolve("meta.json").toFile());
        JsonNode scores = new ObjectMapper().readTree(valJson.toFile());
        assertEquals(meta.get("metrics").get("with/R@20").asDouble(), scores.get("with").get("R@20").asDouble(), 0.0);
        assertEquals(2, run("eval", "--checkpoint", tmp.resolve("run").toString(), "--split", "train").code());

        // OED's protocol on the same predictions: the table and JSON of OedProtocol on the written file
        Path oedJson = tmp.resolve("oed.json");
        CliRun o = run("eval", "--checkpoint", tmp.resolve("run").toString(), "--out", tmp.resolve("eval2.json")
                .toString(), "--protocol", "oed", "--json", oedJson.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("OED's protocol") && o.out().contains("mR@100"), o.out());
        JsonNode oed = new ObjectMapper().readTree(oedJson.toFile());
        assertEquals(org.m3sgg.eval.OedProtocol.score(preds, false, null).recall("with", 20),
                oed.get("with").get("R@20").asDouble(), 0.0);
        CliRun noSize = run("eval", "--checkpoint", tmp.resolve("run").toString(), "--protocol", "oed-nms");
        assertTrue(noSize.code() != 0 && noSize.err().contains("--image-size"), noSize.all());
    }

    @Test
    void unknownModelListsTheValidOnes() {
        CliRun r = run("train", "--model", "sttrn");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown model 'sttrn'; valid models: sttran"), r.err());
        CliRun n = run("train", "--resume", "--out", "/nonexistent/run");
        assertEquals(2, n.code());
        assertTrue(n.err().contains("nothing to resume"), n.err());
    }
}
