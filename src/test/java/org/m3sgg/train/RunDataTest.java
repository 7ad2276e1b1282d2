package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.m3sgg.api.KitException;
import org.m3sgg.data.ActionGenome;
import org.m3sgg.data.Mode;

class RunDataTest {

    private static RunData load(String... overrides) {
        var cfg = TinyWorld.config(overrides);
        TrainConfig t = cfg.bind("train", TrainConfig.class);
        return RunData.load(cfg.bind("data", DataConfig.class), Mode.PREDCLS, t.valFraction(), t.valSeed());
    }

    @Test
    void videoLimitsKeepTheFirstVideosOfEachSplitAndChangeTheFingerprint() {
        RunData all = load();
        RunData few = load("data.max_train_videos=5", "data.max_test_videos=1");
        // the limit applies before the validation split: 5 videos, round(0.2 * 5) = 1 of them for validation
        assertEquals(4, few.train().size());
        assertEquals(1, few.val().size());
        assertEquals(List.of(all.test().get(0)), few.test());
        // the five kept are the first five of the full training split in loader order
        Set<String> kept = new TreeSet<>();
        few.train().forEach(v -> kept.add(v.id()));
        few.val().forEach(v -> kept.add(v.id()));
        Set<String> firstFive = new TreeSet<>();
        ActionGenome.open(TinyWorld.path()).load(Mode.PREDCLS, "train").videos().subList(0, 5)
                .forEach(v -> firstFive.add(v.id()));
        assertEquals(firstFive, kept);
        assertNotEquals(all.fingerprint(), few.fingerprint());
        // 0 and a limit above the split size keep everything
        assertEquals(all.fingerprint(), load("data.max_train_videos=0", "data.max_test_videos=0").fingerprint());
        assertEquals(all.fingerprint(), load("data.max_train_videos=1000", "data.max_test_videos=1000").fingerprint());
    }

    @Test
    void negativeLimitIsAnErrorNamingTheKey() {
        KitException e = assertThrows(KitException.class, () -> load("data.max_test_videos=-2"));
        assertTrue(e.getMessage().contains("max_test_videos"), e.getMessage());
    }
}
