package org.m3sgg.train;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.ModelRegistry;
import org.m3sgg.models.dsgdetr.DsgDetrModel;
import org.m3sgg.models.sttran.SttranModel;
import org.m3sgg.models.tempura.TempuraCheckpoint;
import org.m3sgg.models.tempura.TempuraModel;
import org.m3sgg.nn.torch.TorchCheckpoint;

/**
 * Turns an authors' PyTorch checkpoint (STTran, TEMPURA, DSG-DETR) into a kit checkpoint folder that {@code eval}
 * opens: the model is built from the config's {@code model:} section, the checkpoint is loaded strictly (every key,
 * every shape; a mismatch is one error naming it), and the folder is written atomically with meta kind
 * {@value #KIND} and a dataset fingerprint {@code imported:<file name>:sha256:<hex>} (it was trained elsewhere).
 */
public final class CheckpointImport {

    /** The models with an importer, as registered names. */
    public static final List<String> KINDS = List.of("sttran", "tempura", "dsg-detr");

    /** {@link Checkpoint.Meta#kind()} of an imported checkpoint. */
    public static final String KIND = "imported";

    private CheckpointImport() {}

    /**
     * Builds {@code kind} from {@code config} in {@code mode}, loads {@code checkpoint} into it and writes the kit
     * checkpoint folder {@code out}, which must not exist. Returns the folder written.
     */
    public static Path run(String kind, Path checkpoint, Mode mode, ConfigTree config, Path out) {
        if (!KINDS.contains(kind)) {
            throw new KitException("cannot import kind '" + kind + "'; expected one of " + String.join(", ", KINDS));
        }
        Path abs = out.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            throw new KitException("--out " + out + " already exists; give a new folder");
        }
        String modeName = mode.name().toLowerCase(Locale.ROOT);
        ConfigTree cfg = config.with(List.of("model.name=" + kind, "run.mode=" + modeName));
        long seed = cfg.get("train.seed") == null ? 0 : cfg.get("train.seed").asLong();
        SggModel model = ModelRegistry.build(cfg, kind, mode, seed);
        String src = checkpoint.toString();
        switch (kind) {
            case "sttran" -> ((SttranModel) model).loadStateDict(TorchCheckpoint.loadStateDict(checkpoint), src);
            case "tempura" -> TempuraCheckpoint.load((TempuraModel) model, checkpoint);
            case "dsg-detr" -> ((DsgDetrModel) model).loadStateDict(TorchCheckpoint.loadStateDict(checkpoint), src);
            default -> throw new IllegalStateException(kind);
        }
        Checkpoint.Meta meta = new Checkpoint.Meta(Checkpoint.FORMAT, kind, modeName, KIND, 0, 0, 0, Map.of(),
                fingerprint(checkpoint), Trainer.Provenance.gitCommit(), Trainer.Provenance.versions(),
                Instant.now().toString());
        if (Files.exists(abs)) {
            throw new KitException("--out " + out + " already exists; give a new folder");
        }
        return Checkpoint.write(abs.getParent(), abs.getFileName().toString(), meta, cfg, model, null, null);
    }

    /** {@code imported:<file name>:sha256:<hex>}: where the parameters came from, in place of a data fingerprint. */
    static String fingerprint(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return "imported:" + file.getFileName() + ":sha256:" + HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new KitException(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
