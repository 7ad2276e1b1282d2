package org.m3sgg.deploy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.m3sgg.api.KitException;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.autodiff.samediff.internal.Variable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The part of a SameDiff graph that one evaluation pass runs: what the requested outputs depend on, given the
 * placeholders the model feeds. Everything that depends only on constants and parameters is folded to a value
 * (SameDiff computes it once), and the graph's one kind of control flow, the {@code Switch}/{@code Merge} pair the
 * kit's dropout builds on the scalar train flag, is resolved statically: the flag is a constant (0 in evaluation),
 * so each {@code Merge} is the one input whose branch is taken. What is left are the ops that read a placeholder,
 * in an order where every op comes after the ops it reads from.
 */
public final class GraphSlice {

    /** Runs the graph (the model's own evaluation pass): placeholders and output names in, values out. */
    @FunctionalInterface
    public interface Runner {
        Map<String, INDArray> run(Map<String, INDArray> placeholders, List<String> outputs);
    }

    private final SameDiff sd;
    private final Runner runner;
    private final List<String> outputs;
    private final List<String> inputs = new ArrayList<>();
    /** Folded values: parameters, constants and constant-only op outputs the slice reads, by variable name. */
    private final Map<String, INDArray> constants = new LinkedHashMap<>();
    /** Ops to emit, in dependency order. */
    private final List<SameDiffOp> ops = new ArrayList<>();
    /** A variable that stands for another (a taken Merge, a Switch output): its source. */
    private final Map<String, String> aliases = new HashMap<>();

    private final Map<String, Boolean> constMemo = new HashMap<>();
    private final Map<String, Boolean> liveMemo = new HashMap<>();

    /**
     * @param fed the placeholders the model feeds in this pass (a placeholder the outputs need that is not fed is an
     *            error); only those the outputs reach become inputs
     */
    public GraphSlice(SameDiff sd, Set<String> fed, List<String> outputs, Runner runner) {
        this.sd = sd;
        this.runner = runner;
        this.outputs = List.copyOf(outputs);
        Set<String> visited = new HashSet<>();
        List<String> fold = new ArrayList<>();
        for (String o : outputs) {
            if (!sd.getVariables().containsKey(o)) {
                throw new KitException("export: the graph has no variable '" + o + "'");
            }
            visit(resolve(o), fed, visited, fold);
        }
        if (!fold.isEmpty()) {
            Map<String, INDArray> values = runner.run(Map.of(), fold);
            for (String f : fold) {
                constants.put(f, values.get(f).dup());
            }
        }
    }

    private void visit(String name, Set<String> fed, Set<String> visited, List<String> fold) {
        if (!visited.add(name)) {
            return;
        }
        Variable v = sd.getVariables().get(name);
        VariableType type = v.getVariable().getVariableType();
        switch (type) {
            case PLACEHOLDER -> {
                if (!fed.contains(name)) {
                    throw new KitException("export: output needs placeholder '" + name + "', which the pass does "
                            + "not feed");
                }
                inputs.add(name);
            }
            case VARIABLE, CONSTANT -> {
                constants.put(name, v.getVariable().getArr());
            }
            case ARRAY -> {
                if (isConst(name)) {
                    fold.add(name);
                    constants.put(name, null);             // filled after the walk
                    return;
                }
                SameDiffOp op = sd.getOps().get(v.getOutputOfOp());
                for (String in : op.getInputsToOp()) {
                    visit(resolve(in), fed, visited, fold);
                }
                if (!ops.contains(op)) {
                    ops.add(op);
                }
            }
            default -> throw new KitException("export: variable '" + name + "' is a " + type
                    + ", which the exporter does not handle");
        }
    }

    /** Follows Switch outputs and Merges to the variable whose value they carry in evaluation. */
    private String resolve(String name) {
        String cur = name;
        while (true) {
            Variable v = sd.getVariables().get(cur);
            if (v.getVariable().getVariableType() != VariableType.ARRAY) {
                return cur;
            }
            SameDiffOp op = sd.getOps().get(v.getOutputOfOp());
            String kind = op.getOp().opName();
            if (kind.equals("merge")) {
                String taken = null;
                for (String in : op.getInputsToOp()) {
                    if (isLive(in)) {
                        if (taken != null) {
                            throw new KitException("export: merge '" + op.getName() + "' has two live inputs");
                        }
                        taken = in;
                    }
                }
                if (taken == null) {
                    throw new KitException("export: merge '" + op.getName() + "' has no live input");
                }
                aliases.put(name, taken);
                cur = taken;
            } else if (kind.equals("switch")) {
                aliases.put(name, op.getInputsToOp().get(0));
                cur = op.getInputsToOp().get(0);
            } else {
                return cur;
            }
        }
    }

    /** Whether {@code name} gets a value in evaluation mode (a switch output on the branch not taken does not). */
    private boolean isLive(String name) {
        Boolean memo = liveMemo.get(name);
        if (memo != null) {
            return memo;
        }
        Variable v = sd.getVariables().get(name);
        boolean live;
        if (v.getVariable().getVariableType() != VariableType.ARRAY) {
            live = true;
        } else {
            SameDiffOp op = sd.getOps().get(v.getOutputOfOp());
            String kind = op.getOp().opName();
            if (kind.equals("switch")) {
                String predicate = op.getInputsToOp().get(1);
                if (!isConst(predicate)) {
                    throw new KitException("export: switch '" + op.getName() + "' depends on an input; only "
                            + "switches on constants (the train flag) can be exported");
                }
                boolean p = runner.run(Map.of(), List.of(predicate)).get(predicate).getDouble(0) != 0;
                int index = op.getOutputsOfOp().indexOf(name);
                live = isLive(op.getInputsToOp().get(0)) && (index == 1) == p;
            } else if (kind.equals("merge")) {
                live = op.getInputsToOp().stream().anyMatch(this::isLive);
            } else {
                live = op.getInputsToOp().stream().allMatch(this::isLive);
            }
        }
        liveMemo.put(name, live);
        return live;
    }

    /** Whether {@code name} depends on no placeholder. */
    private boolean isConst(String name) {
        Boolean memo = constMemo.get(name);
        if (memo != null) {
            return memo;
        }
        Variable v = sd.getVariables().get(name);
        boolean c = switch (v.getVariable().getVariableType()) {
            case VARIABLE, CONSTANT -> true;
            case ARRAY -> {
                SameDiffOp op = sd.getOps().get(v.getOutputOfOp());
                boolean all = true;
                for (String in : op.getInputsToOp()) {
                    all &= isConst(in);
                }
                yield all;
            }
            default -> false;
        };
        constMemo.put(name, c);
        return c;
    }

    public List<String> inputs() {
        return inputs;
    }

    public List<String> outputs() {
        return outputs;
    }

    /** The variable whose value {@code name} carries (itself unless it is a taken Merge or a Switch output). */
    public String source(String name) {
        String cur = name;
        while (aliases.containsKey(cur)) {
            cur = aliases.get(cur);
        }
        return cur;
    }

    public Map<String, INDArray> constants() {
        return constants;
    }

    public List<SameDiffOp> ops() {
        return ops;
    }

    public SameDiff graph() {
        return sd;
    }
}
