package org.m3sgg.models;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.m3sgg.api.KitException;
import org.m3sgg.models.SggModel;
import org.m3sgg.config.ConfigTree;
import org.m3sgg.data.Mode;
import org.m3sgg.models.dsgdetr.DsgDetrConfig;
import org.m3sgg.models.dsgdetr.DsgDetrModel;
import org.m3sgg.models.oed.OedKitModel;
import org.m3sgg.models.oed.OedRunConfig;
import org.m3sgg.models.stket.StketConfig;
import org.m3sgg.models.stket.StketModel;
import org.m3sgg.models.sttran.SttranConfig;
import org.m3sgg.models.sttran.SttranModel;
import org.m3sgg.models.tempura.TempuraConfig;
import org.m3sgg.models.tempura.TempuraModel;

/**
 * The one list of relation models. Each line names a model (the CLI's {@code --model} and the YAML
 * {@code model.name}), its typed config record (bound from the YAML {@code model:} section, unknown keys failing)
 * and its factory. Adding a model is one {@link #register} line in the static block.
 */
public final class ModelRegistry {

    /** Builds a model of one kind from its config record. */
    @FunctionalInterface
    public interface Factory<C extends Record> {
        SggModel build(C config, Mode mode, long seed);
    }

    /** One registered model. */
    public record Entry<C extends Record>(String name, Class<C> configType, Factory<C> factory, String description) {

        /** Binds the tree's {@code model:} section (its {@code name} key aside) onto this model's record. */
        public C bindConfig(ConfigTree tree) {
            return tree.bind(MODEL_SECTION, configType, Set.of(NAME_KEY));
        }

        public SggModel build(Record config, Mode mode, long seed) {
            if (!configType.isInstance(config)) {
                throw new KitException("model '" + name + "' needs a " + configType.getSimpleName() + ", got a "
                        + config.getClass().getSimpleName());
            }
            return factory.build(configType.cast(config), mode, seed);
        }
    }

    public static final String MODEL_SECTION = "model";
    public static final String NAME_KEY = "name";

    private static final Map<String, Entry<?>> MODELS = new LinkedHashMap<>();

    static {
        register("sttran", SttranConfig.class, SttranModel::build, "STTran (Cong et al., ICCV 2021)");
        register("tempura", TempuraConfig.class, TempuraModel::build, "TEMPURA (Nag et al., CVPR 2023)");
        register("stket", StketConfig.class, StketModel::build, "STKET (Pu et al., IEEE TIP 2024)");
        register("dsg-detr", DsgDetrConfig.class, DsgDetrModel::build, "DSG-DETR (Feng et al., WACV 2023)");
        register("oed", OedRunConfig.class, OedKitModel::build, "OED (Wang et al., CVPR 2024)");
    }

    /** The models of the static block; null while it runs. Notebook models may not replace them. */
    private static final Set<String> BUILT_IN = Set.copyOf(MODELS.keySet());

    private ModelRegistry() {}

    /**
     * Adds a model. The kit's own models are registered once in the static block; a notebook or a plug-in adds
     * its own the same way, after which the trainer, {@code eval} and the tables take it by name. Registering a
     * name again replaces a model added from outside (re-running a notebook cell) but never a built-in one.
     *
     * @param name        the name runs use ({@code model.name}, {@code --model}); letters, digits, '-' and '_'
     * @param type        the config record bound from the YAML {@code model:} section
     * @param factory     builds the model from its config, mode and seed
     * @param description one line for listings
     */
    public static synchronized <C extends Record> void register(String name, Class<C> type, Factory<C> factory,
            String description) {
        if (name == null || !name.matches("[A-Za-z0-9_-]+")) {
            throw new KitException("model name '" + name + "': expected letters, digits, '-' or '_'");
        }
        boolean initialising = BUILT_IN == null;
        if (!initialising && BUILT_IN.contains(name)) {
            throw new KitException("model '" + name + "' is one of the kit's models (" + String.join(", ", BUILT_IN)
                    + "); register yours under another name");
        }
        if (MODELS.put(name, new Entry<>(name, type, factory, description)) != null && initialising) {
            throw new IllegalStateException("model '" + name + "' registered twice");
        }
    }

    /** Removes a model added with {@link #register} from outside the kit; the kit's own models stay. */
    public static synchronized void unregister(String name) {
        if (BUILT_IN.contains(name)) {
            throw new KitException("model '" + name + "' is one of the kit's models and cannot be removed");
        }
        MODELS.remove(name);
    }

    /** Registered models by name, in registration order. */
    public static Map<String, Entry<?>> all() {
        return Collections.unmodifiableMap(MODELS);
    }

    /** The entry of a model; an unknown name is an error listing the valid ones. */
    public static Entry<?> get(String name) {
        Entry<?> e = MODELS.get(name);
        if (e == null) {
            throw new KitException("unknown model '" + name + "'; valid models: " + String.join(", ", MODELS.keySet()));
        }
        return e;
    }

    /**
     * The model named by {@code model.name} in the tree (or {@code name} when given; both present and different
     * is an error), built from the tree's {@code model:} section.
     */
    public static SggModel build(ConfigTree tree, String name, Mode mode, long seed) {
        return build(get(resolveName(tree, name)).bindConfig(tree), resolveName(tree, name), mode, seed);
    }

    public static SggModel build(Record config, String name, Mode mode, long seed) {
        return get(name).build(config, mode, seed);
    }

    /** The model name of a run: the explicit one, else the tree's {@code model.name}. */
    public static String resolveName(ConfigTree tree, String name) {
        String inTree = tree.getText(MODEL_SECTION + "." + NAME_KEY, null);
        if (name != null && inTree != null && !name.equals(inTree)) {
            throw new KitException("--model " + name + " but the config's model.name is '" + inTree + "' "
                    + tree.where(MODEL_SECTION + "." + NAME_KEY));
        }
        String n = name != null ? name : inTree;
        if (n == null) {
            throw new KitException("no model given: pass --model or set model.name; valid models: "
                    + String.join(", ", MODELS.keySet()));
        }
        return n;
    }
}
