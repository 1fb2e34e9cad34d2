package io.lazyq.cli;

import io.lazyq.LazyQFormatException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code lazyq} command. Exit codes: 0 success, 1 any other failure, 2 usage error, 3 invalid
 * or corrupt input (one line on stderr naming the file, the offset and what is wrong).
 */
@Command(
    name = "lazyq",
    mixinStandardHelpOptions = true,
    versionProvider = LazyQ.Version.class,
    description = "Quantized columnar and tensor data, read lazily or by streaming.",
    subcommands = {
        DemoCommand.class, GenerateCommand.class, InspectCommand.class, CatCommand.class, ConvertCommand.class,
        TensorCommand.class, QuantizeCommand.class, ExportCommand.class, SqlCommand.class, VacuumCommand.class, HistoryCommand.class,
        VerifyCommand.class,
        NotebookCommand.class, CommandLine.HelpCommand.class})
public final class LazyQ implements Runnable {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;
  public static final int BAD_INPUT = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line, with its subcommands and exit-code mapping. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new LazyQ());
    cli.setExecutionExceptionHandler(LazyQ::onError);
    cli.setExitCodeExceptionMapper(e -> e instanceof LazyQFormatException ? BAD_INPUT
        : e instanceof CommandLine.ParameterException ? USAGE : FAILURE);
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static int onError(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    Throwable cause = e;
    while (!(cause instanceof LazyQFormatException) && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof LazyQFormatException) {
      err.println("lazyq: invalid input: " + cause.getMessage());
      return BAD_INPUT;
    }
    if (e instanceof IllegalArgumentException || e instanceof CommandLine.ParameterException) {
      err.println("lazyq " + cli.getCommandName() + ": " + e.getMessage());
      return USAGE;
    }
    err.println("lazyq " + cli.getCommandName() + ": " + e);
    if (System.getenv("LAZYQ_DEBUG") != null) {
      e.printStackTrace(err);
    }
    return FAILURE;
  }

  /** The version from the jar's manifest, when built. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = LazyQ.class.getPackage().getImplementationVersion();
      return new String[] {"lazyq " + (v == null ? "(development build)" : v)};
    }
  }
}
