package org.m3sgg.models.oed;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.m3sgg.api.KitException;
import org.m3sgg.nn.torch.TorchCheckpoint;
import org.m3sgg.nn.torch.TorchTensor;

/**
 * OED's checkpoint layout, {@code {'model': state_dict, 'epoch', 'args': argparse.Namespace, ...}}, in either torch
 * serialisation. The pickled {@code Namespace} arrives as a map of its attributes (Pyrolite's generic class
 * dictionary; its {@code __class__} entry is dropped here).
 */
public record OedCheckpoint(Map<String, TorchTensor> stateDict, Map<String, Object> args, String source) {

    public static OedCheckpoint load(Path file) {
        Object root = TorchCheckpoint.load(file);
        if (!(root instanceof Map<?, ?> top)) {
            throw new KitException(file + ": expected OED's checkpoint dict {'model', 'epoch', 'args'}, found "
                    + (root == null ? "None" : root.getClass().getSimpleName()));
        }
        if (!(top.get("model") instanceof Map<?, ?> model)) {
            throw new KitException(file + ": key 'model' (the state dict) missing or not a dict");
        }
        if (!(top.get("args") instanceof Map<?, ?> args)) {
            throw new KitException(file + ": key 'args' (the argparse Namespace) missing or not readable as attributes");
        }
        Map<String, TorchTensor> sd = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : model.entrySet()) {
            if (!(e.getValue() instanceof TorchTensor t)) {
                throw new KitException(file + ": model key '" + e.getKey() + "' is not a tensor");
            }
            sd.put(String.valueOf(e.getKey()), t);
        }
        Map<String, Object> a = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : args.entrySet()) {
            if (!"__class__".equals(e.getKey())) {
                a.put(String.valueOf(e.getKey()), e.getValue());
            }
        }
        return new OedCheckpoint(sd, a, file.toString());
    }

    /** The state dict without the backbone's keys ({@code backbone.*}), which the transformer model does not hold. */
    public Map<String, TorchTensor> transformerStateDict() {
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        stateDict.forEach((k, v) -> {
            if (!k.startsWith("backbone.")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
