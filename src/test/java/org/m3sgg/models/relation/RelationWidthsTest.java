package org.m3sgg.models.relation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Vocabulary;
import org.m3sgg.models.dsgdetr.DsgDetrConfig;
import org.m3sgg.models.stket.StketConfig;
import org.m3sgg.models.sttran.SttranConfig;
import org.m3sgg.models.tempura.TempuraConfig;

class RelationWidthsTest {

    @Test
    void actionGenomeClassesComeFromTheVocabulary() {
        RelationWidths.Classes k = RelationWidths.Classes.actionGenome();
        assertEquals(Vocabulary.OBJECT_CLASSES.size(), k.objects());
        assertEquals(Vocabulary.ATTENTION.size(), k.attention());
        assertEquals(Vocabulary.SPATIAL.size(), k.spatial());
        assertEquals(Vocabulary.CONTACTING.size(), k.contacting());
        assertEquals(Vocabulary.PREDICATES.size(), k.predicates());
    }

    @Test
    void everyConfigHandsOutTheSameSharedWidths() {
        SttranConfig s = SttranConfig.quick();
        StketConfig k = StketConfig.quick();
        assertEquals(s.widths().classes(), k.widths().classes());
        assertEquals(s.dModel(), s.widths().dModel());
        assertEquals(TempuraConfig.tiny().dModel(), TempuraConfig.tiny().widths().dModel());
        assertEquals(DsgDetrConfig.tiny().feature(), DsgDetrConfig.tiny().widths().feature());
    }

    @Test
    void validationNamesTheModel() {
        RelationWidths bad = new RelationWidths(32, 16, 8, 16, 8, 65, 4, 32, 0.1, 16, 16,
                RelationWidths.Classes.actionGenome());
        KitException e = assertThrows(KitException.class, () -> bad.validate("my-model"));
        assertTrue(e.getMessage().startsWith("my-model config: dModel 65"), e.getMessage());
    }

    @Test
    void feedRejectsOutOfRangeLabels() {
        KitException e = assertThrows(KitException.class, () -> RelationFeed.checkLabels(new int[] {1, 37}, 37));
        assertTrue(e.getMessage().contains("box 1 has label 37"), e.getMessage());
    }
}
