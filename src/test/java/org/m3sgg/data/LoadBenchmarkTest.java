package org.m3sgg.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark folder is a valid Action Genome folder, and the real dataset's size fits in well under 2 GB of
 * heap once loaded. Times are printed, not asserted (they depend on the machine): {@code m3sgg data bench-load}.
 */
@Tag("slow")
class LoadBenchmarkTest {

    @TempDir
    Path tmp;

    @Test
    void generatedFolderIsValidAndLoads() {
        Path dir = LoadBenchmark.ensureFolder(tmp, 200, 3);
        DatasetValidator.Report r = DatasetValidator.validate(dir);
        assertTrue(r.ok(), r.problems().toString());
        ActionGenome ag = ActionGenome.open(dir);
        AgSplit train = ag.load(Mode.PREDCLS, "train");
        AgSplit test = ag.load(Mode.PREDCLS, "test");
        assertEquals(200, train.videos().size() + test.videos().size()); // every video has >= 10 frames
        assertTrue(ag.load(Mode.SGDET, "train").counts().objects() < train.counts().objects());
    }

    @Test
    void realSizeFitsWellUnderTwoGigabytesOfHeap() {
        Path cache = Path.of(System.getProperty("user.dir"), "target", "bench-cache");
        Path dir = LoadBenchmark.ensureFolder(cache, 9600, 7);
        LoadBenchmark.Result r = LoadBenchmark.run(dir, 1, "python3");
        System.out.print(LoadBenchmark.format(r));
        assertTrue(r.frames() > 280_000, "frames " + r.frames());
        assertTrue(r.retainedHeap() < 1_000_000_000L, "retained heap " + r.retainedHeap());
    }
}
