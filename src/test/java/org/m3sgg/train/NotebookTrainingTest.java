package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.report.Display;
import org.m3sgg.report.DisplaySink;
import org.m3sgg.report.LiveTraining;
import org.m3sgg.report.Notebook;
import org.m3sgg.report.Rich;

/** Training from a notebook cell on the tiny world: the live view of a real run, and a re-run cell's error. */
class NotebookTrainingTest {

    @Test
    void aRealRunDrivesTheLiveViewAndARerunSaysWhatToDoInANotebook(@TempDir Path tmp) {
        var cfg = TinyWorld.config("train.checkpoint_every=1", "train.epochs=1");
        List<Rich> views = new ArrayList<>();
        DisplaySink sink = new DisplaySink() {
            @Override
            public String show(Rich value) {
                views.add(value);
                return "live";
            }

            @Override
            public void update(String id, Rich value) {
                assertEquals("live", id);
                views.add(value);
            }
        };
        Path dir = tmp.resolve("run");
        LiveTraining live = new LiveTraining(sink, 0.5, System::nanoTime);
        TrainingResult r = Notebook.train(Trainer.fromConfig(dir, cfg, null, Mode.PREDCLS).addListener(live));
        assertTrue(r.finished());
        assertTrue(views.size() >= 2, "start and finish at least: " + views.size());
        String last = views.get(views.size() - 1).mimeBundle().get("text/plain");
        assertTrue(last.contains("epoch 1/1") && last.endsWith("finished"), last);
        assertTrue(Display.rich(r).mimeBundle().get("text/plain").contains("training run, finished"));

        // the cell runs again: a notebook user's message, not the CLI's "--resume"
        KitException again = assertThrows(KitException.class,
                () -> Notebook.train(Trainer.fromConfig(dir, cfg, null, Mode.PREDCLS)));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());
        assertTrue(again.getMessage().contains("Notebook.resume(trainer)"), again.getMessage());
        assertTrue(again.getMessage().contains("choose another folder"), again.getMessage());
        assertFalse(again.getMessage().contains("--resume"), again.getMessage());
        // the CLI's own message is unchanged
        KitException cli = assertThrows(KitException.class, () -> Trainer.fromConfig(dir, cfg, null, Mode.PREDCLS)
                .run());
        assertTrue(cli.getMessage().contains("pass --resume"), cli.getMessage());
        // a folder outside runs/notebooks/ is never deleted by Notebook.fresh
        KitException fresh = assertThrows(KitException.class, () -> Notebook.fresh(dir));
        assertTrue(fresh.getMessage().contains("runs/notebooks/"), fresh.getMessage());
        KitException nothing = assertThrows(KitException.class,
                () -> Notebook.resume(Trainer.fromConfig(tmp.resolve("empty"), cfg, null, Mode.PREDCLS)));
        assertTrue(nothing.getMessage().contains("no run to resume"), nothing.getMessage());
    }
}
