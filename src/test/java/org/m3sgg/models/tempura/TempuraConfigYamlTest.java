package org.m3sgg.models.tempura;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.train.TrainConfig;

class TempuraConfigYamlTest {

    @Test
    void paperAndQuickConfigsBindAndSelectOnMeanRecall() {
        ConfigTree paper = ConfigTree.load(KitHome.home().resolve("configs/models/tempura.yaml"), List.of());
        TempuraConfig p = (TempuraConfig) ModelRegistry.get("tempura").bindConfig(paper);
        TempuraConfig expected = TempuraConfig.paperPredcls();
        assertEquals(expected.k(), p.k());
        assertEquals(expected.dModel(), p.dModel());
        assertEquals(TempuraConfig.MemFusion.LATE, p.memFusion());
        assertEquals(TempuraConfig.MemCompute.JOINT, p.relMemCompute());
        assertEquals(TempuraConfig.ContrastiveLoss.EUC_CON, p.objConLoss());
        assertEquals(0.5, p.memFeatLambda());
        assertEquals("mR@20", paper.bind("train", TrainConfig.class).valMetric());
        ConfigTree quick = ConfigTree.load(KitHome.home().resolve("configs/quick/tempura.yaml"),
                List.of("model.k=2", "model.mem_fusion=early"));
        TempuraConfig q = (TempuraConfig) ModelRegistry.get("tempura").bindConfig(quick);
        assertEquals(128, q.dModel());
        assertEquals(2, q.k());
        assertEquals(TempuraConfig.MemFusion.EARLY, q.memFusion());
        assertEquals(96, q.objectDim());
    }
}
