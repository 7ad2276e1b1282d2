package org.m3sgg.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.m3sgg.cli.CliRun.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.m3sgg.api.KitHome;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Every subcommand (walked from picocli's model, so new commands and options are covered) with a wrong value for
 * each of its options and positional parameters, an unknown flag, and a flag without its value: each must be one
 * {@code error:} line naming the flag and the value, exit code 2, and no stack trace. Bad values are rejected before
 * any work starts, so nothing here loads data or trains.
 *
 * <p>An option whose value has no bad-value rule here fails {@link #everyOptionHasABadValue}: give it a strict
 * converter from {@link Converters} (or a rule below).
 */
class BadFlagsTest {

    @TempDir
    static Path tmp;

    static Path aFile;
    static Path aDir;
    static Path missing;


    /** One bad invocation: the arguments, and what the error line must name. */
    private record Case(String name, List<String> args, String flag, String value) {}

    @BeforeAll
    static void files() throws IOException {
        aDir = Files.createDirectories(tmp.resolve("a-folder"));
        aFile = Files.writeString(tmp.resolve("a-file.txt"), "not what any option wants\n");
        missing = tmp.resolve("no-such-thing");
    }



    /** Exit code 2, exactly one error line naming {@code names}, a hint line, nothing on stdout, no stack trace. */
    private static String assertUsageError(CliRun r, String context, String... names) {
        assertEquals(2, r.code(), context + "\n" + r.all());
        List<String> lines = r.err().lines().toList();
        List<String> errors = lines.stream().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), context + ": expected one error line\n" + r.err());
        assertTrue(lines.size() <= 2 && (lines.size() == 1 || lines.get(1).matches("\\(see m3sgg.* --help\\)")),
                context + ": expected the error line and a hint line\n" + r.err());
        for (String n : names) {
            assertTrue(errors.get(0).contains(n), context + ": error line should name '" + n + "'\n" + r.err());
        }
        assertFalse(r.all().contains("Exception"), context + "\n" + r.all());
        assertFalse(r.all().contains("\tat "), context + "\n" + r.all());
        assertEquals("", r.out(), context + ": nothing on stdout");
        return errors.get(0);
    }

    // ---- the walk ----

    /** Every command, depth first, with the words that select it. */
    private static Map<List<String>, CommandSpec> commands() {
        Map<List<String>, CommandSpec> all = new LinkedHashMap<>();
        walk(Main.commandLine(), new ArrayList<>(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, Map<List<String>, CommandSpec> all) {
        all.put(List.copyOf(path), cl.getCommandSpec());
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            List<String> sub = new ArrayList<>(path);
            sub.add(e.getKey());
            walk(e.getValue(), sub, all);
        }
    }

    /** The options and positional parameters that take a value (help and boolean flags aside). */
    private static List<ArgSpec> valued(CommandSpec spec) {
        List<ArgSpec> args = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.usageHelp() && !o.versionHelp() && o.arity().max() > 0) {
                args.add(o);
            }
        }
        args.addAll(spec.positionalParameters());
        return args;
    }

    private static ITypeConverter<?> converter(ArgSpec a) {
        return a.converters().length == 0 ? null : a.converters()[0];
    }

    /** Wrong values for an option or parameter, from its converter or type; empty: no rule (a test failure). */
    private static List<String> badValues(ArgSpec a) {
        ITypeConverter<?> c = converter(a);
        if (c instanceof Converters.FeatureMode) {
            return List.of("bogus", "sgdet", "SGDET");
        }
        if (c instanceof Converters.Choice) {
            return List.of("bogus", "");
        }
        if (c instanceof Converters.ModelName) {
            return List.of("nosuchmodel", "STTRAN");
        }
        if (c instanceof Converters.PositiveInt) {
            return List.of("0", "-1", "abc", "1.5", "99999999999");
        }
        if (c instanceof Converters.PositiveDouble) {
            return List.of("0", "-1", "abc", "NaN", "Infinity", "");
        }
        if (c instanceof Converters.NonNegativeInt) {
            return List.of("-1", "abc", "1.5");
        }
        if (c instanceof Converters.NonBlank) {
            return List.of("", "  ");
        }
        if (c instanceof Converters.ExistingDir) {
            return List.of(missing.toString(), aFile.toString(), "");
        }
        if (c instanceof Converters.ExistingFile) {
            return List.of(missing.toString(), aDir.toString(), "");
        }
        if (c instanceof Converters.OutDir) {
            return List.of(aFile.toString(), "");
        }
        if (c instanceof Converters.NewDir) {
            return List.of(aDir.toString(), aFile.toString(), "");
        }
        if (c instanceof Converters.OutFile) {
            return List.of(aDir.toString(), "");
        }
        if (c instanceof Converters.AnyPath) {
            // checked by the command's preflight once the other options are known
            return List.of(missing.toString());
        }
        if (c instanceof Converters.PositiveInts) {
            return List.of("0,1", "a,b", "80,,30", "-1", "");
        }
        if (c instanceof Converters.ImageSize) {
            return List.of("480", "0x270", "480x-1", "axb", "480x270x3", "");
        }
        if (c instanceof Converters.Videos) {
            return List.of("0", "-2", "", "001YG.mp4,,00T1E.mp4", "a/b");
        }
        if (c instanceof Converters.KeyValue) {
            return List.of("noequals", "=1", "Train epochs=3", "nosuchsection.key=1");
        }
        Class<?> t = a.type();
        if (c == null && (t == int.class || t == Integer.class || t == long.class || t == Long.class)) {
            return List.of("abc", "1.5", "");
        }
        if (c == null && (t == double.class || t == Double.class)) {
            return List.of("abc", "");
        }
        return List.of();
    }

    /** A value the option accepts, for required options while another option's bad value is tried. */
    private static String goodValue(ArgSpec a) {
        ITypeConverter<?> c = converter(a);
        if (c instanceof Converters.ExistingDir) {
            return aDir.toString();
        }
        if (c instanceof Converters.ExistingFile) {
            return aFile.toString();
        }
        if (c instanceof Converters.Choice choice) {
            return choice.allowed().get(0);
        }
        if (c instanceof Converters.OutDir || c instanceof Converters.OutFile || c instanceof Converters.NewDir) {
            return tmp.resolve("fresh-output").toString();
        }
        throw new AssertionError("no good value for required " + label(a) + ": add one to goodValue");
    }

    private static String label(ArgSpec a) {
        return a instanceof OptionSpec o ? o.longestName() : a.paramLabel();
    }

    /** The arguments that select {@code path} and give every required option other than {@code except} a value. */
    private static List<String> prefix(List<String> path, CommandSpec spec, ArgSpec except) {
        List<String> args = new ArrayList<>(path);
        for (OptionSpec o : spec.options()) {
            if (o.required() && o != except) {
                args.add(o.longestName());
                args.add(goodValue(o));
            }
        }
        return args;
    }

    private static List<String> requiredPositionals(CommandSpec spec, ArgSpec except) {
        List<String> args = new ArrayList<>();
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.required() && p != except) {
                args.add(goodValue(p));
            }
        }
        return args;
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        commands().forEach((path, spec) -> {
            String cmd = String.join(" ", path);
            // an unknown flag
            List<String> unknown = prefix(path, spec, null);
            unknown.addAll(requiredPositionals(spec, null));
            unknown.add("--no-such-flag");
            cases.add(new Case(cmd + " --no-such-flag", unknown, "--no-such-flag", null));
            for (ArgSpec a : valued(spec)) {
                for (String bad : badValues(a)) {
                    List<String> args = prefix(path, spec, a);
                    if (a instanceof OptionSpec o) {
                        args.add(o.longestName());
                        args.add(bad);
                        args.addAll(requiredPositionals(spec, null));
                    } else {
                        args.addAll(requiredPositionals(spec, a));
                        args.add(bad);
                    }
                    cases.add(new Case(cmd + " " + label(a) + " '" + bad + "'", args, label(a),
                            bad.isBlank() ? null : bad));
                }
                if (a instanceof OptionSpec o) {
                    // the flag without its value, last on the line
                    List<String> args = prefix(path, spec, a);
                    args.addAll(requiredPositionals(spec, null));
                    args.add(o.longestName());
                    cases.add(new Case(cmd + " " + o.longestName() + " (no value)", args, o.longestName(), null));
                    if (o.required()) {
                        List<String> none = prefix(path, spec, a);
                        none.addAll(requiredPositionals(spec, null));
                        cases.add(new Case(cmd + " without required " + o.longestName(), none, o.longestName(),
                                null));
                    }
                } else if (a.required()) {
                    cases.add(new Case(cmd + " without " + a.paramLabel(), prefix(path, spec, null),
                            a.paramLabel(), null));
                }
            }
        });
        return cases;
    }

    @Test
    void everyOptionHasABadValue() {
        List<String> uncovered = new ArrayList<>();
        commands().forEach((path, spec) -> {
            for (ArgSpec a : valued(spec)) {
                if (badValues(a).isEmpty()) {
                    uncovered.add(String.join(" ", path) + " " + label(a) + " (" + a.type().getSimpleName() + ")");
                }
            }
        });
        assertTrue(uncovered.isEmpty(), "options without a strict converter or a bad-value rule in BadFlagsTest: "
                + uncovered);
    }

    @TestFactory
    Stream<DynamicTest> everyBadValueIsOneLineAndExitCode2() {
        List<Case> cases = cases();
        assertTrue(cases.size() > 100, "the walk found only " + cases.size() + " cases");
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            CliRun r = run(c.args());
            if (c.value() == null) {
                assertUsageError(r, c.name() + " " + c.args(), c.flag());
            } else {
                assertUsageError(r, c.name() + " " + c.args(), c.flag(), c.value());
            }
        }));
    }

    /** Help texts list exactly the values the parser accepts. */
    @Test
    void helpListsWhatTheParserAccepts() throws Exception {
        for (Map.Entry<List<String>, CommandSpec> e : commands().entrySet()) {
            List<String> path = e.getKey();
            for (ArgSpec a : valued(e.getValue())) {
                if (converter(a) instanceof Iterable<?> choices) {
                    List<String> allowed = new ArrayList<>();
                    choices.forEach(x -> allowed.add(String.valueOf(x)));
                    List<String> candidates = new ArrayList<>();
                    assertTrue(a.completionCandidates() != null, label(a) + " has no completion candidates");
                    a.completionCandidates().forEach(candidates::add);
                    assertEquals(allowed, candidates, String.join(" ", path) + " " + label(a));
                    String description = String.join(" ", a.description());
                    assertTrue(description.contains(String.join(", ", allowed)),
                            String.join(" ", path) + " " + label(a) + ": '" + description + "' should list "
                                    + allowed);
                    for (String v : allowed) {
                        assertEquals(v, ((ITypeConverter<?>) choices).convert(v).toString());
                    }
                }
            }
        }
    }

    // ---- the cases of the issue ----

    @Test
    void trainModeBogus() {
        assertUsageError(run("train", "--mode", "bogus"), "train --mode bogus", "--mode", "bogus",
                "predcls", "sgcls", "sgdet");
    }

    @Test
    void benchModeSgdetSaysWhy() {
        assertUsageError(run("bench", "--mode", "sgdet"), "bench --mode sgdet", "--mode", "sgdet",
                "predcls or sgcls");
    }

    @Test
    void trainHelpListsTheModesTheParserAccepts() {
        CliRun r = run("train", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("predcls, sgcls, sgdet"), r.out());
    }

    @Test
    void evalSplitNonsense() {
        assertUsageError(run("eval", "--checkpoint", aDir.toString(), "--split", "nonsense"), "eval --split",
                "--split", "nonsense", "test", "val");
    }

    @Test
    void evalMissingCheckpoint() {
        assertUsageError(run("eval", "--checkpoint", "/nonexistent"), "eval --checkpoint", "--checkpoint",
                "/nonexistent");
        // a folder that is neither a checkpoint nor a run folder
        assertUsageError(run("eval", "--checkpoint", aDir.toString()), "eval --checkpoint", "--checkpoint",
                aDir.toString());
    }

    @Test
    void setTrainEpochsNotAnInteger() {
        assertUsageError(run("train", "--set", "train.epochs=abc"), "--set train.epochs=abc", "--set",
                "train.epochs=abc", "integer");
    }

    @Test
    void setUnknownModelKey() {
        assertUsageError(run("train", "--set", "model.nosuchkey=1"), "--set model.nosuchkey=1", "--set",
                "model.nosuchkey");
        assertUsageError(run("export", "--out", tmp.resolve("x").toString(), "--set", "model.nosuchkey=1"),
                "export --set model.nosuchkey=1", "--set", "model.nosuchkey");
    }

    @Test
    void setUnknownSectionOrBadValue() {
        assertUsageError(run("train", "--set", "trian.epochs=3"), "--set trian.epochs=3", "--set", "trian.epochs");
        assertUsageError(run("train", "--set", "train.lr=fast"), "--set train.lr=fast", "train.lr", "fast");
        assertUsageError(run("train", "--set", "model.name=nosuchmodel"), "--set model.name", "model.name",
                "nosuchmodel");
        assertUsageError(run("train", "--set", "data.path=" + missing), "--set data.path", "data.path",
                missing.toString());
        assertUsageError(run("data", "generate", "--out", tmp.resolve("w").toString(), "--set", "world.videos=x"),
                "data generate --set world.videos=x", "world.videos", "x");
    }

    @Test
    void badConfigFiles() throws IOException {
        Path yaml = Files.writeString(tmp.resolve("broken.yaml"), "train: [1\n");
        assertUsageError(run("train", "--config", yaml.toString()), "--config broken", yaml.toString());
        Path base = KitHome.home().resolve("configs/quick/sttran.yaml");
        Path unknown = Files.writeString(tmp.resolve("unknown-key.yaml"),
                "_base_: " + base + "\ntrain:\n  epochz: 3\n");
        assertUsageError(run("train", "--config", unknown.toString()), "--config unknown key", unknown.toString(),
                "train.epochz");
    }

    @Test
    void misspeltFlagSuggestsTheRightOne() {
        assertUsageError(run("train", "--mdoe", "sgcls"), "train --mdoe", "--mdoe", "did you mean --mode");
    }

    @Test
    void helpWinsOverPreflightAndExitCodesAreListed() {
        CliRun r = run("--help", "train", "--set", "train.epochs=abc");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().matches("(?s).*\\n +2 +wrong input.*"), r.out());
    }

    @Test
    void unknownSubcommand() {
        assertUsageError(run("trian"), "m3sgg trian", "trian");
    }
}
