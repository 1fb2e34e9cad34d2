package io.lazyq.cli;

/**
 * A {@code lazyq} subcommand: a picocli {@code @Command} class. Modules contribute subcommands
 * through {@link java.util.ServiceLoader} ({@code META-INF/services/io.lazyq.cli.Subcommand}), so
 * the command line grows with the classpath: Arrow export and Spark queries appear only where
 * those modules are present.
 */
public interface Subcommand extends java.util.concurrent.Callable<Integer> {}
