package org.m3sgg.models.sttran;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.m3sgg.data.Mode;
import org.m3sgg.models.SggModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@code forward} = {@code relations} + (SGCLS) {@code objectLogits}; {@code relations} runs no classifier. */
class SgclsForwardTest {

    @Test
    void forwardIsRelationsPlusObjectLogits() {
        SttranConfig cfg = SttranConfig.quick().withDropout(0);
        SyntheticVideo v = new SyntheticVideo(cfg, new int[] {2, 1, 2}, 3);
        SttranModel model = SttranModel.build(cfg, Mode.SGCLS, 1);
        Map<String, INDArray> all = model.forward(v.inputs);
        Map<String, INDArray> rel = model.relations(v.inputs);
        assertFalse(rel.containsKey(SggModel.OBJECT_LOGITS));
        assertTrue(all.containsKey(SggModel.OBJECT_LOGITS));
        assertEquals(model.objectLogits(v.inputs), all.get(SggModel.OBJECT_LOGITS));
        for (String k : rel.keySet()) {
            assertEquals(rel.get(k), all.get(k), k);
        }
    }
}
