package org.m3sgg.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchDType;
import org.m3sgg.nn.torch.TorchTensor;
import org.m3sgg.testing.Fixtures;

/**
 * A checkpoint of another architecture given as the detector: one line naming the file, the key and what was
 * expected, before any graph is built. VGG16 and class-agnostic state dicts are built in memory with
 * faster-rcnn.pytorch's key names and shapes (values are never read, so one shared element backs each tensor);
 * STTran's and OED's relation checkpoints are the committed reference fixtures'.
 */
class ForeignCheckpointTest {

    @TempDir
    Path tmp;

    private static final DetectorSettings S = DetectorSettings.sttran();

    /** A tensor of the given shape whose every element is one stored float (stride 0): shapes only. */
    private static TorchTensor shaped(long... shape) {
        return new TorchTensor(TorchDType.FLOAT32, shape, new long[shape.length], 0, ByteBuffer.allocate(4));
    }

    /** The reduced fixture's state dict, a working ResNet detector. */
    private static Map<String, TorchTensor> fixtureStateDict() {
        Path ckpt = Fixtures.dir("detector-reference").resolve("faster_rcnn_ag.zip.tar");
        Object root = TorchCheckpoint.load(ckpt);
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        ((Map<?, ?>) ((Map<?, ?>) root).get("model")).forEach((k, v) -> sd.put((String) k, (TorchTensor) v));
        return sd;
    }

    private static String error(Map<String, TorchTensor> sd, String source) {
        return assertThrows(KitException.class, () -> FasterRcnn.fromStateDict(sd, source, S)).getMessage();
    }

    private static void assertNames(String message, String... parts) {
        assertEquals(1, message.lines().count(), message);
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + p + "' missing from: " + message);
        }
    }

    @Test
    void vgg16DetectorIsNamed() {
        // faster-rcnn.pytorch's vgg16.py: RCNN_base = VGG16 features without the last max pool (conv 3x3 layers at
        // 0, 2, 5, ...), RCNN_top = the classifier's fc6 / fc7 (Linear 25088 -> 4096 -> 4096)
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        sd.put("RCNN_base.0.weight", shaped(64, 3, 3, 3));
        sd.put("RCNN_base.0.bias", shaped(64));
        sd.put("RCNN_base.2.weight", shaped(64, 64, 3, 3));
        sd.put("RCNN_base.2.bias", shaped(64));
        sd.put("RCNN_rpn.RPN_Conv.weight", shaped(512, 512, 3, 3));
        sd.put("RCNN_top.0.weight", shaped(4096, 25088));
        sd.put("RCNN_top.0.bias", shaped(4096));
        sd.put("RCNN_top.3.weight", shaped(4096, 4096));
        sd.put("RCNN_cls_score.weight", shaped(37, 4096));
        sd.put("RCNN_bbox_pred.weight", shaped(148, 4096));
        assertNames(error(sd, "vgg16.pth"), "vgg16.pth", "'RCNN_top.0.weight'", "[4096, 25088]", "Linear",
                "VGG16", "RCNN_top.0.0.conv1.weight");
        sd.remove("RCNN_top.0.weight"); // a partial file: the 3x3 stem alone names it too
        assertNames(error(sd, "vgg16.pth"), "vgg16.pth", "'RCNN_base.0.weight'", "[64, 3, 3, 3]",
                "[width, 3, 7, 7]", "VGG16");
    }

    @Test
    void classAgnosticBoxRegressorIsNamed() {
        Map<String, TorchTensor> sd = fixtureStateDict();
        sd.put("RCNN_bbox_pred.weight", shaped(4, 512));
        sd.put("RCNN_bbox_pred.bias", shaped(4));
        assertNames(error(sd, "agnostic.pth"), "agnostic.pth", "'RCNN_bbox_pred.weight'", "[4, 512]",
                "class-agnostic", "[4 x 37 = 148, 512]");
    }

    @Test
    void relationModelCheckpointsAreNamed() {
        Path sttran = Fixtures.dir("sttran-reference").resolve("sttran_predcls.zip.tar");
        assertNames(assertThrows(KitException.class, () -> FasterRcnn.load(sttran, S)).getMessage(),
                sttran.toString(), "not a Faster R-CNN checkpoint", "no state_dict key starts with 'RCNN_'",
                "STTran-style relation model", "RCNN_base.*");
        Path oed = Fixtures.dir("oed-reference").resolve("oed_sgdet_spatial.zip.tar");
        assertNames(assertThrows(KitException.class, () -> FasterRcnn.load(oed, S)).getMessage(),
                oed.toString(), "not a Faster R-CNN checkpoint", "no state_dict key starts with 'RCNN_'");
    }

    @Test
    void filesThatAreNotTorchCheckpointsAreNamed() throws IOException {
        Path text = Files.writeString(tmp.resolve("notes.pth"), "not a checkpoint\n");
        assertNames(assertThrows(KitException.class, () -> FasterRcnn.load(text, S)).getMessage(),
                text.toString());
        Path npy = Fixtures.dir("detector-reference").resolve("in_im_info.npy");
        assertNames(assertThrows(KitException.class, () -> FasterRcnn.load(npy, S)).getMessage(), npy.toString());
        Path missing = tmp.resolve("absent.pth");
        assertNames(assertThrows(KitException.class, () -> FasterRcnn.load(missing, S)).getMessage(),
                missing.toString(), "not found");
    }

    @Test
    void theFixtureDetectorStillLoads() {
        assertEquals(512, FasterRcnn.fromStateDict(fixtureStateDict(), "fixture", S).head().featureDim());
    }
}
