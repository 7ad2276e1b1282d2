package org.m3sgg.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.m3sgg.api.AtomicFiles;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.nn.AdamW;

/**
 * When and how resumable checkpoints are written: every {@code train.checkpoint_every} steps inside an epoch and
 * at every epoch end, under {@code checkpoints/step-NNNNNNNNN} with {@code checkpoints/latest} naming the newest;
 * only the newest {@code train.keep_checkpoints} are kept.
 */
final class CheckpointPolicy {

    private final Path dir;
    private final TrainConfig train;
    private final ConfigTree config;

    CheckpointPolicy(Path runDir, TrainConfig train, ConfigTree config) {
        this.dir = runDir.resolve(Trainer.CHECKPOINTS);
        this.train = train;
        this.config = config;
    }

    /** Whether the step that just made {@code globalStep} (step {@code stepInEpoch} of the epoch) gets one. */
    boolean dueAfterStep(long globalStep, int stepInEpoch, int stepsPerEpoch) {
        // the last step of an epoch is checkpointed at the epoch end, after validation
        return train.checkpointEvery() > 0 && globalStep % train.checkpointEvery() == 0 && stepInEpoch < stepsPerEpoch;
    }

    /** Writes a resumable checkpoint of where the loop stands, points {@code latest} at it, prunes old ones. */
    Path save(SggModel model, AdamW opt, TrainerState state, Checkpoint.Meta meta) {
        String name = String.format("step-%09d", state.globalStep());
        Path written = Checkpoint.write(dir, name, meta, config, model, opt, state);
        AtomicFiles.writeString(dir.resolve(Trainer.LATEST), name + "\n");
        try (var list = Files.list(dir)) {
            List<Path> old = list.filter(p -> p.getFileName().toString().startsWith("step-")).sorted().toList();
            for (int i = 0; i < old.size() - train.keepCheckpoints(); i++) {
                try {
                    Checkpoint.deleteTree(old.get(i));
                } catch (IOException e) {
                    // an old checkpoint left behind costs disk, not correctness
                }
            }
        } catch (IOException e) {
            // old checkpoints left behind cost disk, not correctness
        }
        return written;
    }
}
