package org.m3sgg.cli;

/**
 * A command that checks its options together (a config with its {@code --set} overrides, a path relative to another
 * option) before it starts work. {@link Main} calls {@link #preflight()} after parsing and before {@code call()}; a
 * {@link org.m3sgg.api.KitException} or {@link picocli.CommandLine.ParameterException} from it is a usage error:
 * one {@code error:} line and exit code 2.
 */
public interface Preflight {

    /** Checks the parsed options; reads nothing big and writes nothing. */
    void preflight();
}
