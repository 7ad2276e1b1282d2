package org.m3sgg.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.m3sgg.api.KitHome;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.eval.EvaluatorConfig;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.SggModel;
import org.m3sgg.train.RunData;

/**
 * Every registered graph model, PredCLS and SGCLS, exports to ONNX and ONNX Runtime reproduces its scores; SGDET (the
 * SGCLS graph on the detection pipeline's inputs) for STTran and DSG-DETR (its tracks come from the detector).
 */
class OnnxExportTest {

    @ParameterizedTest
    @CsvSource({"sttran,predcls", "sttran,sgcls", "tempura,predcls", "tempura,sgcls", "stket,predcls",
            "stket,sgcls", "dsg-detr,predcls", "dsg-detr,sgcls", "sttran,sgdet", "dsg-detr,sgdet"})
    void onnxRuntimeReproducesTheKit(String name, String modeName) {
        Mode mode = Mode.parse(modeName);
        ConfigTree cfg = ConfigTree.load(KitHome.home().resolve("configs/quick/" + name + ".yaml"), List.of());
        SggModel model = ModelRegistry.build(cfg, null, mode, 3);
        RunData data = RunData.of(cfg, mode);
        var videos = data.test().subList(0, 6);
        OnnxExport.Exported e = OnnxExport.export(model, videos, data, Map.of());
        assertTrue(e.stages().stream().anyMatch(s -> s.name().equals(OnnxExport.RELATIONS)), e.stages().toString());
        assertEquals(mode == Mode.SGCLS, e.stages().stream().anyMatch(s -> s.name().equals(OnnxExport.OBJECTS)));
        OnnxVerify.Report r = OnnxVerify.verify(model, e, videos, data, cfg.bind("eval",
                EvaluatorConfig.class));
        System.out.printf("%s %s: max output diff %.3g %s, max metric diff %.3g%n", name, mode, r.maxOutput(),
                r.maxOutputDiff(), r.maxMetricDiff());
        assertTrue(r.passed(), r.toString());
    }
}
