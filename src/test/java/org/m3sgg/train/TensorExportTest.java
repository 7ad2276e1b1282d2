package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.AgVideo;
import org.m3sgg.data.Mode;
import org.m3sgg.features.NdArray;
import org.m3sgg.features.Npz;
import org.m3sgg.models.ModelRegistry;
import org.nd4j.linalg.api.ndarray.INDArray;

class TensorExportTest {

    @Test
    void writesTheTrainersTensorsOrdersAndInitialWeights(@TempDir Path tmp) throws Exception {
        ConfigTree config = TinyWorld.config("train.seed=3");
        Path out = tmp.resolve("export");
        TensorExport.Summary s = TensorExport.write(out, config, "sttran", Mode.SGCLS);
        Trainer trainer = Trainer.fromConfig(tmp.resolve("run"), config, "sttran", Mode.SGCLS);
        RunData rd = trainer.data();
        assertEquals(rd.train().size(), s.train());
        assertEquals(2, s.epochs());

        JsonNode ex = new ObjectMapper().readTree(out.resolve("export.json").toFile());
        assertEquals(ids(rd.train()), strings(ex.get("train")));
        assertEquals(ids(rd.val()), strings(ex.get("val")));
        assertEquals(ids(rd.test()), strings(ex.get("test")));
        assertEquals(trainer.stepsPerEpoch(), ex.get("steps_per_epoch").asInt());
        assertEquals(3, ex.get("train_config").get("seed").asInt());
        assertEquals(32, ex.get("model_config").get("d_model").asInt());
        for (int e = 0; e < 2; e++) {
            assertEquals(ids(trainer.order(e)), strings(ex.get("epoch_orders").get(e)));
        }
        Set<String> all = new HashSet<>(ids(rd.train()));
        all.addAll(ids(rd.val()));
        all.addAll(ids(rd.test()));
        assertEquals(all.size(), s.train() + s.val() + s.test(), "the three parts are disjoint");

        // one video's arrays are the collated inputs and targets
        AgVideo v = rd.train().get(0);
        Collate.Video c = Collate.of(v, rd.features().video(v.id()), Mode.SGCLS);
        Map<String, NdArray> z = Npz.read(out.resolve("videos").resolve(v.id() + ".npz"));
        assertArrayEquals(c.inputs().features().dup('c').data().asFloat(), z.get("features").floats());
        assertArrayEquals(c.inputs().labels(), ints(z.get("labels")));
        assertArrayEquals(c.inputs().pairFrame(), ints(z.get("pair_frame")));
        assertArrayEquals(c.inputs().unionFeatures().dup('c').data().asFloat(), z.get("union").floats());
        assertArrayEquals(c.inputs().distribution().dup('c').data().asFloat(), z.get("distribution").floats());
        assertArrayEquals(c.targets().attention(), ints(z.get("attention")));
        float[] spatial = z.get("spatial").floats();
        for (int q = 0; q < c.inputs().numPairs(); q++) {
            int ones = 0;
            for (int k = 0; k < 6; k++) {
                ones += (int) spatial[q * 6 + k];
            }
            assertEquals(c.targets().spatial()[q].length, ones, "pair " + q);
            for (int k : c.targets().spatial()[q]) {
                assertEquals(1f, spatial[q * 6 + k]);
            }
        }
        assertTrue(z.containsKey("object_labels") && z.containsKey("masks") && z.containsKey("frame_box"));

        // the init checkpoint is the model the Trainer starts from (seed 3)
        SggModel fresh = ModelRegistry.build(config, "sttran", Mode.SGCLS, 3);
        Checkpoint.Loaded init = Checkpoint.open(out.resolve(TensorExport.INIT), "sttran", Mode.SGCLS);
        for (Map.Entry<String, INDArray> e : fresh.state().entrySet()) {
            assertEquals(e.getValue(), init.model().state().get(e.getKey()), e.getKey());
        }
    }

    private static List<String> ids(List<AgVideo> videos) {
        return videos.stream().map(AgVideo::id).toList();
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static int[] ints(NdArray a) {
        long[] l = a.longs();
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = Math.toIntExact(l[i]);
        }
        return out;
    }
}
