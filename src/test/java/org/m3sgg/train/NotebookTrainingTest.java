package org.m3sgg.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitException;
import org.m3sgg.data.Mode;
import org.m3sgg.report.Display;
import org.m3sgg.report.DisplaySink;
import org.m3sgg.report.LiveProgress;
import org.m3sgg.report.LiveTraining;
import org.m3sgg.report.Notebook;
import org.m3sgg.report.Rich;

/** Training from a notebook cell on the tiny world: a re-run cell's error, and (slow tier) the live views of a real run. */
class NotebookTrainingTest {

    @Test
    void aRerunCellSaysWhatToDoInANotebookAndTheCliKeepsItsMessage(@TempDir Path tmp) throws Exception {
        var cfg = TinyWorld.config("train.epochs=1");
        Path dir = tmp.resolve("run");
        // what an earlier execution of the cell leaves: a resumable checkpoint pointer
        java.nio.file.Files.createDirectories(dir.resolve(Trainer.CHECKPOINTS));
        java.nio.file.Files.writeString(dir.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LATEST), "step-1");
        KitException again = assertThrows(KitException.class,
                () -> Notebook.train(Trainer.fromConfig(dir, cfg, null, Mode.PREDCLS)));
        assertTrue(again.getMessage().contains("already holds a run"), again.getMessage());
        assertTrue(again.getMessage().contains("Notebook.resume(trainer)"), again.getMessage());
        assertTrue(again.getMessage().contains("Notebook.fresh(folder)"), again.getMessage());
        assertTrue(again.getMessage().contains("choose another folder"), again.getMessage());
        assertFalse(again.getMessage().contains("--resume"), again.getMessage());
        // the CLI's own message is unchanged
        KitException cli = assertThrows(KitException.class, () -> Trainer.fromConfig(dir, cfg, null, Mode.PREDCLS)
                .run());
        assertTrue(cli.getMessage().contains("pass --resume"), cli.getMessage());
        // a folder outside runs/notebooks/ is never deleted by Notebook.fresh
        KitException fresh = assertThrows(KitException.class, () -> Notebook.fresh(dir));
        assertTrue(fresh.getMessage().contains("runs/notebooks/"), fresh.getMessage());
        Path mine = Notebook.outputDir("notebook-training-test").resolve("run");
        java.nio.file.Files.createDirectories(mine.resolve(Trainer.CHECKPOINTS));
        assertEquals(mine, Notebook.fresh(mine));
        assertFalse(java.nio.file.Files.exists(mine), "a notebook's own run folder is deleted");
        assertEquals(mine, Notebook.fresh(mine), "and a missing one is fine");
        KitException nothing = assertThrows(KitException.class,
                () -> Notebook.resume(Trainer.fromConfig(tmp.resolve("empty"), cfg, null, Mode.PREDCLS)));
        assertTrue(nothing.getMessage().contains("no run to resume"), nothing.getMessage());
    }

    @Tag("slow")
    @Test
    void aRealRunDrivesTheLiveViewsOfTrainingAndScoring(@TempDir Path tmp) {
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
        Trainer trainer = Trainer.fromConfig(dir, cfg, null, Mode.PREDCLS).addListener(live);
        TrainingResult r = Notebook.train(trainer);
        assertTrue(r.finished());
        assertTrue(views.size() >= 2, "start and finish at least: " + views.size());
        String last = views.get(views.size() - 1).mimeBundle().get("text/plain");
        assertTrue(last.contains("epoch 1/1") && last.endsWith("finished"), last);
        assertTrue(Display.rich(r).mimeBundle().get("text/plain").contains("training run, finished"));

        // scoring the test split again with a live progress view: the same scores, one advance per video
        List<Rich> bars = new ArrayList<>();
        DisplaySink barSink = new DisplaySink() {
            @Override
            public String show(Rich value) {
                bars.add(value);
                return "bar";
            }

            @Override
            public void update(String id, Rich value) {
                bars.add(value);
            }
        };
        var data = trainer.data();
        var rescored = Inference.score(r.model(), data.test(), data.features(), trainer.config().bind("eval",
                org.m3sgg.eval.EvaluatorConfig.class), null, new LiveProgress(barSink, 0, System::nanoTime));
        assertEquals(r.test(), rescored.result());
        assertEquals(data.test().size() + 2, bars.size(), "start, one view per video, finish");
        String done = bars.get(bars.size() - 1).mimeBundle().get("text/plain");
        assertTrue(done.contains(data.test().size() + "/" + data.test().size()) && done.endsWith("done"), done);

    }
}
