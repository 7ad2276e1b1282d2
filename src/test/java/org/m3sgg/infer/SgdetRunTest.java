package org.m3sgg.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;

/** Loading an SGDET run for inference, and the runs it refuses. */
class SgdetRunTest {

    @TempDir
    Path tmp;

    @Test
    void aRunOfAnotherModeIsRefusedInOneLine() throws Exception {
        Path run = InferTesting.run(tmp.resolve("predcls"), Mode.PREDCLS, 512, 256, 0);
        KitException e = assertThrows(KitException.class, () -> SgdetRun.open(run));
        assertTrue(e.getMessage().contains("predcls mode") && e.getMessage().contains("--mode sgdet"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void widthsThatDisagreeWithTheDetectorAreRefusedNamingBoth() throws Exception {
        Path run = InferTesting.run(tmp.resolve("narrow"), Mode.SGDET, 64, 8, 0);
        SgdetRun r = SgdetRun.open(run);
        assertEquals(64, r.feature());
        assertEquals(8, r.unionIn());
        KitException e = assertThrows(KitException.class,
                () -> r.requireMatches(InferTesting.detector(), "faster_rcnn_ag.zip.tar"));
        String m = e.getMessage();
        assertTrue(m.contains("64-d box features") && m.contains("8-channel union")
                && m.contains("512-d features") && m.contains("256-channel maps"), m);
    }

    @Test
    void aFolderThatIsNeitherCheckpointNorRunIsNamed() {
        KitException e = assertThrows(KitException.class, () -> SgdetRun.open(tmp));
        assertTrue(e.getMessage().contains(tmp.toString()) && e.getMessage().contains("run folder"),
                e.getMessage());
    }
}
