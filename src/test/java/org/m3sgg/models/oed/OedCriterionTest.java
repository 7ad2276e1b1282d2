package org.m3sgg.models.oed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.testing.Fixtures;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * OED's matcher and criterion against the reference's own code ({@code reference/oed-criterion}): matched indices
 * of every layer exact, every loss term and the weighted total within 1e-6.
 */
class OedCriterionTest {

    private static final String[] HEADS = {"pred_obj_logits", "pred_sub_boxes", "pred_obj_boxes", "pred_attn_logits",
        "pred_spatial_logits", "pred_contacting_logits"};

    @Test
    void matcherAndLossesEqualTheReference() throws Exception {
        JsonNode root = new ObjectMapper().readTree(Fixtures.file("oed-criterion/criterion.json").toFile());
        int checked = 0;
        for (JsonNode c : root.get("cases")) {
            String name = c.get("name").asText();
            boolean sgdet = c.get("task").asText().equals("sgdet");
            JsonNode a = c.get("args");
            OedLossWeights w = new OedLossWeights(a.get("set_cost_obj_class").asDouble(),
                    a.get("set_cost_rel_class").asDouble(), a.get("set_cost_bbox").asDouble(),
                    a.get("set_cost_giou").asDouble(), a.get("obj_loss_coef").asDouble(),
                    a.get("rel_loss_coef").asDouble(), a.get("bbox_loss_coef").asDouble(),
                    a.get("giou_loss_coef").asDouble(), a.get("eos_coef").asDouble(), a.get("alpha").asDouble());
            JsonNode tg = c.get("targets");
            OedTargets t = new OedTargets(ints(tg.get("obj_labels")), mat(tg.get("sub_boxes")),
                    mat(tg.get("obj_boxes")), mat(tg.get("attn_labels")), mat(tg.get("spatial_labels")),
                    mat(tg.get("contacting_labels")));
            int q = c.get("queries").asInt();
            SameDiff sd = SameDiff.create();
            List<OedCriterion.Layer> layers = new ArrayList<>();
            Map<String, INDArray> ph = new HashMap<>();
            JsonNode ls = c.get("layers");
            for (int l = 0; l < ls.size(); l++) {
                JsonNode layer = ls.get(l);
                SDVariable[] v = new SDVariable[HEADS.length];
                for (int h = 0; h < HEADS.length; h++) {
                    v[h] = sd.constant("l" + l + "_" + HEADS[h], Nd4j.create(mat(layer.get(HEADS[h]))));
                }
                layers.add(new OedCriterion.Layer(v[0], v[1], v[2], v[3], v[4], v[5]));
                int[][] match;
                if (sgdet) {
                    match = OedMatcher.match(new OedMatcher.Outputs(mat(layer.get(HEADS[0])), mat(layer.get(HEADS[1])),
                            mat(layer.get(HEADS[2])), mat(layer.get(HEADS[3])), mat(layer.get(HEADS[4])),
                            mat(layer.get(HEADS[5]))), t, w);
                } else {
                    int[] id = java.util.stream.IntStream.range(0, t.size()).toArray();
                    match = new int[][] {id, id};
                }
                JsonNode ref = c.get("indices").get(l);
                assertArrayEquals(ints(ref.get(0)), match[0], name + " layer " + l + " queries");
                assertArrayEquals(ints(ref.get(1)), match[1], name + " layer " + l + " targets");
                ph.putAll(OedCriterion.targets("", l, match, t, q, mat(layer.get(HEADS[0]))[0].length,
                        mat(layer.get(HEADS[3]))[0].length, w, sgdet));
            }
            OedCriterion.build(sd, "", layers, w);
            List<String> names = new ArrayList<>(OedCriterion.termNames("", ls.size()));
            names.add(OedCriterion.TOTAL);
            Map<String, INDArray> out = sd.output(ph, names.toArray(new String[0]));
            for (String term : OedCriterion.termNames("", ls.size())) {
                double expected = c.get("losses").get(term).asDouble();
                assertEquals(expected, out.get(term).getDouble(0), 1e-6, name + " " + term);
                checked++;
            }
            assertEquals(c.get("total").asDouble(), out.get(OedCriterion.TOTAL).getDouble(0), 1e-6, name + " total");
        }
        assertEquals(8 * (3 + 3 + 2 + 1 + 3), checked);
    }

    private static double[][] mat(JsonNode n) {
        double[][] m = new double[n.size()][];
        for (int i = 0; i < n.size(); i++) {
            m[i] = new double[n.get(i).size()];
            for (int j = 0; j < m[i].length; j++) {
                m[i][j] = n.get(i).get(j).asDouble();
            }
        }
        return m;
    }

    private static int[] ints(JsonNode n) {
        int[] r = new int[n.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = n.get(i).asInt();
        }
        return r;
    }
}
